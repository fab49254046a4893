import type { BlockEnv, Host, TransactionInput } from '@crucible/evm-types'
import { CONSTANTS, delegationTarget, type ForkRules } from '@crucible/forks'
import { type TransactionGas, TxValidationError } from '@crucible/tx'

/** What the block's earlier transactions used: a transaction must fit in what is left. */
export interface BlockUsage {
  gasUsed: bigint
  blobGasUsed: bigint
}

/** What the state and block checks work out for a transaction that may run. */
export interface CheckedTransaction extends TransactionGas {
  effectiveGasPrice: bigint
  blobGasUsed: bigint
  /** Blob gas × the block's blob base fee. */
  blobFee: bigint
}

const NOTHING_USED: BlockUsage = { gasUsed: 0n, blobGasUsed: 0n }

/**
 * execution-specs' `check_transaction`: the checks of a statically valid transaction (see
 * `@crucible/tx` `validateTransactionRules`, whose gas figures `gas` is) against the block and
 * the state: gas and blob gas left in the block, the fee caps against the base fees, the
 * sender's nonce and balance, and that the sender is an externally owned account. Reads the
 * state, changes nothing; throws {@link TxValidationError}.
 */
export function checkTransaction(
  host: Host,
  tx: TransactionInput,
  block: BlockEnv,
  rules: ForkRules,
  gas: TransactionGas,
  used: BlockUsage = NOTHING_USED,
): CheckedTransaction {
  if (tx.gasLimit > block.gasLimit - used.gasUsed)
    reject('GAS_ALLOWANCE_EXCEEDED', 'gas limit exceeds the block gas limit', {
      gasLimit: tx.gasLimit,
      blockGasLimit: block.gasLimit,
      blockGasUsed: used.gasUsed,
    })
  const blobCount = tx.type === 3 ? (tx.blobVersionedHashes?.length ?? 0) : 0
  const blobGasUsed = BigInt(blobCount) * CONSTANTS.gasPerBlob
  const maxBlobGas = BigInt(rules.params.blob?.max ?? 0) * CONSTANTS.gasPerBlob
  if (blobGasUsed > 0n && blobGasUsed > maxBlobGas - used.blobGasUsed)
    reject('TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED', 'blob gas above what the block has left', {
      blobGasUsed,
      blockBlobGasUsed: used.blobGasUsed,
    })

  // The static rules saw the fee fields present and the priority fee within the cap.
  const baseFee = rules.isActive(1559) ? block.baseFee : 0n
  let effectiveGasPrice: bigint
  let maxGasFee: bigint
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas ?? 0n
    const maxPriority = tx.maxPriorityFeePerGas ?? 0n
    if (maxFee < baseFee)
      reject('INSUFFICIENT_MAX_FEE_PER_GAS', 'max fee below the base fee', { maxFee, baseFee })
    const priority = maxPriority < maxFee - baseFee ? maxPriority : maxFee - baseFee
    effectiveGasPrice = priority + baseFee
    maxGasFee = tx.gasLimit * maxFee
  } else {
    const gasPrice = tx.gasPrice ?? 0n
    if (gasPrice < baseFee)
      reject('INSUFFICIENT_MAX_FEE_PER_GAS', 'gas price below the base fee', { gasPrice, baseFee })
    effectiveGasPrice = gasPrice
    maxGasFee = tx.gasLimit * gasPrice
  }

  let blobFee = 0n
  if (tx.type === 3) {
    const maxBlobFee = tx.maxFeePerBlobGas ?? 0n
    if (maxBlobFee < block.blobBaseFee)
      reject('INSUFFICIENT_MAX_FEE_PER_BLOB_GAS', 'max fee per blob gas below the blob base fee', {
        maxFeePerBlobGas: maxBlobFee,
        blobBaseFee: block.blobBaseFee,
      })
    maxGasFee += blobGasUsed * maxBlobFee
    blobFee = blobGasUsed * block.blobBaseFee
  }

  const nonce = host.getNonce(tx.sender)
  if (nonce > tx.nonce) reject('NONCE_MISMATCH_TOO_LOW', 'nonce too low', { expected: nonce, got: tx.nonce })
  if (nonce < tx.nonce)
    reject('NONCE_MISMATCH_TOO_HIGH', 'nonce too high', { expected: nonce, got: tx.nonce })
  const balance = host.getBalance(tx.sender)
  if (balance < maxGasFee + tx.value)
    reject('INSUFFICIENT_ACCOUNT_FUNDS', 'sender cannot pay gas and value', {
      balance,
      required: maxGasFee + tx.value,
    })
  // EIP-3607: only externally owned accounts send transactions (an EIP-7702 delegation still is one).
  const code = host.getCode(tx.sender)
  if (code.length > 0 && !(rules.isActive(7702) && delegationTarget(code) !== undefined))
    reject('SENDER_NOT_EOA', 'sender has code (EIP-3607)')

  return { ...gas, effectiveGasPrice, blobGasUsed, blobFee }
}

function reject(
  rejection: ConstructorParameters<typeof TxValidationError>[0],
  reason: string,
  details: Record<string, unknown> = {},
): never {
  throw new TxValidationError(rejection, reason, details)
}
