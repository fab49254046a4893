import type { BenchInput, Benchmark } from './manifest.js'

/** What one execution of a benchmark input produced. */
export type RunResult = {
  /** Return data of the call. */
  output: Uint8Array
  /** Gas used by the call frame (exec_gas semantics: no intrinsic cost, before refunds). */
  gasUsed: bigint | number
  /** Set when the call failed (revert, exceptional halt); the harness reports it as a mismatch. */
  error?: string
}

/**
 * ADAPTER INTERFACE between the harness and an EVM implementation.
 *
 * - `prepare` builds the world for one benchmark: the runtime code installed at `benchmark.to`
 *   (for evm-bench contracts: the constructor `init` run at `to` first, so its storage writes are
 *   in place), a funded sender, the Prague rules. It is not timed.
 * - `run` executes one input as a transaction would (EIP-2929: sender, recipient and precompiles
 *   warm) and is the only timed part. It may return a promise (ethereumjs is async).
 * - `reset` brings the world back to the post-`prepare` state so every run starts from the
 *   same storage (snapshot/restore, checkpoint/revert). It is not timed.
 */
export interface Engine<Prepared = unknown> {
  readonly name: string
  prepare(benchmark: Benchmark): Prepared | Promise<Prepared>
  run(prepared: Prepared, input: BenchInput): RunResult | Promise<RunResult>
  reset(prepared: Prepared): void | Promise<void>
}

/** Address the benchmarks are called from (any funded EOA; it is warm as the tx sender). */
export const SENDER = 0x1000000000000000000000000000000000000001n
/** Balance given to the sender: plenty, so value-less calls never fail on funds. */
export const SENDER_BALANCE = 10n ** 30n
