import { CrucibleError } from '@crucible/primitives'

/**
 * Why a block was refused. The names follow the execution-spec-tests `BlockException` and
 * `TransactionException` families loosely, so a failing fixture's expectation and our reason
 * can be compared by eye; callers should switch on {@link BlockError.reason}, not the text.
 */
export type BlockErrorReason =
  | 'RLP_STRUCTURES_ENCODING'
  | 'INVALID_HEADER_FIELDS'
  | 'UNKNOWN_PARENT'
  | 'INVALID_PARENT_HASH'
  | 'INVALID_BLOCK_NUMBER'
  | 'INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT'
  | 'INVALID_GASLIMIT'
  | 'GASLIMIT_TOO_BIG'
  | 'GAS_USED_OVERFLOW'
  | 'EXTRA_DATA_TOO_BIG'
  | 'EXTRA_DATA_INVALID_DAO'
  | 'INVALID_DIFFICULTY'
  | 'INVALID_NONCE'
  | 'INVALID_BASEFEE_PER_GAS'
  | 'INVALID_EXCESS_BLOB_GAS'
  | 'INVALID_BLOB_GAS_USED'
  | 'INVALID_UNCLES_HASH'
  | 'INVALID_UNCLE'
  | 'IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS'
  | 'INVALID_TRANSACTIONS_ROOT'
  | 'INVALID_WITHDRAWALS_ROOT'
  | 'INVALID_RECEIPTS_ROOT'
  | 'INVALID_LOG_BLOOM'
  | 'INVALID_GAS_USED'
  | 'INVALID_STATE_ROOT'
  | 'INVALID_REQUESTS'
  | 'INVALID_DEPOSIT_EVENT_LAYOUT'
  | 'SYSTEM_CONTRACT_FAILED'
  | 'RLP_BLOCK_LIMIT_EXCEEDED'
  | 'INVALID_TRANSACTION'
  | 'INVALID_BLOCK'

/** A block (or header) that must not be imported, with the rule it breaks. */
export class BlockError extends CrucibleError<{
  reason: BlockErrorReason
  message: string
  [key: string]: unknown
}> {
  override name = 'BlockError'
  readonly reason: BlockErrorReason
  constructor(
    reason: BlockErrorReason,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super('INVALID_BLOCK', `Invalid block: ${message}`, { reason, message, ...details }, options)
    this.reason = reason
  }
}
