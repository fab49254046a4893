import type { HaltReason } from '../errors.js'
import type { Log } from '../host.js'
import type { CodeAnalysis } from './analysis.js'
import { EMPTY, MAX_SAFE_BIG, STACK_LIMIT } from './constants.js'
import { EMPTY_VIEW, releaseMemory } from './memory.js'

/** What kind of message a frame runs. */
export const CallKind = {
  Call: 0,
  CallCode: 1,
  DelegateCall: 2,
  StaticCall: 3,
  Create: 4,
  Create2: 5,
} as const
export type CallKind = (typeof CallKind)[keyof typeof CallKind]

/** Frame status after `run` returns. */
export const Status = {
  Running: 0,
  /** STOP, RETURN or SELFDESTRUCT. */
  Success: 1,
  Revert: 2,
  /** An exceptional halt: all gas consumed. */
  Error: 3,
} as const

/**
 * A message to run: what CALL/CREATE hand to the driver, and what the transaction layer starts
 * with. `code` is the code to run (initcode for a creation).
 */
export class Message {
  constructor(
    public kind: CallKind,
    public caller: bigint,
    /** The account whose storage and balance the code acts on ("current target"). */
    public address: bigint,
    /** Where the code came from (precompile dispatch looks at this). */
    public codeAddress: bigint,
    public value: bigint,
    public input: Uint8Array,
    public code: Uint8Array,
    public gas: number,
    public depth: number,
    public isStatic: boolean,
    /** False for DELEGATECALL (value is inherited, not sent). */
    public transferValue: boolean,
    /** EIP-7702: code reached through a delegation never runs a precompile. */
    public disablePrecompiles: boolean,
    /** Where the caller wants the output in its memory (calls only). */
    public retOffset: number,
    public retSize: number,
    /**
     * Gas beyond `gas` (which is at most 2^53 - 1): only non-zero for transactions or calls
     * with more gas than a JS number holds exactly.
     */
    public gasExcess = 0n,
  ) {}
}

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
  /** The opcode about to run. */
  opcode(): number
  /** A copy of the stack, bottom first. */
  stackItems(): bigint[]
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
  /** Gas beyond `gas`, in bigint (see {@link Message.gasExcess}); almost always 0n. */
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
    releaseMemory(this.memory, this.memorySize)
    this.memory = EMPTY
  }

  opcode(): number {
    return this.code[this.pc]!
  }

  stackItems(): bigint[] {
    return this.stack.slice(0, this.sp)
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
