import type { ReplayReport } from '@crucible/capsule'
import type { AbortReason, RunResult } from '@crucible/evm'
import type { ForkName } from '@crucible/forks'
import type { Alloc } from '@crucible/state'

/**
 * What one untrusted run may cost. Each is enforced where it can be: gas by the EVM, EVM
 * memory, output and logs by the interpreter's counters (a worker's heap limit does not cover
 * typed arrays), time by a deadline the interpreter polls and, past a grace period, by
 * terminating the thread (which also stops a long precompile), the JS heap by the worker's
 * `resourceLimits`.
 */
export interface SandboxLimits {
  /** Gas a bytecode run may have at most (its own `gas` is lowered to it); default 50,000,000. */
  gasCap?: bigint
  /** Wall clock per run, in milliseconds; default 5,000. */
  timeoutMs?: number
  /** After the deadline, how long the run may still take to stop itself before its thread is terminated; default 250 ms. */
  graceMs?: number
  /** EVM memory, call input and return data held at once across all frames; default 64 MiB. */
  memoryBytes?: number
  /** Largest RETURN/REVERT output of any frame; default 16 MiB. */
  outputBytes?: number
  /** Log data and topics of a run; default 16 MiB. */
  logBytes?: number
  /** Opcodes a run may execute (counted by an inspector, which slows the run: optional). */
  steps?: number
  /** The worker's JS heap (old generation), in MiB; default 256. */
  heapMb?: number
}

/** Replays a capsule (any mode) with no database. */
export interface CapsuleJob {
  kind: 'capsule'
  capsule: Uint8Array
}

/**
 * Runs bytecode or a call on a fresh in-memory state built from `alloc` (the library entry
 * point for arbitrary bytecode): with `code`, as `runCode` (the code runs as `address`'s);
 * otherwise as `runCall` to `to`.
 */
export interface EvmJob {
  kind: 'evm'
  alloc?: Alloc
  code?: Uint8Array
  address?: bigint
  to?: bigint
  caller?: bigint
  value?: bigint
  data?: Uint8Array
  gas?: bigint
  fork?: ForkName
}

export type SandboxJob = CapsuleJob | EvmJob

/** What a job produced when it ran to its end inside its limits (the EVM's own result). */
export type JobResult = { kind: 'capsule'; report: ReplayReport } | { kind: 'evm'; result: RunResult }

/**
 * Why a run was stopped: an interpreter limit ({@link AbortReason}: `timeout`, `memory`,
 * `output`, `logs`, `steps`), the worker's JS heap (`heap`), or its thread ending otherwise
 * (`crashed`).
 */
export type SandboxAbortReason = AbortReason | 'heap' | 'crashed'

/**
 * The result of a sandboxed run, never confused with an EVM outcome: `completed` carries the
 * EVM's result (a revert or halt is a completed run); `aborted` says which limit stopped it;
 * `failed` is a typed error of the input (a malformed capsule, an invalid transaction).
 */
export type SandboxResult =
  | { status: 'completed'; result: JobResult; elapsedMs: number; steps?: number }
  | {
      status: 'aborted'
      reason: SandboxAbortReason
      elapsedMs: number
      /** Opcodes run, when a step cap counted them. */
      steps?: number
      /** Where the interpreter was when it stopped itself (absent when the thread was terminated). */
      pc?: number
      depth?: number
      /** The byte count and limit that were crossed (memory, output, logs). */
      bytes?: number
      limit?: number
      /** True when the thread was terminated (the run did not stop itself in time). */
      terminated?: boolean
    }
  | { status: 'failed'; error: SandboxError; elapsedMs: number }

/** A typed error as it crosses the thread boundary (a `CrucibleError`'s fields). */
export interface SandboxError {
  name: string
  code: string
  message: string
  details: Record<string, unknown>
}
