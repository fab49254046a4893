import type { TransactionInput } from '@crucible/evm-types'
import type { ForkRules } from '@crucible/forks'
import { recoverAuthority } from './authorization.js'
import { recoverSender } from './signature.js'
import type { Transaction } from './types.js'

/**
 * The transaction as the EVM runs it (`TransactionInput` of `@crucible/evm-types`):
 * the sender (recovered unless given, e.g. from `validateTransaction`) and every
 * authorization's authority (undefined where the signature is invalid). Type-specific fields
 * appear only on the types that have them.
 */
export function normalizeTransaction(
  tx: Transaction,
  options?: { sender?: bigint; rules?: ForkRules },
): TransactionInput {
  const sender = options?.sender ?? recoverSender(tx, options?.rules)
  const out: TransactionInput = {
    type: tx.type,
    sender,
    to: tx.to,
    nonce: tx.nonce,
    value: tx.value,
    data: tx.data,
    gasLimit: tx.gasLimit,
  }
  if (tx.chainId !== undefined) out.chainId = tx.chainId
  if (tx.type === 0 || tx.type === 1) out.gasPrice = tx.gasPrice
  else {
    out.maxFeePerGas = tx.maxFeePerGas
    out.maxPriorityFeePerGas = tx.maxPriorityFeePerGas
  }
  if (tx.type !== 0) out.accessList = tx.accessList
  if (tx.type === 3) {
    out.maxFeePerBlobGas = tx.maxFeePerBlobGas
    out.blobVersionedHashes = tx.blobVersionedHashes
  }
  if (tx.type === 4) {
    out.authorizationList = tx.authorizationList.map((auth) => ({
      chainId: auth.chainId,
      address: auth.address,
      nonce: auth.nonce,
      authority: recoverAuthority(auth),
    }))
  }
  return out
}
