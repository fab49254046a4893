import { CrucibleError } from '@crucible/primitives'

/**
 * Why a frame stopped exceptionally (execution-specs' `ExceptionalHalt` subclasses): all its
 * gas is consumed and its state changes undone. A REVERT is not a halt: it is
 * {@link Outcome.Revert}. Strings, so traces and results can carry them as they are.
 */
export type HaltReason =
  | 'OutOfGas'
  | 'StackUnderflow'
  | 'StackOverflow'
  | 'InvalidJump'
  | 'InvalidOpcode'
  | 'WriteInStaticContext'
  /** RETURNDATACOPY beyond the return data (EIP-211). */
  | 'OutOfBoundsRead'
  /** A creation landed on an account with a nonce, code or storage (EIP-684, EIP-7610). */
  | 'AddressCollision'
  /** Deployed code starting 0xEF (EIP-3541). */
  | 'InvalidContractPrefix'
  /** Deployed code beyond the EIP-170 limit. */
  | 'CodeSizeExceeded'
  /** A precompile refused its input (a precompile out of gas is `OutOfGas`). */
  | 'PrecompileError'

/** How a message (or a transaction's message) ended. */
export const Outcome = {
  /** STOP, RETURN, SELFDESTRUCT, or code that ran off its end. */
  Success: 0,
  /** REVERT: state undone, unused gas returned, output is the revert data. */
  Revert: 1,
  /** An exceptional halt (see {@link HaltReason}): state undone, all gas consumed. */
  Halt: 2,
} as const
export type Outcome = (typeof Outcome)[keyof typeof Outcome]

/**
 * Misuse of machine snapshots (`captureMachine`, `runPreparedTransaction`'s `resume`): code
 * `NOT_A_FRAME` (not a frame the interpreter handed to an inspector), `NOT_BETWEEN_OPCODES`
 * (captured outside `Inspector.step`), `NOT_A_SNAPSHOT`.
 */
export class MachineSnapshotError extends CrucibleError<Record<string, unknown>> {
  override name = 'MachineSnapshotError'
}
