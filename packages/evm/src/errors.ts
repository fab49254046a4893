import { CrucibleError } from '@crucible/primitives'

/**
 * Why a frame stopped exceptionally (execution-specs' `ExceptionalHalt` subclasses), plus
 * `Revert`. Strings, so traces and results can carry them as they are.
 */
export type HaltReason =
  | 'OutOfGas'
  | 'StackUnderflow'
  | 'StackOverflow'
  | 'InvalidJump'
  | 'InvalidOpcode'
  | 'WriteInStaticContext'
  | 'OutOfBoundsRead'
  | 'AddressCollision'
  | 'InvalidContractPrefix'
  | 'CodeSizeExceeded'
  | 'InitCodeSizeExceeded'
  | 'PrecompileError'
  | 'Revert'

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
