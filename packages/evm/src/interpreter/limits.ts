import { CrucibleError } from '@crucible/primitives'

/** Where a run is (a frame's pc and depth), for the abort's details. */
interface At {
  readonly pc: number
  readonly depth: number
}

/** Why a metered run was stopped (see {@link ExecutionAbortedError}). */
export type AbortReason = 'timeout' | 'cancelled' | 'memory' | 'output' | 'logs' | 'steps'

/**
 * Bounds on what one execution may cost the host beyond its gas, for code nobody vouches for
 * (`eth_call` from anyone, a capsule from anywhere). Gas alone does not bound memory: gas buys
 * memory in every one of 1,024 frames (about 141 MB at 50M gas, 2.3 GB at 1e10), and a
 * worker's heap limit does not cover typed arrays. All optional; none is checked when absent.
 */
export interface ExecutionLimits {
  /**
   * Bytes held at once across all live frames: memory buffers (their capacity), call input
   * and return data. Checked at every expansion, call and return.
   */
  memoryBytes?: number
  /** Largest RETURN/REVERT output (or precompile output) of any frame, in bytes. */
  outputBytes?: number
  /** Log data and topics (32 bytes each) emitted during the run, in bytes. */
  logBytes?: number
  /**
   * Polled at the first jump after every {@link pollGas} gas a frame spends, and at every call,
   * creation and return: a reason aborts the run. Every loop goes through a jump and
   * straight-line code is at most one code's length, so no check per opcode is needed; gas,
   * not a jump count, spaces the polls because gas tracks time (a loop of KECCAK256 over large
   * memory polls at every turn). A long precompile (MODEXP, pairings) runs to its end between
   * polls: only terminating its thread stops it.
   */
  interrupt?: () => AbortReason | undefined
  /** Gas between polls of {@link interrupt}; default 1,000,000 (milliseconds of work). */
  pollGas?: number
}

export interface ExecutionAbortedDetails extends Record<string, unknown> {
  reason: AbortReason
  /** pc of the frame running when the limit was hit. */
  pc: number
  depth: number
  /** The byte count that crossed the limit (memory, output, logs). */
  bytes?: number
  limit?: number
}

/**
 * A metered run stopped by one of its {@link ExecutionLimits}: not an EVM outcome (no halt,
 * no revert); the run has no result and the host is left mid-transaction, to be discarded.
 * Code `EXECUTION_ABORTED`; `details.reason` says which limit.
 */
export class ExecutionAbortedError extends CrucibleError<ExecutionAbortedDetails> {
  override name = 'ExecutionAbortedError'
  constructor(details: ExecutionAbortedDetails) {
    super('EXECUTION_ABORTED', `execution aborted (${details.reason})`, details)
  }
}

/** The counters of one metered run, shared by all its frames (`Context.meter`). */
export class Meter {
  /** Bytes held now (memory capacity, inputs, return data). */
  held = 0
  /** Most bytes held at once. */
  peak = 0
  logs = 0
  /** The running frame polls at its first jump with less gas than this. */
  pollAt = Number.POSITIVE_INFINITY
  private readonly pollGas: number
  private readonly memoryLimit: number
  private readonly outputLimit: number
  private readonly logLimit: number
  private readonly interrupt: (() => AbortReason | undefined) | undefined

  constructor(limits: ExecutionLimits) {
    this.pollGas = Math.max(1, limits.pollGas ?? 1_000_000)
    this.memoryLimit = limits.memoryBytes ?? Number.POSITIVE_INFINITY
    this.outputLimit = limits.outputBytes ?? Number.POSITIVE_INFINITY
    this.logLimit = limits.logBytes ?? Number.POSITIVE_INFINITY
    this.interrupt = limits.interrupt
  }

  /** Polls the interrupt now; the next poll comes after {@link ExecutionLimits.pollGas} more of `f`'s gas. */
  poll(f: At | undefined, gas: number): void {
    this.pollAt = gas - this.pollGas
    const reason = this.interrupt?.()
    if (reason !== undefined) throw abort(reason, f)
  }

  /** `bytes` more held (negative: released); `f`: the frame (or its memory) taking them. */
  hold(f: At | object | undefined, bytes: number): void {
    const held = (this.held += bytes)
    if (held > this.peak) {
      this.peak = held
      if (held > this.memoryLimit) throw abort('memory', f, held, this.memoryLimit)
    }
  }

  output(f: At | undefined, bytes: number): void {
    if (bytes > this.outputLimit) throw abort('output', f, bytes, this.outputLimit)
  }

  log(f: At, bytes: number): void {
    if ((this.logs += bytes) > this.logLimit) throw abort('logs', f, this.logs, this.logLimit)
  }
}

function abort(reason: AbortReason, frame: At | object | undefined, bytes?: number, limit?: number) {
  const f = frame as Partial<At> | undefined
  const details: ExecutionAbortedDetails = { reason, pc: f?.pc ?? 0, depth: f?.depth ?? 0 }
  if (bytes !== undefined) details.bytes = bytes
  if (limit !== undefined) details.limit = limit
  return new ExecutionAbortedError(details)
}
