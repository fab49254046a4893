import { CrucibleError } from '@crucible/primitives'

/**
 * Why a transaction was refused, as a stable name. The names follow the execution-spec-tests
 * `TransactionException` vocabulary where one exists, so block and fixture code can map a
 * rejection to an expected exception without parsing text.
 */
export type TxRejection =
  // Encoding.
  | 'RLP_INVALID'
  | 'RLP_WRONG_FIELD_COUNT'
  | 'RLP_LEADING_ZEROS'
  | 'RLP_FIELD_TOO_LONG'
  | 'RLP_FIELD_WRONG_SIZE'
  | 'RLP_EXPECTED_BYTES'
  | 'RLP_EXPECTED_LIST'
  | 'TYPE_UNKNOWN'
  | 'INVALID_BLOB_WRAPPER'
  // Signature.
  | 'INVALID_SIGNATURE_VRS'
  | 'EC_RECOVERY_FAIL'
  // Rules of a fork.
  | 'TYPE_NOT_SUPPORTED'
  | 'INVALID_CHAINID'
  | 'NONCE_IS_MAX'
  | 'INTRINSIC_GAS_TOO_LOW'
  | 'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST'
  | 'GAS_LIMIT_EXCEEDS_MAXIMUM'
  | 'GASLIMIT_PRICE_PRODUCT_OVERFLOW'
  | 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS'
  | 'INITCODE_SIZE_EXCEEDED'
  | 'TYPE_3_TX_ZERO_BLOBS'
  | 'TYPE_3_TX_BLOB_COUNT_EXCEEDED'
  | 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED'
  | 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH'
  | 'TYPE_3_TX_CONTRACT_CREATION'
  | 'TYPE_3_TX_WRAPPER_MISMATCH'
  | 'TYPE_4_EMPTY_AUTHORIZATION_LIST'
  | 'TYPE_4_TX_CONTRACT_CREATION'
  /** A call built from fields (not decoded) without its gas price or EIP-1559 fee caps. */
  | 'MISSING_FEE_FIELD'
  // Against the block and the state (the EVM's `checkTransaction`).
  /** The gas limit is above what the block has left. */
  | 'GAS_ALLOWANCE_EXCEEDED'
  | 'INSUFFICIENT_MAX_FEE_PER_GAS'
  | 'INSUFFICIENT_MAX_FEE_PER_BLOB_GAS'
  | 'NONCE_MISMATCH_TOO_LOW'
  | 'NONCE_MISMATCH_TOO_HIGH'
  | 'INSUFFICIENT_ACCOUNT_FUNDS'
  /** The sender has code that is not an EIP-7702 delegation (EIP-3607). */
  | 'SENDER_NOT_EOA'

/** Facts every transaction error carries. */
export interface TxErrorDetails extends Record<string, unknown> {
  /** The stable name of the rejection. */
  rejection: TxRejection
  /** What exactly was wrong, in words. */
  reason: string
  /** The field at fault (`nonce`, `authorizationList[2].s`...), when one is. */
  field?: string
}

/**
 * The base of every transaction error: catch this to catch them all. `rejection` names the
 * kind of failure; `details.reason` explains it.
 */
export class TransactionError extends CrucibleError<TxErrorDetails> {
  override name = 'TransactionError'
  readonly rejection: TxRejection

  constructor(
    code: string,
    title: string,
    rejection: TxRejection,
    reason: string,
    extra?: { field?: string; cause?: unknown; [key: string]: unknown },
  ) {
    const { cause, ...rest } = extra ?? {}
    super(
      code,
      `${title}: ${reason}`,
      { rejection, reason, ...rest },
      cause === undefined ? undefined : { cause },
    )
    this.rejection = rejection
  }
}

/** Bytes that are not a well-formed transaction: bad RLP, wrong shape, bad field sizes, unknown type. */
export class TxDecodeError extends TransactionError {
  override name = 'TxDecodeError'
  constructor(
    rejection: TxRejection,
    reason: string,
    extra?: { field?: string; cause?: unknown; [key: string]: unknown },
  ) {
    super('INVALID_TX_ENCODING', 'Invalid transaction encoding', rejection, reason, extra)
  }
}

/** A signature that is out of range, has a bad `v`/`y_parity`, or recovers no public key. */
export class TxSignatureError extends TransactionError {
  override name = 'TxSignatureError'
  constructor(rejection: TxRejection, reason: string, extra?: { field?: string; [key: string]: unknown }) {
    super('INVALID_TX_SIGNATURE', 'Invalid transaction signature', rejection, reason, extra)
  }
}

/**
 * A well-formed transaction that must not be included: the rules of the fork or the chain
 * refuse it (`validateTransaction`), or the state and block do (the EVM's `checkTransaction`,
 * thrown by `processTransaction` before any state change).
 */
export class TxValidationError extends TransactionError {
  override name = 'TxValidationError'
  constructor(rejection: TxRejection, reason: string, extra?: { field?: string; [key: string]: unknown }) {
    super('INVALID_TX', 'Invalid transaction', rejection, reason, extra)
  }
}
