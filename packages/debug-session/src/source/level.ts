import { CallKind, type FrameState } from '@crucible/evm'
import type { Engine } from '../engine.js'
import { DebugSessionError } from '../errors.js'
import { firstAtOrAfter, lastAtOrBefore } from '../trace-index.js'
import { signature } from './abi.js'
import { type CodeArtifact, type CodeMatch, columnOf, lineOf, matchCode, type Sources } from './artifacts.js'
import { instructionOfPc, JUMP_IN, JUMP_OUT } from './source-map.js'

const JUMP = 0x56
/** Jump kinds in {@link CodeSource.jump}. */
export const COUNTED_IN = 1
export const UNCOUNTED_IN = 3
/** Line keys pack a global file id and a 1-based line: file * LINE_SPACE + line. */
const LINE_SPACE = 2 ** 24

export const lineKey = (file: number, line: number): number => file * LINE_SPACE + line

/** A code's source facts per pc, computed once per matched code. */
export interface CodeSource {
  readonly match: CodeMatch
  readonly creation: boolean
  /**
   * pc → line key, -1 where the location is unknown or only "somewhere in this contract" (the
   * dispatcher, and much of via-IR code): navigation skips those, the view still shows them.
   */
  readonly key: Float64Array
  /**
   * pc → jump kind of the instruction's map entry: {@link COUNTED_IN} for a jump into a
   * function made from a statement (a known, non-generated range that is neither the whole
   * contract nor a whole function) — the internal calls source step over passes over —,
   * {@link UNCOUNTED_IN} for the other jumps into a function (the dispatcher's, an ABI
   * coder's), `JUMP_OUT`, or 0.
   */
  readonly jump: Uint8Array
  /** pc → innermost function range (index into `sources.functionRanges`), -1 when none. */
  readonly fn: Int32Array
  /** pc → source map entry (instruction index), -1 inside PUSH data. */
  readonly instruction: Int32Array
}

/**
 * The source-line index: one entry where the executing (call, line, internal function depth)
 * changes — what source stepping and line/function breakpoints search, by binary search and
 * short scans, without executing. Built by one re-run of the transaction when sources are given.
 */
export interface LineIndex {
  readonly step: number[]
  readonly call: number[]
  /** Line key (see {@link lineKey}); -1 while the location is unknown. */
  readonly key: number[]
  /** Call depth + internal function depth (JUMPs marked into/out of a function). */
  readonly depth: number[]
  /** The function range entered at this entry (from outside it, or by a jump into a function), else -1. */
  readonly entered: number[]
}

type Direction = 1 | -1

function frameCode(frame: FrameState): Uint8Array | undefined {
  const f = frame as unknown as { code?: Uint8Array; codeLength?: number }
  if (!(f.code instanceof Uint8Array)) return undefined
  return typeof f.codeLength === 'number' ? f.code.subarray(0, f.codeLength) : f.code
}

const isCreate = (kind: CallKind) => kind === CallKind.Create || kind === CallKind.Create2

/** Source level over one engine: code ↔ artifact, pc ↔ source, the line index, navigation targets. */
export class SourceLevel {
  /** Per call id: the source facts of its code (undefined: no code ran). */
  readonly calls: (CodeSource | undefined)[] = []
  readonly lines: LineIndex = { step: [], call: [], key: [], depth: [], entered: [] }
  private readonly cache = new Map<string, CodeSource>()
  /** 1 for a generated source's file id. */
  private readonly generatedFiles: Uint8Array

  constructor(
    readonly engine: Engine,
    readonly sources: Sources,
  ) {
    this.generatedFiles = Uint8Array.from(sources.files, (f) => (f.generated ? 1 : 0))
    this.build()
  }

  /** Source facts of a code (matched once per distinct code). */
  codeSource(code: Uint8Array, creation: boolean): CodeSource {
    const cacheKey = `${creation ? 'c' : 'r'}${code.length}:${hashBytes(code)}`
    const hit = this.cache.get(cacheKey)
    if (hit !== undefined) return hit
    const match = matchCode(this.sources, code, creation)
    const instruction = instructionOfPc(code)
    const key = new Float64Array(code.length).fill(-1)
    const jump = new Uint8Array(code.length)
    const fn = new Int32Array(code.length).fill(-1)
    if (match.artifact !== undefined) {
      const a = match.artifact
      const limit = creation ? match.argsOffset : code.length
      for (let pc = 0; pc < limit; pc++) {
        const i = instruction[pc]!
        if (i < 0 || i >= a.map.length) continue
        const j = a.map.jump[i]!
        jump[pc] = j === JUMP_OUT ? JUMP_OUT : j === JUMP_IN ? UNCOUNTED_IN : 0
        const file = a.map.file[i]!
        const global = file < 0 ? undefined : a.fileIds.get(file)
        if (global === undefined) continue
        const start = a.map.start[i]!
        const span = a.map.span[i]!
        const f = this.innermostFunction(global, start, span)
        fn[pc] = f
        if (this.sources.contractRanges.has(`${global}:${start}:${span}`)) continue
        key[pc] = lineKey(global, lineOf(this.sources.files[global]!, start))
        const whole =
          f >= 0 &&
          this.sources.functionRanges[f]!.start === start &&
          this.sources.functionRanges[f]!.length === span
        if (j === JUMP_IN && !whole && !this.sources.files[global]!.generated) jump[pc] = COUNTED_IN
      }
    }
    const out: CodeSource = { match, creation, key, jump, fn, instruction }
    this.cache.set(cacheKey, out)
    return out
  }

  private innermostFunction(file: number, start: number, span: number): number {
    let best = -1
    let bestLength = Number.POSITIVE_INFINITY
    this.sources.functionRanges.forEach((r, i) => {
      if (
        r.file === file &&
        r.start <= start &&
        start + span <= r.start + r.length &&
        r.length < bestLength
      ) {
        best = i
        bestLength = r.length
      }
    })
    return best
  }

  /** One re-run of the whole transaction: per-call code sources and the line index. */
  private build(): void {
    const { engine, lines } = this
    const calls = this.calls
    // Per call depth: the jumps into functions not yet returned from (1: counted, see `jump`).
    const jumps: number[][] = []
    const idepth: number[] = []
    const lastFn: number[] = []
    let depth = -1
    let call = -1
    let code: CodeSource | undefined
    let lastKey = Number.NaN
    let lastCall = -1
    let lastDepth = -1
    const enter = (frame: FrameState, n: number) => {
      const record = engine.index.callAt(n)
      call = record.id
      depth = frame.depth
      if (calls[call] === undefined) {
        const bytes = frameCode(frame)
        calls[call] = bytes === undefined ? undefined : this.codeSource(bytes, isCreate(frame.kind))
      }
      code = calls[call]
    }
    engine.rerun(0, {
      step: (frame, n) => {
        if (frame.depth !== depth || n === 0) {
          const deeper = frame.depth > depth
          enter(frame, n)
          if (deeper) {
            idepth[depth] = 0
            jumps[depth] = []
            lastFn[depth] = -1
          }
        }
        const pc = frame.pc
        const key = code === undefined ? -1 : code.key[pc]!
        const d = depth + idepth[depth]!
        if (key !== lastKey || call !== lastCall || d !== lastDepth) {
          let entered = -1
          const fn = code === undefined ? -1 : code.fn[pc]!
          if (fn >= 0 && (fn !== lastFn[depth] || d > lastDepth)) entered = fn
          if (key >= 0) lastFn[depth] = fn
          lines.step.push(n)
          lines.call.push(call)
          lines.key.push(key)
          lines.depth.push(d)
          lines.entered.push(entered)
          lastKey = key
          lastCall = call
          lastDepth = d
        }
        if (code !== undefined) {
          const op = frame.opcode()
          if (op === JUMP) {
            const j = code.jump[pc]!
            if (j === COUNTED_IN || j === UNCOUNTED_IN) {
              jumps[depth]!.push(j === COUNTED_IN ? 1 : 0)
              if (j === COUNTED_IN) idepth[depth]!++
            } else if (j === JUMP_OUT && jumps[depth]!.pop() === 1) idepth[depth]!--
          }
        }
      },
    })
  }

  /** Index of the line entry in force at `step`, -1 before any. */
  entryAt(step: number): number {
    return lastAtOrBefore(this.lines.step, step)
  }

  /** Navigation target at source granularity, or undefined when there is none (then: the end / the start). */
  stepTarget(position: number, kind: 'into' | 'over' | 'out', dir: Direction): number | undefined {
    const l = this.lines
    const atEnd = position >= this.engine.totalSteps
    const here = this.entryAt(Math.min(position, this.engine.totalSteps - 1))
    if (here < 0) return undefined
    // At the end there is no current line: going back, any known line qualifies.
    const key = atEnd ? Number.NaN : l.key[here]!
    const call = atEnd ? -1 : l.call[here]!
    const depth = atEnd ? Number.POSITIVE_INFINITY : l.depth[here]!
    const generated = this.generatedFiles
    const accepts = (i: number): boolean => {
      const k = l.key[i]!
      if (k < 0) return false
      // Compiler-generated code (ABI coders, checked arithmetic): only step into stops there.
      if (kind !== 'into' && generated[Math.floor(k / LINE_SPACE)] === 1) return false
      if (kind === 'out') return l.depth[i]! < depth
      if (kind === 'over' && l.depth[i]! > depth) return false
      return l.key[i] !== key || l.call[i] !== call
    }
    if (dir === 1) {
      for (let i = firstAtOrAfter(l.step, position + 1); i < l.step.length; i++)
        if (accepts(i)) return l.step[i]!
      return undefined
    }
    // Backwards: the start of the previous line run that qualifies.
    const from = position >= this.engine.totalSteps ? l.step.length : here
    for (let i = from - 1; i >= 0; i--) if (accepts(i)) return this.runStart(i)
    return undefined
  }

  /** The first entry of the run of entries that continue entry `i`'s line in its call (separated only by unknown ones). */
  private runStart(i: number): number {
    const l = this.lines
    let start = i
    for (let k = i - 1; k >= 0; k--) {
      if (l.key[k]! < 0) continue
      if (l.key[k] !== l.key[i] || l.call[k] !== l.call[i] || l.depth[k] !== l.depth[i]) break
      start = k
    }
    return l.step[start]!
  }

  /** The nearest entry step after / before `position` matching `test`; -1 when none. */
  search(position: number, dir: Direction, test: (i: number) => boolean): number {
    const l = this.lines
    if (dir === 1) {
      for (let i = firstAtOrAfter(l.step, position + 1); i < l.step.length; i++)
        if (test(i)) return l.step[i]!
    } else {
      for (let i = lastAtOrBefore(l.step, position - 1); i >= 0; i--) if (test(i)) return l.step[i]!
    }
    return -1
  }

  /** A file's global id by path (exact, or the unique path ending in it) or by id. */
  fileId(file: string | number): number {
    const files = this.sources.files
    if (typeof file === 'number') {
      if (files[file] === undefined)
        throw new DebugSessionError('BAD_COMMAND', 'No source file with this id', { file })
      return file
    }
    const exact = files.filter((f) => f.path === file)
    const found =
      exact.length > 0 ? exact : files.filter((f) => f.path.endsWith(`/${file}`) || f.path.endsWith(file))
    if (found.length !== 1)
      throw new DebugSessionError(
        'BAD_COMMAND',
        found.length === 0 ? 'No source file with this path' : 'Several source files end with this path',
        {
          file,
          matches: found.map((f) => f.path),
        },
      )
    return found[0]!.id
  }

  /** Function ranges matching `name` (`name`, `Contract.name`, or `name(types)` by selector). */
  functionsNamed(name: string): Set<number> {
    const out = new Set<number>()
    const paren = name.indexOf('(')
    let selectors: Set<string> | undefined
    if (paren > 0) {
      selectors = new Set()
      for (const c of this.sources.contracts)
        for (const [sel, item] of c.functions) if (signature(item) === name) selectors.add(sel)
    }
    this.sources.functionRanges.forEach((r, i) => {
      if (selectors !== undefined) {
        if (r.selector !== undefined && selectors.has(r.selector)) out.add(i)
      } else if (r.name === name || `${r.contract}.${r.name}` === name) out.add(i)
    })
    return out
  }

  /** Where a pc of a call's code is in the sources, or why that is unknown. */
  locate(callId: number, code: Uint8Array, creation: boolean, pc: number): SourceView {
    const cs = this.calls[callId] ?? this.codeSource(code, creation)
    const m = cs.match
    if (m.artifact === undefined) return { known: false, reason: m.reason }
    const a: CodeArtifact = m.artifact
    const contract = a.contract.name
    const i = cs.instruction[pc] ?? -1
    if (creation && pc >= m.argsOffset)
      return {
        known: false,
        contract,
        reason: 'this pc is in the constructor arguments, past the creation code',
      }
    if (i < 0) return { known: false, contract, reason: 'this pc is inside PUSH data' }
    if (i >= a.map.length)
      return {
        known: false,
        contract,
        reason: `instruction ${i} is past the source map's ${a.map.length} entries (data after the code)`,
      }
    const f = a.map.file[i]!
    if (f < 0)
      return { known: false, contract, reason: 'the compiler tied this instruction to no source (file -1)' }
    const global = a.fileIds.get(f)
    if (global === undefined)
      return { known: false, contract, reason: `source id ${f} has no text in the sources file` }
    const file = this.sources.files[global]!
    const start = a.map.start[i]!
    const length = a.map.span[i]!
    const j = a.map.jump[i]!
    const view: SourceView = {
      known: true,
      contract,
      creation,
      file: global,
      path: file.path,
      generated: file.generated,
      start,
      length,
      line: lineOf(file, start),
      column: columnOf(file, start),
      endLine: lineOf(file, start + Math.max(0, length - 1)),
      jump: j === JUMP_IN ? 'i' : j === JUMP_OUT ? 'o' : '-',
      modifierDepth: a.map.modifierDepth[i]!,
    }
    if (this.sources.contractRanges.has(`${global}:${start}:${length}`)) view.coarse = true
    const fn = cs.fn[pc]!
    if (fn >= 0) {
      const r = this.sources.functionRanges[fn]!
      view.function = `${r.contract}.${r.name}`
    }
    return view
  }
}

/** FNV-1a over the bytes (a cache key; equality is checked by the match itself). */
function hashBytes(b: Uint8Array): string {
  let h = 0x811c9dc5
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193)
  return (h >>> 0).toString(16)
}

/** Where the current step is in the sources. */
export type SourceView =
  | {
      known: true
      contract: string
      /** Creation code (the constructor) rather than runtime code. */
      creation: boolean
      /** Global file id (the `source` command returns its text). */
      file: number
      path: string
      generated: boolean
      /** Byte range in the file (UTF-8), as in the source map. */
      start: number
      length: number
      line: number
      column: number
      endLine: number
      jump: 'i' | 'o' | '-'
      modifierDepth: number
      /** The innermost function or modifier around it (`Contract.name`). */
      function?: string
      /**
       * The range is a whole contract: the compiler only says "in this contract" (the
       * dispatcher, shared revert code, much of via-IR). Source stepping passes over these.
       */
      coarse?: true
    }
  | { known: false; reason: string; contract?: string }
