import type { CallKind, HaltReason, Outcome } from '@crucible/evm'

/** Longest prefix of a call's input and output kept in the index (the views read the rest from a re-run). */
export const KEPT_BYTES = 1024

/** One message of the transaction, from the first pass. */
export interface CallRecord {
  readonly id: number
  /** -1 for the transaction's own message. */
  readonly parent: number
  readonly depth: number
  readonly kind: CallKind
  readonly from: bigint
  readonly to: bigint
  readonly codeAddress: bigint
  readonly value: bigint
  readonly gas: number
  readonly isStatic: boolean
  readonly precompile: boolean
  /** The first {@link KEPT_BYTES} of the call data (or initcode). */
  readonly input: Uint8Array
  readonly inputLength: number
  /** The CALL/CREATE step in the parent; -1 for the transaction's message. */
  readonly callerStep: number
  /** Its first step; equal to `endStep` when no code ran (precompile, empty code). */
  readonly firstStep: number
  /** The step after it ended (the parent's next step, or the total for the root). */
  endStep: number
  /** Its own last step (the one that ended it); -1 when no code ran. */
  lastStep: number
  outcome: Outcome
  halt: HaltReason | undefined
  gasUsed: number
  output: Uint8Array
  outputLength: number
  createdAddress: bigint | undefined
  readonly children: number[]
}

/** Storage (or transient storage) writes: one column per field, one row per SSTORE/TSTORE step. */
export interface WriteEvents {
  readonly step: number[]
  readonly call: number[]
  readonly address: bigint[]
  readonly key: bigint[]
  /** The value before the opcode. */
  readonly old: bigint[]
  /** The value the opcode writes (if it does not fail). */
  readonly value: bigint[]
}

/** Storage (or transient storage) reads. */
export interface ReadEvents {
  readonly step: number[]
  readonly call: number[]
  readonly address: bigint[]
  readonly key: bigint[]
}

export interface LogEvents {
  readonly step: number[]
  readonly call: number[]
  readonly address: bigint[]
  readonly topics: bigint[][]
  readonly data: Uint8Array[]
}

export interface SelfdestructEvents {
  readonly step: number[]
  readonly call: number[]
  readonly address: bigint[]
  readonly beneficiary: bigint[]
  /** The balance it sends. */
  readonly balance: bigint[]
}

/**
 * The segment between two checkpoints: what ran in it, so a search for an opcode or a pc can
 * skip the segments that cannot match without re-running them.
 */
export interface Segment {
  /** 256 bits: the opcodes executed. */
  readonly opcodes: Uint8Array
  /** Code keys ({@link codeKey}) of the code that ran. */
  readonly codes: Set<bigint>
}

/** A code identity for pc breakpoints: the account, and whether it is a creation's initcode. */
export function codeKey(address: bigint, initcode: boolean): bigint {
  return (address << 1n) | (initcode ? 1n : 0n)
}

/** The first-pass index: calls, the steps that matter to breakpoints, frame changes. */
export class TraceIndex {
  readonly calls: CallRecord[] = []
  readonly sstore: WriteEvents = { step: [], call: [], address: [], key: [], old: [], value: [] }
  readonly tstore: WriteEvents = { step: [], call: [], address: [], key: [], old: [], value: [] }
  readonly sload: ReadEvents = { step: [], call: [], address: [], key: [] }
  readonly tload: ReadEvents = { step: [], call: [], address: [], key: [] }
  readonly logs: LogEvents = { step: [], call: [], address: [], topics: [], data: [] }
  readonly selfdestructs: SelfdestructEvents = {
    step: [],
    call: [],
    address: [],
    beneficiary: [],
    balance: [],
  }
  /** The step from which `runCall[i]` is the executing message (non-decreasing). */
  readonly runStart: number[] = []
  readonly runCall: number[] = []
  totalSteps = 0

  /** The message executing step `step` (the root at the end). */
  callAt(step: number): CallRecord {
    const i = lastAtOrBefore(this.runStart, step)
    return this.calls[i < 0 ? 0 : this.runCall[i]!]!
  }

  /** True when the call (or one of its callers) failed: its state changes and logs were undone. */
  undone(callId: number): boolean {
    for (let c: CallRecord | undefined = this.calls[callId]; c !== undefined; c = this.calls[c.parent])
      if (c.outcome !== 0) return true
    return false
  }

  /** Rough bytes held. */
  byteSize(): number {
    let bytes = this.calls.length * 400 + this.runStart.length * 16
    for (const c of this.calls) bytes += c.input.length + c.output.length
    bytes += this.sstore.step.length * 120 + this.tstore.step.length * 120
    bytes += this.sload.step.length * 60 + this.tload.step.length * 60
    for (const d of this.logs.data) bytes += d.length + 200
    return bytes
  }
}

/** Index of the last element of the sorted `list` that is <= `value`, -1 when none. */
export function lastAtOrBefore(list: readonly number[], value: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]! <= value) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

/** Index of the first element of the sorted `list` that is >= `value` (list.length when none). */
export function firstAtOrAfter(list: readonly number[], value: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
