import { CallKind, type FrameState } from '@crucible/evm'
import { hexToBigInt } from '@crucible/primitives'
import type { Engine } from './engine.js'
import { Pause } from './engine.js'
import { DebugSessionError } from './errors.js'
import { opcodeByName } from './opcodes.js'
import { codeKey, firstAtOrAfter, lastAtOrBefore, type Segment } from './trace-index.js'

/**
 * A breakpoint as clients send it (addresses and words as 0x-hex). A position matches when the
 * step about to run is the one named: the opcode at that pc, the CALL/CREATE opcode, the
 * REVERT or halting opcode, the SSTORE (with its old and new value), and so on.
 */
export type BreakpointSpec =
  /** pc in the code of an account (`initcode`: in the initcode of a creation of it). */
  | { kind: 'pc'; address: string; pc: number; initcode?: boolean }
  /** Any step running this opcode (byte or mnemonic). */
  | { kind: 'opcode'; opcode: number | string }
  /** A call or creation (`create`: only creations / only calls), optionally to an address. */
  | { kind: 'call'; address?: string; create?: boolean }
  /** REVERT and exceptional halts: the step that ended a frame with a failure. */
  | { kind: 'revert' }
  | { kind: 'sstore'; address?: string; slot?: string; old?: string; new?: string }
  | { kind: 'sload'; address?: string; slot?: string }
  | { kind: 'tstore'; address?: string; slot?: string }
  /** A LOGn; `topics[i]` (when given and not null) must equal topic i. */
  | { kind: 'log'; address?: string; topics?: (string | null)[] }
  /** Arriving at a source line (needs sources): `file` is a path (or its unique tail) or a file id. */
  | { kind: 'line'; file: string | number; line: number }
  /** Entering a function or modifier (needs sources): `name`, `Contract.name` or `name(types)`. */
  | { kind: 'function'; name: string }

interface Filters {
  address?: bigint
  slot?: bigint
  old?: bigint
  new?: bigint
  topics?: (bigint | null)[]
  pc?: number
  code?: bigint
  opcode?: number
  create?: boolean
}

/** A breakpoint with its numbers parsed. */
export interface Breakpoint {
  readonly id: number
  readonly spec: BreakpointSpec
  readonly filters: Filters
}

function hex(v: unknown, what: string): bigint {
  if (typeof v !== 'string')
    throw new DebugSessionError('BAD_COMMAND', `${what} must be a 0x-hex string`, { what })
  try {
    return hexToBigInt(v)
  } catch {
    throw new DebugSessionError('BAD_COMMAND', `${what} is not hex`, { what, value: v })
  }
}

const optional = (v: unknown, what: string) => (v === undefined ? undefined : hex(v, what))

/** Parses a client's breakpoint; a typed BAD_COMMAND error when it is malformed. */
export function compileBreakpoint(id: number, spec: BreakpointSpec): Breakpoint {
  const s = spec as Record<string, unknown>
  const f: Filters = {}
  switch (spec.kind) {
    case 'pc': {
      if (!Number.isSafeInteger(spec.pc) || spec.pc < 0)
        throw new DebugSessionError('BAD_COMMAND', 'pc must be a non-negative integer', { pc: spec.pc })
      f.pc = spec.pc
      f.code = codeKey(hex(spec.address, 'address'), spec.initcode === true)
      break
    }
    case 'opcode': {
      const op = typeof spec.opcode === 'number' ? spec.opcode : opcodeByName(String(spec.opcode))
      if (op === undefined || !Number.isInteger(op) || op < 0 || op > 255)
        throw new DebugSessionError('BAD_COMMAND', 'Unknown opcode', { opcode: spec.opcode })
      f.opcode = op
      break
    }
    case 'call':
      f.address = optional(s.address, 'address')
      if (spec.create !== undefined) f.create = spec.create
      break
    case 'revert':
      break
    case 'sstore':
      f.address = optional(s.address, 'address')
      f.slot = optional(s.slot, 'slot')
      f.old = optional(s.old, 'old')
      f.new = optional(s.new, 'new')
      break
    case 'sload':
    case 'tstore':
      f.address = optional(s.address, 'address')
      f.slot = optional(s.slot, 'slot')
      break
    case 'log':
      f.address = optional(s.address, 'address')
      if (spec.topics !== undefined) {
        if (!Array.isArray(spec.topics)) throw new DebugSessionError('BAD_COMMAND', 'topics must be a list')
        f.topics = spec.topics.map((t, i) => (t === null ? null : hex(t, `topics[${i}]`)))
      }
      break
    case 'line':
      if (!Number.isSafeInteger(spec.line) || spec.line < 1)
        throw new DebugSessionError('BAD_COMMAND', 'line must be a positive integer', { line: spec.line })
      if (typeof spec.file !== 'string' && typeof spec.file !== 'number')
        throw new DebugSessionError('BAD_COMMAND', 'file must be a path or a file id', { file: s.file })
      break
    case 'function':
      if (typeof spec.name !== 'string' || spec.name === '')
        throw new DebugSessionError('BAD_COMMAND', 'name must be a function name', { name: s.name })
      break
    default:
      throw new DebugSessionError('BAD_COMMAND', 'Unknown breakpoint kind', { kind: s.kind })
  }
  return { id, spec, filters: f }
}

/** Direction of a search: +1 forward (steps after), -1 backward (steps before). */
export type Direction = 1 | -1

/** Scans `steps` (sorted) from `from` (exclusive) in `dir` for the first index passing `test`. */
function scanList(
  steps: readonly number[],
  from: number,
  dir: Direction,
  test: (i: number) => boolean,
): number {
  if (dir === 1) {
    for (let i = firstAtOrAfter(steps, from + 1); i < steps.length; i++) if (test(i)) return steps[i]!
  } else {
    for (let i = lastAtOrBefore(steps, from - 1); i >= 0; i--) if (test(i)) return steps[i]!
  }
  return -1
}

/** Step lists built on first use: CALL/CREATE steps and failing steps, sorted. */
interface Lists {
  callSteps: number[]
  callIds: number[]
  failSteps: number[]
}

const lists = new WeakMap<Engine, Lists>()

function listsOf(engine: Engine): Lists {
  let l = lists.get(engine)
  if (l === undefined) {
    const calls = engine.index.calls.filter((c) => c.parent >= 0)
    const fails = engine.index.calls
      .filter((c) => c.outcome !== 0 && c.lastStep >= 0)
      .map((c) => c.lastStep)
      .sort((a, b) => a - b)
    l = { callSteps: calls.map((c) => c.callerStep), callIds: calls.map((c) => c.id), failSteps: fails }
    lists.set(engine, l)
  }
  return l
}

const isCreate = (kind: CallKind) => kind === CallKind.Create || kind === CallKind.Create2

/**
 * The nearest step after (dir 1) or before (dir -1) `from` where an indexed breakpoint (all but
 * pc and opcode) matches, from the first-pass index alone; -1 when none. Undefined for the
 * scanned kinds.
 */
export function searchIndexed(
  engine: Engine,
  bp: Breakpoint,
  from: number,
  dir: Direction,
): number | undefined {
  const index = engine.index
  const f = bp.filters
  switch (bp.spec.kind) {
    case 'sstore':
    case 'tstore': {
      const e = bp.spec.kind === 'sstore' ? index.sstore : index.tstore
      return scanList(
        e.step,
        from,
        dir,
        (i) =>
          (f.address === undefined || e.address[i] === f.address) &&
          (f.slot === undefined || e.key[i] === f.slot) &&
          (f.old === undefined || e.old[i] === f.old) &&
          (f.new === undefined || e.value[i] === f.new),
      )
    }
    case 'sload': {
      const e = index.sload
      return scanList(
        e.step,
        from,
        dir,
        (i) =>
          (f.address === undefined || e.address[i] === f.address) &&
          (f.slot === undefined || e.key[i] === f.slot),
      )
    }
    case 'log': {
      const e = index.logs
      return scanList(e.step, from, dir, (i) => {
        if (f.address !== undefined && e.address[i] !== f.address) return false
        const topics = e.topics[i]!
        return (f.topics ?? []).every((t, k) => t === null || topics[k] === t)
      })
    }
    case 'call': {
      const l = listsOf(engine)
      return scanList(l.callSteps, from, dir, (i) => {
        const c = index.calls[l.callIds[i]!]!
        if (f.create !== undefined && isCreate(c.kind) !== f.create) return false
        return f.address === undefined || c.to === f.address || c.codeAddress === f.address
      })
    }
    case 'revert':
      return scanList(listsOf(engine).failSteps, from, dir, () => true)
    default:
      return undefined
  }
}

function frameMatches(bp: Breakpoint, frame: FrameState): boolean {
  const f = bp.filters
  if (f.opcode !== undefined) return frame.opcode() === f.opcode
  if (frame.pc !== f.pc) return false
  const create = isCreate(frame.kind)
  return codeKey(create ? frame.address : frame.codeAddress, create) === f.code
}

function segmentMayMatch(bp: Breakpoint, segment: Segment): boolean {
  const f = bp.filters
  if (f.opcode !== undefined) return ((segment.opcodes[f.opcode >> 3]! >> (f.opcode & 7)) & 1) === 1
  return segment.codes.has(f.code!)
}

/**
 * The nearest step strictly between `from` and `bound` (in direction `dir`) where a pc or
 * opcode breakpoint matches, by re-running only the segments whose summary allows a match;
 * -1 when none.
 */
export function searchScanned(
  engine: Engine,
  bps: readonly Breakpoint[],
  from: number,
  dir: Direction,
  bound: number,
): number {
  if (bps.length === 0) return -1
  const starts = engine.checkpointSteps
  const end = (i: number) => starts[i + 1] ?? engine.totalSteps
  const matches = (frame: FrameState) => bps.some((bp) => frameMatches(bp, frame))
  if (dir === 1) {
    for (let i = engine.checkpointFor(from + 1); i < starts.length && starts[i]! < bound; i++) {
      const segment = engine.segments[i]!
      if (!bps.some((bp) => segmentMayMatch(bp, segment))) continue
      const stop = Math.min(end(i), bound)
      let found = -1
      engine.rerun(i, {
        step(frame, n) {
          if (n >= stop) throw new Pause('segment end')
          if (n > from && matches(frame)) {
            found = n
            throw new Pause('found')
          }
        },
      })
      if (found >= 0) return found
    }
    return -1
  }
  for (let i = engine.checkpointFor(from - 1); i >= 0 && end(i) > bound + 1; i--) {
    const segment = engine.segments[i]!
    if (!bps.some((bp) => segmentMayMatch(bp, segment))) continue
    const stop = Math.min(end(i), from)
    let found = -1
    engine.rerun(i, {
      step(frame, n) {
        if (n >= stop) throw new Pause('segment end')
        if (n > bound && matches(frame)) found = n
      },
    })
    if (found >= 0) return found
  }
  return -1
}
