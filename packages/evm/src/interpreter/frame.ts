import type { Log } from '@crucible/evm-types'
import { type HaltReason, MachineSnapshotError } from '../errors.js'
import type { CallKind, Message } from '../message/message.js'
import type { CodeAnalysis } from './analysis.js'
import { EMPTY, MAX_SAFE_BIG, STACK_LIMIT } from './constants.js'
import type { Meter } from './limits.js'
import { EMPTY_VIEW, releaseMemory } from './memory.js'

/** Frame status after `run` returns. */
export const Status = {
  Running: 0,
  /** STOP, RETURN or SELFDESTRUCT. */
  Success: 1,
  Revert: 2,
  /** An exceptional halt: all gas consumed. */
  Error: 3,
} as const

/** The read-only view of a running frame that inspectors get. */
export interface FrameState {
  readonly pc: number
  readonly gas: number
  /** 0 for the transaction's own frame. */
  readonly depth: number
  readonly address: bigint
  readonly caller: bigint
  readonly codeAddress: bigint
  readonly value: bigint
  readonly isStatic: boolean
  readonly kind: CallKind
  /** Number of stack items. */
  readonly sp: number
  /** Memory size in bytes (always a multiple of 32). */
  readonly memorySize: number
  /** Refund counter of this frame alone (see {@link FrameState.totalRefund}). */
  readonly refund: number
  /** Output of the last call this frame made (RETURNDATASIZE/RETURNDATACOPY). */
  readonly returnData: Uint8Array
  /** The opcode about to run. */
  opcode(): number
  /** A copy of the stack, bottom first. */
  stackItems(): bigint[]
  /** The item `i` places below the top (0: the top) without copying the stack; 0n below the bottom. */
  stackItem(i: number): bigint
  /** A copy of the memory. */
  memoryBytes(): Uint8Array
  /** Refund counter of the whole transaction so far (this frame plus its callers). */
  totalRefund(): number
}

// Stacks are pooled: a deep recursion would otherwise allocate 1024 slots per call.
const stackPool: bigint[][] = []

function newStack(): bigint[] {
  const s = stackPool.pop()
  if (s !== undefined) return s
  const stack: bigint[] = []
  for (let i = 0; i < STACK_LIMIT; i++) stack.push(0n)
  return stack
}

/** One executing frame: message, code, machine state, and what it accumulates. */
export class Frame implements FrameState {
  pc = 0
  sp = 0
  stack: bigint[]
  memory: Uint8Array = EMPTY
  view: DataView = EMPTY_VIEW
  /** Logical memory size in bytes (a multiple of 32). */
  memorySize = 0
  returnData: Uint8Array = EMPTY
  refund = 0
  logs: Log[] | undefined = undefined
  selfdestructs: Set<bigint> | undefined = undefined
  status: number = Status.Running
  output: Uint8Array = EMPTY
  /** Why the frame halted, when `status` is {@link Status.Error}. */
  halt: HaltReason | undefined = undefined
  /** The child message this frame waits on. */
  pending: Message | undefined = undefined
  checkpoint = 0
  /** The run's meter when it has {@link ExecutionLimits} (memory, input and return data are counted). */
  meter: Meter | undefined = undefined
  readonly code: Uint8Array
  readonly codeLength: number
  readonly jumpdests: Uint8Array
  readonly pushes: bigint[]
  readonly kind: CallKind
  readonly caller: bigint
  readonly address: bigint
  readonly codeAddress: bigint
  readonly value: bigint
  readonly input: Uint8Array
  readonly depth: number
  readonly isStatic: boolean
  readonly retOffset: number
  readonly retSize: number
  gas: number
  /** Gas beyond `gas`, in bigint (see `Message.gasExcess`); almost always 0n. */
  excess: bigint
  /** Gas the frame started with. */
  readonly startGas: number

  constructor(
    message: Message,
    analysis: CodeAnalysis,
    readonly parent: Frame | undefined,
  ) {
    this.stack = newStack()
    this.code = analysis.code
    this.codeLength = analysis.length
    this.jumpdests = analysis.jumpdests
    this.pushes = analysis.pushes
    this.kind = message.kind
    this.caller = message.caller
    this.address = message.address
    this.codeAddress = message.codeAddress
    this.value = message.value
    this.input = message.input
    this.depth = message.depth
    this.isStatic = message.isStatic
    this.retOffset = message.retOffset
    this.retSize = message.retSize
    this.gas = message.gas
    this.excess = message.gasExcess
    this.startGas = message.gas
  }

  /** Returns the stack and memory to their pools; the frame must not run again. */
  release(): void {
    stackPool.push(this.stack)
    this.stack = []
    this.meter?.hold(undefined, -(this.memory.length + this.input.length + this.returnData.length))
    releaseMemory(this.memory, this.memorySize)
    this.memory = EMPTY
  }

  opcode(): number {
    return this.code[this.pc]!
  }

  stackItems(): bigint[] {
    return this.stack.slice(0, this.sp)
  }

  stackItem(i: number): bigint {
    return i < this.sp ? this.stack[this.sp - 1 - i]! : 0n
  }

  memoryBytes(): Uint8Array {
    return this.memory.slice(0, this.memorySize)
  }

  totalRefund(): number {
    let total = 0
    for (let f: Frame | undefined = this; f !== undefined; f = f.parent) total += f.refund
    return total
  }
}

/** Splits an exact gas amount into a number part (at most 2^53 - 1) and a bigint excess. */
export function splitGas(total: bigint): [number, bigint] {
  if (total <= MAX_SAFE_BIG) return [Number(total), 0n]
  return [Number.MAX_SAFE_INTEGER, total - MAX_SAFE_BIG]
}

/** Sets a frame's exact remaining gas. */
export function setFrameGas(f: Frame, total: bigint): void {
  const [gas, excess] = splitGas(total)
  f.gas = gas
  f.excess = excess
}

/**
 * A frame's whole machine state, copied at a step boundary (see `captureMachine`): what a
 * debugger shows, and everything `restoreFrame` (internal) needs to run the frame on from there.
 * Immutable: restoring copies again, so one snapshot resumes any number of times.
 */
export class FrameSnapshot {
  readonly pc: number
  readonly gas: number
  readonly depth: number
  readonly kind: CallKind
  readonly address: bigint
  readonly caller: bigint
  readonly codeAddress: bigint
  readonly value: bigint
  readonly isStatic: boolean
  /** The code being run (the initcode of a creation), without analysis padding. */
  readonly code: Uint8Array
  /** Call data (empty for a creation). */
  readonly input: Uint8Array
  /** The stack, bottom first. */
  readonly stack: readonly bigint[]
  /** Memory size in bytes (a multiple of 32). */
  readonly memorySize: number
  readonly returnData: Uint8Array
  /** Refund counter of this frame alone. */
  readonly refund: number
  /** Logs this frame and its finished children emitted so far. */
  readonly logs: readonly Log[]
  // What restoring needs besides the above.
  /** @internal */ readonly excess: bigint
  /** @internal */ readonly startGas: number
  /** @internal */ readonly retOffset: number
  /** @internal */ readonly retSize: number
  /** @internal */ readonly checkpoint: number
  /** @internal */ readonly selfdestructs: readonly bigint[] | undefined
  /** @internal */ readonly analysis: CodeAnalysis
  /** @internal The memory in {@link MEMORY_PAGE}-byte pages (the last one may be shorter). */
  readonly pages: readonly Uint8Array[]

  /**
   * Copies `f`. Memory pages equal to the same page of `previous` (a snapshot of the frame at
   * the same depth, usually the same frame a little earlier) are shared, not copied. With
   * `dirty`, `previous` must be a snapshot of this same frame and `dirty` must hold every page
   * written since: the other pages are then shared without being compared.
   */
  constructor(f: Frame, previous?: FrameSnapshot, dirty?: ReadonlySet<number>) {
    if (f.status !== Status.Running || f.pending !== undefined)
      throw new MachineSnapshotError('NOT_BETWEEN_OPCODES', 'A frame is copied only between opcodes', {
        pc: f.pc,
      })
    this.pc = f.pc
    this.gas = f.gas
    this.depth = f.depth
    this.kind = f.kind
    this.address = f.address
    this.caller = f.caller
    this.codeAddress = f.codeAddress
    this.value = f.value
    this.isStatic = f.isStatic
    this.code = f.code.subarray(0, f.codeLength)
    this.input = f.input
    this.stack = f.stack.slice(0, f.sp)
    this.memorySize = f.memorySize
    this.pages = pageMemory(f.memory, f.memorySize, previous?.pages, dirty)
    // Return data and logs are never written after they are made (outputs are memory copies).
    this.returnData = f.returnData
    this.refund = f.refund
    this.logs = f.logs === undefined ? [] : f.logs.slice()
    this.excess = f.excess
    this.startGas = f.startGas
    this.retOffset = f.retOffset
    this.retSize = f.retSize
    this.checkpoint = f.checkpoint
    this.selfdestructs = f.selfdestructs === undefined ? undefined : [...f.selfdestructs]
    this.analysis = { code: f.code, length: f.codeLength, jumpdests: f.jumpdests, pushes: f.pushes }
  }

  /** A copy of `length` bytes of memory from `offset` (zeros past the end, as MLOAD sees them). */
  readMemory(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, length))
    const end = Math.min(offset + length, this.memorySize)
    for (let at = Math.max(0, offset); at < end; ) {
      const page = this.pages[Math.floor(at / MEMORY_PAGE)]!
      const within = at % MEMORY_PAGE
      const n = Math.min(page.length - within, end - at)
      out.set(page.subarray(within, within + n), at - offset)
      at += n
    }
    return out
  }
}

/** Bytes per memory page of a {@link FrameSnapshot}. */
export const MEMORY_PAGE = 4096
const ZERO_PAGE = new Uint8Array(MEMORY_PAGE)

/** True when the `length` bytes of `a` at `offset` equal `b` (compared 4 bytes at a time). */
function samePage(a: Uint8Array, offset: number, b: Uint8Array): boolean {
  const length = b.length
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && offset % 4 === 0 && length % 4 === 0) {
    const x = new Int32Array(a.buffer, a.byteOffset + offset, length / 4)
    const y = new Int32Array(b.buffer, b.byteOffset, length / 4)
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
    return true
  }
  for (let i = 0; i < length; i++) if (a[offset + i] !== b[i]) return false
  return true
}

function pageMemory(
  memory: Uint8Array,
  size: number,
  previous: readonly Uint8Array[] | undefined,
  dirty: ReadonlySet<number> | undefined,
): Uint8Array[] {
  const pages: Uint8Array[] = []
  for (let offset = 0; offset < size; offset += MEMORY_PAGE) {
    const length = Math.min(MEMORY_PAGE, size - offset)
    const i = pages.length
    const old = previous?.[i]
    if (
      old !== undefined &&
      old.length === length &&
      (dirty === undefined ? samePage(memory, offset, old) : !dirty.has(i))
    )
      pages.push(old)
    else if (length === MEMORY_PAGE && samePage(memory, offset, ZERO_PAGE)) pages.push(ZERO_PAGE)
    else pages.push(memory.slice(offset, offset + length))
  }
  return pages
}

/** A runnable frame in the state of `s` (whose host state the caller has restored). */
export function restoreFrame(s: FrameSnapshot, parent: Frame | undefined): Frame {
  const f = new Frame(
    {
      kind: s.kind,
      caller: s.caller,
      address: s.address,
      codeAddress: s.codeAddress,
      value: s.value,
      input: s.input,
      code: s.code,
      gas: s.startGas,
      gasExcess: s.excess,
      depth: s.depth,
      isStatic: s.isStatic,
      transferValue: false,
      disablePrecompiles: false,
      retOffset: s.retOffset,
      retSize: s.retSize,
    },
    s.analysis,
    parent,
  )
  f.pc = s.pc
  f.gas = s.gas
  f.sp = s.stack.length
  for (let i = 0; i < s.stack.length; i++) f.stack[i] = s.stack[i]!
  if (s.memorySize > 0) {
    f.memory = s.readMemory(0, s.memorySize)
    f.view = new DataView(f.memory.buffer)
    f.memorySize = s.memorySize
  }
  f.returnData = s.returnData
  f.refund = s.refund
  if (s.logs.length > 0) f.logs = s.logs.slice()
  if (s.selfdestructs !== undefined) f.selfdestructs = new Set(s.selfdestructs)
  f.checkpoint = s.checkpoint
  return f
}
