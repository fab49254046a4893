import type { BlockEnv, Host, TransactionInput } from '@crucible/evm-types'
import { CONSTANTS, delegationTarget, type ForkRules, MAX_NONCE } from '@crucible/forks'
import { floorGas, intrinsicGas } from '@crucible/tx'
import { InvalidTransactionError } from '../errors.js'

/** What validation works out for a valid transaction. */
export interface ValidatedTransaction {
  intrinsicGas: bigint
  /** EIP-7623 floor (0n before Prague). */
  floorGas: bigint
  effectiveGasPrice: bigint
  blobGasUsed: bigint
  /** Blob gas × the block's blob base fee. */
  blobFee: bigint
}

/** The fork that introduced each transaction type, as the EIP number activating it. */
const TYPE_EIP: Record<number, number> = { 1: 2930, 2: 1559, 3: 4844, 4: 7702 }

/**
 * execution-specs' `validate_transaction` then `check_transaction`, in their order, without
 * touching state: throws {@link InvalidTransactionError} for a transaction that must not run.
 */
export function validateTransaction(
  host: Host,
  tx: TransactionInput,
  block: BlockEnv,
  rules: ForkRules,
): ValidatedTransaction {
  const p = rules.params
  const reject = (
    code: ConstructorParameters<typeof InvalidTransactionError>[0],
    message: string,
    details = {},
  ) => {
    throw new InvalidTransactionError(code, message, details)
  }
  if (tx.type !== 0 && (TYPE_EIP[tx.type] === undefined || !rules.isActive(TYPE_EIP[tx.type]!)))
    reject('TYPE_NOT_SUPPORTED', `transaction type ${tx.type} is not supported in ${rules.name}`, {
      type: tx.type,
    })

  // validate_transaction: intrinsic gas and floor, nonce ceiling, initcode size, gas cap.
  const intrinsic = intrinsicGas(tx, rules)
  const floor = floorGas(tx, rules)
  if (intrinsic > tx.gasLimit)
    reject('INTRINSIC_GAS_TOO_LOW', 'intrinsic gas exceeds the gas limit', {
      intrinsic,
      gasLimit: tx.gasLimit,
    })
  if (floor > tx.gasLimit)
    reject('FLOOR_GAS_ABOVE_LIMIT', 'EIP-7623 floor gas exceeds the gas limit', {
      floor,
      gasLimit: tx.gasLimit,
    })
  if (tx.nonce >= MAX_NONCE) reject('NONCE_MAX', 'nonce is at its maximum (EIP-2681)', { nonce: tx.nonce })
  if (tx.to === undefined && tx.data.length > p.maxInitCodeSize)
    reject('INITCODE_TOO_LARGE', 'initcode exceeds the EIP-3860 limit', { size: tx.data.length })
  if (p.txGasLimitCap !== undefined && tx.gasLimit > p.txGasLimitCap)
    reject('GAS_LIMIT_EXCEEDS_CAP', 'gas limit exceeds the EIP-7825 cap', { gasLimit: tx.gasLimit })

  // check_transaction.
  if (tx.gasLimit > block.gasLimit)
    reject('GAS_LIMIT_EXCEEDS_BLOCK', 'gas limit exceeds the block gas limit', {
      gasLimit: tx.gasLimit,
      blockGasLimit: block.gasLimit,
    })
  const blobCount = tx.type === 3 ? (tx.blobVersionedHashes?.length ?? 0) : 0
  const blobGasUsed = BigInt(blobCount) * CONSTANTS.gasPerBlob
  if (tx.type === 3 && p.blob !== undefined && blobCount > p.blob.max)
    reject('TOO_MANY_BLOBS', 'more blobs than a block may hold', { blobs: blobCount, max: p.blob.max })

  const baseFee = rules.isActive(1559) ? block.baseFee : 0n
  let effectiveGasPrice: bigint
  let maxGasFee: bigint
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas
    const maxPriority = tx.maxPriorityFeePerGas
    if (maxFee === undefined || maxPriority === undefined)
      return reject('MISSING_FEE_FIELD', 'EIP-1559 fee fields are missing') as never
    if (maxFee < maxPriority)
      reject('PRIORITY_FEE_ABOVE_FEE_CAP', 'max priority fee exceeds max fee', { maxFee, maxPriority })
    if (maxFee < baseFee) reject('FEE_CAP_BELOW_BASE_FEE', 'max fee below the base fee', { maxFee, baseFee })
    const priority = maxPriority < maxFee - baseFee ? maxPriority : maxFee - baseFee
    effectiveGasPrice = priority + baseFee
    maxGasFee = tx.gasLimit * maxFee
  } else {
    const gasPrice = tx.gasPrice
    if (gasPrice === undefined) return reject('MISSING_FEE_FIELD', 'gas price is missing') as never
    if (gasPrice < baseFee)
      reject('FEE_CAP_BELOW_BASE_FEE', 'gas price below the base fee', { gasPrice, baseFee })
    effectiveGasPrice = gasPrice
    maxGasFee = tx.gasLimit * gasPrice
  }

  let blobFee = 0n
  if (tx.type === 3) {
    const hashes = tx.blobVersionedHashes ?? []
    if (hashes.length === 0) reject('NO_BLOBS', 'a blob transaction must carry at least one blob')
    for (const hash of hashes)
      if (hash.length !== 32 || hash[0] !== CONSTANTS.blobCommitmentVersionKzg)
        reject('INVALID_BLOB_VERSION', 'blob versioned hash has the wrong version', { version: hash[0] })
    if (p.maxBlobsPerTx !== undefined && hashes.length > p.maxBlobsPerTx)
      reject('TOO_MANY_BLOBS', 'more blobs than a transaction may carry', {
        blobs: hashes.length,
        max: p.maxBlobsPerTx,
      })
    const maxBlobFee = tx.maxFeePerBlobGas ?? 0n
    if (maxBlobFee < block.blobBaseFee)
      reject('BLOB_FEE_CAP_BELOW_BLOB_BASE_FEE', 'max fee per blob gas below the blob base fee', {
        maxFeePerBlobGas: maxBlobFee,
        blobBaseFee: block.blobBaseFee,
      })
    maxGasFee += blobGasUsed * maxBlobFee
    blobFee = blobGasUsed * block.blobBaseFee
  }
  if ((tx.type === 3 || tx.type === 4) && tx.to === undefined)
    reject('CREATE_NOT_ALLOWED', `a type ${tx.type} transaction cannot create a contract`)
  if (tx.type === 4 && (tx.authorizationList?.length ?? 0) === 0)
    reject('EMPTY_AUTHORIZATION_LIST', 'a set-code transaction needs at least one authorization')

  const nonce = host.getNonce(tx.sender)
  if (nonce > tx.nonce) reject('NONCE_TOO_LOW', 'nonce too low', { expected: nonce, got: tx.nonce })
  if (nonce < tx.nonce) reject('NONCE_TOO_HIGH', 'nonce too high', { expected: nonce, got: tx.nonce })
  const balance = host.getBalance(tx.sender)
  if (balance < maxGasFee + tx.value)
    reject('INSUFFICIENT_FUNDS', 'sender cannot pay gas and value', {
      balance,
      required: maxGasFee + tx.value,
    })
  // EIP-3607: only externally owned accounts send transactions (an EIP-7702 delegation still is one).
  const code = host.getCode(tx.sender)
  if (code.length > 0 && !(rules.isActive(7702) && delegationTarget(code) !== undefined))
    reject('SENDER_NOT_EOA', 'sender has code (EIP-3607)')

  return { intrinsicGas: intrinsic, floorGas: floor, effectiveGasPrice, blobGasUsed, blobFee }
}
