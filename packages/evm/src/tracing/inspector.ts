import type { Log } from '@crucible/evm-types'
import type { HaltReason, Outcome } from '../errors.js'
import type { FrameState } from '../interpreter/frame.js'
import type { CallKind } from '../message/message.js'

/** A message about to run (a call, a creation, or a precompile call). */
export interface EnterInfo {
  readonly kind: CallKind
  /** 0 for the transaction's own message. */
  readonly depth: number
  readonly from: bigint
  /** The account the message acts on (the new contract for a creation). */
  readonly to: bigint
  /** Where the code comes from (differs from `to` for CALLCODE, DELEGATECALL, a 7702 delegation). */
  readonly codeAddress: bigint
  readonly value: bigint
  /** Call data, or the initcode of a creation. */
  readonly input: Uint8Array
  readonly gas: number
  readonly isStatic: boolean
  /** True when a precompile handles it (no `step` events follow). */
  readonly precompile: boolean
}

/** A message's outcome. */
export interface ExitInfo {
  readonly kind: CallKind
  readonly depth: number
  readonly outcome: Outcome
  /** Why it halted, when `outcome` is {@link Outcome.Halt}. */
  readonly halt: HaltReason | undefined
  /**
   * True when the halt came from depositing a creation's code, after its initcode returned
   * (geth words an out-of-gas there "contract creation code storage out of gas").
   */
  readonly inDeposit: boolean
  /** The opcode that halted the frame, when an opcode did (undefined for other halts). */
  readonly haltOpcode: number | undefined
  /** Stack items when that opcode halted (geth words stack errors with it). */
  readonly haltStackSize: number
  readonly gasLeft: number
  readonly gasUsed: number
  /** Return data, revert data, or empty after a halt. */
  readonly output: Uint8Array
  /** The created address, for a successful creation. */
  readonly createdAddress: bigint | undefined
}

/**
 * Observes execution. Every hook is optional. The interpreter tests one local flag per opcode
 * (set when `step` or `stepEnd` is attached) and does nothing else for tracing; `log`, `enter`
 * and `exit` cost one property check per LOG or message.
 *
 * Order for one frame: `enter`, then per opcode `step` and `stepEnd` (a `log` in between for
 * LOGn), then `exit`. A CALL or CREATE that starts a child message: its `stepEnd` comes before
 * the child's `enter`, and its `gasCost` includes the gas handed to the child (as geth reports
 * it; the unused part comes back when the child exits).
 */
export interface Inspector {
  /** Before each opcode; `frame.gas` is the gas before the opcode is charged. */
  step?(frame: FrameState): void
  /**
   * After each opcode, with the frame as the opcode left it (stack, memory, gas) except that
   * `frame.pc` and `frame.opcode()` still name the opcode. `gasCost` is everything the step
   * charged, dynamic part included (all the gas left when it halted). `halt` is set when the
   * opcode halted the frame exceptionally.
   */
  stepEnd?(frame: FrameState, gasCost: number, halt: HaltReason | undefined): void
  /** A LOGn appended `log` in `frame` (it is kept only if the frame and its callers succeed). */
  log?(frame: FrameState, log: Log): void
  /** A message starts (the transaction's own message at depth 0, then each CALL/CREATE). */
  enter?(info: EnterInfo): void
  /** A message ended. */
  exit?(info: ExitInfo): void
}
