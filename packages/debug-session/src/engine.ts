import {
  CallKind,
  captureMachine,
  type EnterInfo,
  type ExitInfo,
  type FrameState,
  type HaltReason,
  type Inspector,
  type Log,
  type MachineSnapshot,
  MEMORY_PAGE,
  type PreparedTransaction,
  prepareTransaction,
  runPreparedTransaction,
  type TransactionResult,
} from '@crucible/evm'
import type { StateSnapshot, WorldState } from '@crucible/state'
import { TxValidationError } from '@crucible/tx'
import { DebugSessionError } from './errors.js'
import { HostLog, RecordingHost } from './host-log.js'
import type { TransactionCase } from './input.js'
import {
  type CallRecord,
  codeKey,
  KEPT_BYTES,
  lastAtOrBefore,
  type Segment,
  TraceIndex,
} from './trace-index.js'

/** A resumable point: the machine before step `step` and the host log position then. */
export interface Checkpoint {
  readonly step: number
  readonly hostPosition: number
  readonly machine: MachineSnapshot
  readonly bytes: number
}

export interface EngineOptions {
  /** Steps between checkpoints to start with (doubled whenever the budget is exceeded). Default 4096. */
  checkpointInterval?: number

  /** Bytes the checkpoints may hold before every other one is dropped. Default 64 MiB. */
  checkpointBudget?: number
}

/** Thrown from an inspector hook to stop a re-run; nothing in the EVM catches it. */
export class Pause extends Error {
  override name = 'Pause'
}

// Opcodes the first pass looks at (everything else only counts).
const SLOAD = 0x54
const SSTORE = 0x55
const TLOAD = 0x5c
const TSTORE = 0x5d
const SELFDESTRUCT = 0xff
// 1: indexed (storage, self-destruct); 2: writes memory (the pages a checkpoint must copy).
const INDEXED = 1
const WRITES_MEMORY = 2
const WATCHED: Uint8Array = /* @__PURE__ */ (() => {
  const w = new Uint8Array(256)
  for (const op of [SLOAD, SSTORE, TLOAD, TSTORE, SELFDESTRUCT]) w[op] = INDEXED
  for (const op of [0x37, 0x39, 0x3c, 0x3e, 0x52, 0x53, 0x5e, 0xf1, 0xf2, 0xf4, 0xfa]) w[op] = WRITES_MEMORY
  return w
})()

const PAGE_SHIFT = Math.log2(MEMORY_PAGE)
/** Steps between checkpoints per memory page the machine holds (see `FirstPass.checkpoint`). */
const STEPS_PER_PAGE = 16
const MAX_RANGE = 2n ** 32n

/** Adds the memory pages of [offset, offset + size) to `dirty` (nothing for a range it cannot pay for). */
function markPages(dirty: Set<number>, offset: bigint, size: bigint): void {
  if (size === 0n || offset + size > MAX_RANGE) return
  const last = Number(offset + size - 1n) >>> PAGE_SHIFT
  for (let page = Number(offset) >>> PAGE_SHIFT; page <= last; page++) dirty.add(page)
}

/** The memory a CALL-family opcode writes its callee's output to: [offset, size]. */
function returnRange(frame: FrameState, op: number): [bigint, bigint] {
  return op === 0xf1 || op === 0xf2
    ? [frame.stackItem(5), frame.stackItem(6)]
    : [frame.stackItem(4), frame.stackItem(5)]
}

const isCreateKind = (kind: CallKind) => kind === CallKind.Create || kind === CallKind.Create2

/** Memory pages of a frame snapshot (shared between snapshots when unchanged). */
const pagesOf = (f: MachineSnapshot['frames'][number]) =>
  (f as unknown as { pages: readonly Uint8Array[] }).pages

/** Bytes a snapshot adds on top of `previous` (pages shared with it cost nothing). */
function machineBytes(m: MachineSnapshot, previous: MachineSnapshot | undefined): number {
  let bytes = 64
  m.frames.forEach((f, depth) => {
    bytes += 200 + f.stack.length * 48 + pagesOf(f).length * 8
    const old = previous?.frames[depth] === undefined ? undefined : pagesOf(previous.frames[depth]!)
    pagesOf(f).forEach((page, i) => {
      if (old?.[i] !== page) bytes += page.length + 64
    })
  })
  return bytes
}

/** Bytes of all checkpoints, each shared page counted once. */
function checkpointsBytes(list: readonly Checkpoint[]): number {
  const seen = new Set<Uint8Array>()
  let bytes = 0
  for (const c of list)
    for (const f of c.machine.frames) {
      bytes += 264 + f.stack.length * 48 + pagesOf(f).length * 8
      for (const page of pagesOf(f))
        if (!seen.has(page)) {
          seen.add(page)
          bytes += page.length + 64
        }
    }
  return bytes
}

/**
 * The first pass: counts steps, takes checkpoints every `interval` steps (thinning them to stay
 * within the budget), and builds the {@link TraceIndex}. Per opcode it does a counter, one
 * byte store and one table read; the rest happens on the rare opcodes and messages.
 */
class FirstPass implements Inspector {
  steps = 0
  readonly index = new TraceIndex()
  readonly checkpoints: Checkpoint[] = []
  readonly segments: Segment[] = []
  private interval: number
  private next = 0
  private checkpointBytes = 0
  private segmentOps = new Uint8Array(256)
  private segmentCodes = new Set<bigint>()
  /** The executing message and its code key, innermost last. */
  private readonly stack: CallRecord[] = []
  private readonly codeStack: bigint[] = []
  /** Per executing frame: memory pages written since the last checkpoint, and the output range of its pending call. */
  private readonly dirtyStack: Set<number>[] = []
  private readonly returnStack: ([bigint, bigint] | undefined)[] = []
  /** Call ids of the frames at the last checkpoint, outermost first. */
  private checkpointChain: number[] = []
  private lastMachine: MachineSnapshot | undefined

  constructor(
    private readonly host: WorldState,
    private readonly hostLog: HostLog,
    options: EngineOptions,
    private readonly budget: number,
  ) {
    this.interval = Math.max(1, Math.floor(options.checkpointInterval ?? 4096))
  }

  step(frame: FrameState): void {
    const n = this.steps++
    const op = frame.opcode()
    if (n === this.next) this.checkpoint(frame, n)
    this.segmentOps[op] = 1
    const watched = WATCHED[op]!
    if (watched === INDEXED) this.watched(frame, op, n)
    else if (watched === WRITES_MEMORY) this.writesMemory(frame, op)
  }

  private writesMemory(frame: FrameState, op: number): void {
    const top = this.dirtyStack.length - 1
    const dirty = this.dirtyStack[top]!
    switch (op) {
      case 0x52: // MSTORE
        markPages(dirty, frame.stackItem(0), 32n)
        break
      case 0x53: // MSTORE8
        markPages(dirty, frame.stackItem(0), 1n)
        break
      case 0x3c: // EXTCODECOPY
        markPages(dirty, frame.stackItem(1), frame.stackItem(3))
        break
      case 0x37: // CALLDATACOPY, CODECOPY, RETURNDATACOPY, MCOPY: destination, _, size
      case 0x39:
      case 0x3e:
      case 0x5e:
        markPages(dirty, frame.stackItem(0), frame.stackItem(2))
        break
      default: {
        // A call's output lands when it returns: now for a precompile or empty code, else at
        // the callee's exit (see `exit`).
        const range = returnRange(frame, op)
        markPages(dirty, range[0], range[1])
        this.returnStack[top] = range
      }
    }
  }

  private checkpoint(frame: FrameState, n: number): void {
    if (this.checkpoints.length > 0) this.closeSegment()
    // The last capture, even if thinning dropped it: the dirty pages are relative to it.
    const previous = this.lastMachine
    const chain = this.stack.map((c) => c.id)
    // A frame that was already running at the last checkpoint copies only its written pages.
    const dirty = chain.map((id, depth) =>
      this.checkpointChain[depth] === id ? this.dirtyStack[depth] : undefined,
    )
    const machine = captureMachine(frame, previous, dirty)
    for (const set of this.dirtyStack) set.clear()
    this.checkpointChain = chain
    this.lastMachine = machine
    const bytes = machineBytes(machine, previous)
    this.checkpoints.push({ step: n, hostPosition: this.hostLog.length, machine, bytes })
    this.checkpointBytes += bytes
    const code = this.codeStack[this.codeStack.length - 1]
    if (code !== undefined) this.segmentCodes.add(code)
    if (this.checkpointBytes > this.budget && this.checkpoints.length > 2) this.thin()
    // A checkpoint costs O(pages) (its page tables): with a large memory they are spaced out
    // so that this stays a small share of the steps between them.
    let pages = 0
    for (const f of machine.frames) pages += Math.ceil(f.memorySize / MEMORY_PAGE)
    this.next = n + Math.max(this.interval, pages * STEPS_PER_PAGE)
  }

  private closeSegment(): void {
    const bits = new Uint8Array(32)
    for (let op = 0; op < 256; op++) if (this.segmentOps[op] === 1) bits[op >> 3]! |= 1 << (op & 7)
    this.segments.push({ opcodes: bits, codes: this.segmentCodes })
    this.segmentOps = new Uint8Array(256)
    this.segmentCodes = new Set()
  }

  /** Drops every other checkpoint (never the first) and merges their segments. */
  private thin(): void {
    const kept: Checkpoint[] = []
    const merged: Segment[] = []
    for (let i = 0; i < this.checkpoints.length; i += 2) {
      kept.push(this.checkpoints[i]!)
      const a = this.segments[i]
      const b = this.segments[i + 1]
      if (a === undefined) continue
      if (b === undefined) merged.push(a)
      else {
        const opcodes = new Uint8Array(32)
        for (let k = 0; k < 32; k++) opcodes[k] = a.opcodes[k]! | b.opcodes[k]!
        merged.push({ opcodes, codes: new Set([...a.codes, ...b.codes]) })
      }
    }
    // The open segment (after the last checkpoint) was segment i+1 of a dropped checkpoint
    // when the count was even: fold the closed one in front of it into the open one.
    if (this.checkpoints.length % 2 === 0) {
      const last = merged.pop()
      if (last !== undefined) {
        for (let op = 0; op < 256; op++) if ((last.opcodes[op >> 3]! >> (op & 7)) & 1) this.segmentOps[op] = 1
        for (const c of last.codes) this.segmentCodes.add(c)
      }
    }
    this.checkpoints.length = 0
    this.checkpoints.push(...kept)
    this.segments.length = 0
    this.segments.push(...merged)
    this.checkpointBytes = checkpointsBytes(kept)
    this.interval *= 2
  }

  private watched(frame: FrameState, op: number, n: number): void {
    const call = this.stack[this.stack.length - 1]!.id
    // Items read in place: a copy of the whole stack per SLOAD/SSTORE (98,000 of them on
    // snailtracer) stood out in the first pass's profile.
    const top = frame.sp
    if (op === SSTORE || op === TSTORE) {
      if (top < 2) return
      const key = frame.stackItem(0)
      const value = frame.stackItem(1)
      const e = op === SSTORE ? this.index.sstore : this.index.tstore
      e.step.push(n)
      e.call.push(call)
      e.address.push(frame.address)
      e.key.push(key)
      e.old.push(
        op === SSTORE
          ? this.host.getStorage(frame.address, key)
          : this.host.getTransientStorage(frame.address, key),
      )
      e.value.push(value)
    } else if (op === SLOAD || op === TLOAD) {
      if (top < 1) return
      const e = op === SLOAD ? this.index.sload : this.index.tload
      e.step.push(n)
      e.call.push(call)
      e.address.push(frame.address)
      e.key.push(frame.stackItem(0))
    } else if (op === SELFDESTRUCT) {
      if (top < 1) return
      const e = this.index.selfdestructs
      e.step.push(n)
      e.call.push(call)
      e.address.push(frame.address)
      e.beneficiary.push(frame.stackItem(0) & ((1n << 160n) - 1n))
      e.balance.push(this.host.getBalance(frame.address))
    }
  }

  log(_frame: FrameState, log: Log): void {
    const e = this.index.logs
    e.step.push(this.steps - 1)
    e.call.push(this.stack[this.stack.length - 1]!.id)
    e.address.push(log.address)
    e.topics.push(log.topics)
    e.data.push(log.data)
  }

  enter(info: EnterInfo): void {
    const parent = this.stack[this.stack.length - 1]
    const record: CallRecord = {
      id: this.index.calls.length,
      parent: parent === undefined ? -1 : parent.id,
      depth: info.depth,
      kind: info.kind,
      from: info.from,
      to: info.to,
      codeAddress: info.codeAddress,
      value: info.value,
      gas: info.gas,
      isStatic: info.isStatic,
      precompile: info.precompile,
      input: info.input.length > KEPT_BYTES ? info.input.slice(0, KEPT_BYTES) : info.input,
      inputLength: info.input.length,
      callerStep: parent === undefined ? -1 : this.steps - 1,
      firstStep: this.steps,
      endStep: -1,
      lastStep: -1,
      outcome: 0,
      halt: undefined,
      gasUsed: 0,
      output: new Uint8Array(0),
      outputLength: 0,
      createdAddress: undefined,
      children: [],
    }
    this.index.calls.push(record)
    parent?.children.push(record.id)
    this.stack.push(record)
    this.dirtyStack.push(new Set())
    this.returnStack.push(undefined)
    const code = codeKey(isCreateKind(info.kind) ? info.to : info.codeAddress, isCreateKind(info.kind))
    this.codeStack.push(code)
    this.segmentCodes.add(code)
    this.index.runStart.push(this.steps)
    this.index.runCall.push(record.id)
  }

  exit(info: ExitInfo): void {
    const record = this.stack.pop()!
    this.codeStack.pop()
    this.dirtyStack.pop()
    this.returnStack.pop()
    const top = this.dirtyStack.length - 1
    const pending = this.returnStack[top]
    if (pending !== undefined) {
      markPages(this.dirtyStack[top]!, pending[0], pending[1])
      this.returnStack[top] = undefined
    }
    record.endStep = this.steps
    record.lastStep = this.steps > record.firstStep ? this.steps - 1 : -1
    record.outcome = info.outcome
    record.halt = info.halt
    record.gasUsed = info.gasUsed
    record.output = info.output.length > KEPT_BYTES ? info.output.slice(0, KEPT_BYTES) : info.output
    record.outputLength = info.output.length
    record.createdAddress = info.createdAddress
    const parent = this.stack[this.stack.length - 1]
    if (parent !== undefined) {
      this.index.runStart.push(this.steps)
      this.index.runCall.push(parent.id)
      this.segmentCodes.add(this.codeStack[this.codeStack.length - 1]!)
    }
  }

  finish(): void {
    if (this.checkpoints.length > 0) this.closeSegment()
    this.index.totalSteps = this.steps
  }
}

/** What a re-run hook gets besides the frame: the absolute step number and the live host. */
export interface RerunHooks {
  /** Before step `n`; throw {@link Pause} to stop. */
  step?(frame: FrameState, n: number, host: WorldState): void
  /** After step `n`. */
  stepEnd?(
    frame: FrameState,
    n: number,
    gasCost: number,
    halt: HaltReason | undefined,
    host: WorldState,
  ): void
}

/**
 * The engine: one first pass over the transaction, then any step reached again by restoring
 * the nearest checkpoint at or before it (pre-state + a prefix of the host log, and the
 * machine snapshot) and re-running from there. Memory is the checkpoints (bounded by the
 * budget), the host log (one entry per state write) and the index, never per-step state.
 */
export class Engine {
  /** @internal The first pass's index (calls, writes, reads, logs by step). */
  readonly index: TraceIndex
  readonly checkpoints: readonly Checkpoint[]
  /** @internal Which opcodes and code each checkpoint interval holds. */
  readonly segments: readonly Segment[]
  readonly result: TransactionResult
  readonly prepared: PreparedTransaction
  /** @internal Every state write of the transaction, in order (re-runs replay a prefix). */
  readonly log: HostLog
  /** Time of the first pass, in ms. */
  readonly firstPassMs: number
  private readonly pre: StateSnapshot
  /** The state re-runs use: restored to the pre-state and advanced through the log. */
  readonly work: WorldState

  constructor(
    readonly input: TransactionCase,
    options: EngineOptions = {},
  ) {
    const started = performance.now()
    this.work = input.state
    this.pre = this.work.snapshot()
    this.log = new HostLog()
    const host = new RecordingHost(this.work, this.log)
    let prepared: PreparedTransaction
    try {
      prepared = prepareTransaction(host, input.tx, input.block, input.rules)
    } catch (error) {
      if (error instanceof TxValidationError)
        throw new DebugSessionError('INVALID_TRANSACTION', 'The EVM refuses this transaction', {
          reason: error.rejection,
          message: error.shortMessage,
        })
      throw error
    }
    this.prepared = prepared
    const pass = new FirstPass(this.work, this.log, options, options.checkpointBudget ?? 64 * 2 ** 20)
    this.result = runPreparedTransaction(host, prepared, { inspector: pass })
    pass.finish()
    this.index = pass.index
    this.checkpoints = pass.checkpoints
    this.segments = pass.segments
    this.checkpointSteps = this.checkpoints.map((c) => c.step)
    this.firstPassMs = performance.now() - started
    this.hostAt = this.log.length
  }

  /** The step of each checkpoint. */
  readonly checkpointSteps: readonly number[]

  /** Log position `work` is at (-1: unknown, restore first). */
  private hostAt: number

  get totalSteps(): number {
    return this.index.totalSteps
  }

  /** Index of the checkpoint a re-run to `step` starts from. */
  checkpointFor(step: number): number {
    return Math.max(0, lastAtOrBefore(this.checkpointSteps, step))
  }

  /** Bytes held by checkpoints, index and host log (an estimate). */
  byteSize(): { checkpoints: number; index: number; hostLog: number } {
    return {
      checkpoints: checkpointsBytes(this.checkpoints),
      index: this.index.byteSize(),
      hostLog: this.log.byteSize(),
    }
  }

  /**
   * Re-runs from checkpoint `from` with `hooks`, until a hook throws {@link Pause} (returns
   * it) or the transaction ends (returns its result; `work` then holds the post-state).
   */
  rerun(from: number, hooks: RerunHooks): Pause | TransactionResult {
    const cp = this.checkpoints[from]!
    this.restoreHost(cp.hostPosition)
    this.hostAt = -1
    const host = this.work
    const steps = this.checkpointSteps
    let n = cp.step
    let last = -1
    // Set while a step hook runs at a checkpoint's step: a pause there leaves the host exactly
    // at that checkpoint, so the next re-run from it needs no restore.
    let atCheckpoint = -1
    let nextCheckpoint = from + 1
    const inspector: Inspector = {}
    const step = hooks.step
    inspector.step = (frame) => {
      last = n
      if (n === steps[nextCheckpoint]) {
        atCheckpoint = nextCheckpoint++
        step?.(frame, n++, host)
        atCheckpoint = -1
      } else if (step !== undefined) step(frame, n++, host)
      else n++
    }
    if (hooks.stepEnd !== undefined) {
      const stepEnd = hooks.stepEnd
      inspector.stepEnd = (frame, gasCost, halt) => stepEnd(frame, last, gasCost, halt, host)
    }
    try {
      return runPreparedTransaction(host, this.prepared, { inspector, resume: cp.machine })
    } catch (error) {
      if (!(error instanceof Pause)) throw error
      if (atCheckpoint >= 0) this.hostAt = this.checkpoints[atCheckpoint]!.hostPosition
      return error
    }
  }

  /** Re-runs from checkpoint `from` with any inspector (a tracer), until it pauses or the transaction ends. */
  rerunInspector(from: number, inspector: Inspector): Pause | TransactionResult {
    const cp = this.checkpoints[from]!
    this.restoreHost(cp.hostPosition)
    this.hostAt = -1
    try {
      return runPreparedTransaction(this.work, this.prepared, { inspector, resume: cp.machine })
    } catch (error) {
      if (error instanceof Pause) return error
      throw error
    }
  }

  /** Brings `work` to log position `position` (from the pre-state unless it is already there). */
  private restoreHost(position: number): void {
    if (this.hostAt >= 0 && this.hostAt <= position) {
      // Forward: only the writes in between.
      this.log.replay(this.work, this.hostAt, position)
    } else {
      this.work.restore(this.pre)
      this.log.replay(this.work, 0, position)
    }
    this.hostAt = position
  }

  /** A fresh copy of the pre-state (for the state diff). */
  preState(into: WorldState): void {
    into.restore(this.pre)
  }
}
