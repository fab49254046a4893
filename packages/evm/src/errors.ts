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

/** Stable codes of {@link InvalidTransactionError}. */
export type InvalidTransactionCode =
  | 'NONCE_TOO_LOW'
  | 'NONCE_TOO_HIGH'
  | 'NONCE_MAX'
  | 'INSUFFICIENT_FUNDS'
  | 'INTRINSIC_GAS_TOO_LOW'
  | 'GAS_LIMIT_EXCEEDS_BLOCK'
  | 'GAS_LIMIT_EXCEEDS_CAP'
  | 'FEE_CAP_BELOW_BASE_FEE'
  | 'PRIORITY_FEE_ABOVE_FEE_CAP'
  | 'SENDER_NOT_EOA'
  | 'INITCODE_TOO_LARGE'
  | 'BLOB_FEE_CAP_BELOW_BLOB_BASE_FEE'
  | 'TYPE_NOT_SUPPORTED'
  | 'NO_BLOBS'
  | 'TOO_MANY_BLOBS'
  | 'INVALID_BLOB_VERSION'
  | 'EMPTY_AUTHORIZATION_LIST'
  | 'CREATE_NOT_ALLOWED'
  | 'FLOOR_GAS_ABOVE_LIMIT'
  | 'MISSING_FEE_FIELD'

/**
 * A transaction that must not be included: thrown by `processTransaction` before any state
 * changes, so the caller can drop the transaction (or reject the block) with the state intact.
 */
export class InvalidTransactionError extends CrucibleError<Record<string, unknown>> {
  override name = 'InvalidTransactionError'
  declare readonly code: InvalidTransactionCode
  constructor(code: InvalidTransactionCode, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}

/**
 * Misuse of machine snapshots (`captureMachine`, `runPreparedTransaction`'s `resume`): code
 * `NOT_A_FRAME` (not a frame the interpreter handed to an inspector), `NOT_BETWEEN_OPCODES`
 * (captured outside `Inspector.step`), `NOT_A_SNAPSHOT`.
 */
export class MachineSnapshotError extends CrucibleError<Record<string, unknown>> {
  override name = 'MachineSnapshotError'
}
