import { concatBytes, encodeRlp, keccak256, type RlpInput } from '@crucible/primitives'
import { TxValidationError } from './errors.js'
import { accessListField, authorizationListField, toField, uint } from './fields.js'
import type { Transaction, UnsignedTransaction } from './types.js'

/**
 * The fields a transaction signs, in wire order (everything but the signature; for legacy
 * transactions without the EIP-155 suffix).
 */
function payloadFields(tx: UnsignedTransaction): RlpInput[] {
  switch (tx.type) {
    case 0:
      return [uint(tx.nonce), uint(tx.gasPrice), uint(tx.gasLimit), toField(tx.to), uint(tx.value), tx.data]
    case 1:
      return [
        uint(tx.chainId),
        uint(tx.nonce),
        uint(tx.gasPrice),
        uint(tx.gasLimit),
        toField(tx.to),
        uint(tx.value),
        tx.data,
        accessListField(tx.accessList),
      ]
    case 2:
      return [
        uint(tx.chainId),
        uint(tx.nonce),
        uint(tx.maxPriorityFeePerGas),
        uint(tx.maxFeePerGas),
        uint(tx.gasLimit),
        toField(tx.to),
        uint(tx.value),
        tx.data,
        accessListField(tx.accessList),
      ]
    case 3:
      return [
        uint(tx.chainId),
        uint(tx.nonce),
        uint(tx.maxPriorityFeePerGas),
        uint(tx.maxFeePerGas),
        uint(tx.gasLimit),
        requiredTo(tx.to, 3),
        uint(tx.value),
        tx.data,
        accessListField(tx.accessList),
        uint(tx.maxFeePerBlobGas),
        tx.blobVersionedHashes,
      ]
    case 4:
      return [
        uint(tx.chainId),
        uint(tx.nonce),
        uint(tx.maxPriorityFeePerGas),
        uint(tx.maxFeePerGas),
        uint(tx.gasLimit),
        requiredTo(tx.to, 4),
        uint(tx.value),
        tx.data,
        accessListField(tx.accessList),
        authorizationListField(tx.authorizationList),
      ]
    default:
      throw new TxValidationError(
        'TYPE_NOT_SUPPORTED',
        `unknown transaction type ${(tx as { type: unknown }).type}`,
      )
  }
}

function requiredTo(to: bigint | undefined, type: 3 | 4): Uint8Array {
  if (to === undefined) {
    throw new TxValidationError(
      type === 3 ? 'TYPE_3_TX_CONTRACT_CREATION' : 'TYPE_4_TX_CONTRACT_CREATION',
      `a type-${type} transaction must have a recipient`,
      { field: 'to' },
    )
  }
  return toField(to)
}

/** Every field of a signed transaction in wire order (the RLP list, without the type byte). */
export function transactionFields(tx: Transaction): RlpInput[] {
  const fields = payloadFields(tx)
  fields.push(uint(tx.type === 0 ? tx.v : tx.yParity), uint(tx.r), uint(tx.s))
  return fields
}

/**
 * The canonical encoding: `rlp(fields)` for legacy transactions, `type || rlp(fields)` for
 * typed ones (EIP-2718). This is what blocks carry and what the hash covers; a blob sidecar
 * is not included (see {@link encodeNetworkTransaction}).
 */
export function encodeTransaction(tx: Transaction): Uint8Array {
  const body = encodeRlp(transactionFields(tx))
  return tx.type === 0 ? body : typed(tx.type, body)
}

/**
 * The network (mempool) form. Equal to {@link encodeTransaction} except for blob transactions
 * with a sidecar: `0x03 || rlp([body, blobs, commitments, proofs])` (EIP-4844) or, with wrapper
 * version 1, `0x03 || rlp([body, 1, blobs, commitments, cell_proofs])` (EIP-7594).
 */
export function encodeNetworkTransaction(tx: Transaction): Uint8Array {
  if (tx.type !== 3 || tx.sidecar === undefined) return encodeTransaction(tx)
  const { wrapperVersion, blobs, commitments, proofs } = tx.sidecar
  const body = transactionFields(tx)
  const outer: RlpInput[] =
    wrapperVersion === 0
      ? [body, blobs, commitments, proofs]
      : [body, uint(BigInt(wrapperVersion)), blobs, commitments, proofs]
  return typed(3, encodeRlp(outer))
}

/**
 * The element a block body's transaction list holds: the field list itself for a legacy
 * transaction, the typed envelope as a byte string otherwise (EIP-2718).
 */
export function blockTransactionItem(tx: Transaction): RlpInput {
  if (tx.type === 0) return transactionFields(tx)
  return encodeTransaction(tx)
}

/** The transaction hash: keccak256 of the canonical encoding. */
export function transactionHash(tx: Transaction): Uint8Array {
  return keccak256(encodeTransaction(tx))
}

/**
 * The bytes a signature covers. Legacy: `rlp([nonce, gasPrice, gas, to, value, data])`, with
 * `chainId, 0, 0` appended under EIP-155 (when the transaction has a chain id). Typed:
 * `type || rlp(fields without the signature)`.
 */
export function signingPayload(tx: UnsignedTransaction | Transaction): Uint8Array {
  const fields = payloadFields(tx)
  if (tx.type === 0) {
    if (tx.chainId !== undefined) fields.push(uint(tx.chainId), uint(0n), uint(0n))
    return encodeRlp(fields)
  }
  return typed(tx.type, encodeRlp(fields))
}

/** keccak256 of {@link signingPayload}: the message hash that is signed. */
export function signingHash(tx: UnsignedTransaction | Transaction): Uint8Array {
  return keccak256(signingPayload(tx))
}

function typed(type: number, body: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(type), body)
}
