import {
  type Block,
  type BlockHeader,
  headerHash,
  requestsHash,
  transactionsRoot,
  withdrawalsRoot,
} from '@crucible/block'
import { bytesToHex, type Hex, KECCAK256_RLP_EMPTY_LIST, numberToHex } from '@crucible/primitives'
import { decodeTransaction } from '@crucible/tx'
import { argError, bytes, hash, object, quantity } from './params.js'

/** An execution payload as the Engine API writes it (V1–V4 fields; later ones optional). */
export type PayloadJson = Record<string, unknown>

/** The block of an execution payload; `extra` supplies the fields outside the payload (V3/V4). */
export function payloadToBlock(
  value: unknown,
  index: number,
  extra: { parentBeaconBlockRoot?: Uint8Array; executionRequests?: Uint8Array[] } = {},
): { block: Block; blockHash: Uint8Array } {
  const p = object(value, index)
  const txs = p.transactions
  if (!Array.isArray(txs)) throw argError(index, 'transactions must be an array')
  const transactions = txs.map((t) => bytes(t, index))
  const header: BlockHeader = {
    parentHash: hash(p.parentHash, index),
    ommersHash: KECCAK256_RLP_EMPTY_LIST,
    coinbase: bytes(p.feeRecipient, index, 20),
    stateRoot: hash(p.stateRoot, index),
    transactionsRoot: transactionsRoot(transactions),
    receiptsRoot: hash(p.receiptsRoot, index),
    logsBloom: bytes(p.logsBloom, index, 256),
    difficulty: 0n,
    number: quantity(p.blockNumber, index, 64),
    gasLimit: quantity(p.gasLimit, index, 64),
    gasUsed: quantity(p.gasUsed, index, 64),
    timestamp: quantity(p.timestamp, index, 64),
    extraData: bytes(p.extraData, index),
    mixHash: hash(p.prevRandao, index),
    nonce: new Uint8Array(8),
    baseFeePerGas: quantity(p.baseFeePerGas, index),
  }
  const block: Block = { header, transactions, uncles: [] }
  if (p.withdrawals != null) {
    if (!Array.isArray(p.withdrawals)) throw argError(index, 'withdrawals must be an array')
    block.withdrawals = p.withdrawals.map((w) => {
      const o = object(w, index)
      return {
        index: quantity(o.index, index, 64),
        validatorIndex: quantity(o.validatorIndex, index, 64),
        address: bytes(o.address, index, 20),
        amount: quantity(o.amount, index, 64),
      }
    })
    header.withdrawalsRoot = withdrawalsRoot(block.withdrawals)
  }
  if (p.blobGasUsed != null) header.blobGasUsed = quantity(p.blobGasUsed, index, 64)
  if (p.excessBlobGas != null) header.excessBlobGas = quantity(p.excessBlobGas, index, 64)
  if (extra.parentBeaconBlockRoot) header.parentBeaconBlockRoot = extra.parentBeaconBlockRoot
  if (extra.executionRequests)
    header.requestsHash = requestsHash(extra.executionRequests.filter((r) => r.length > 1))
  return { block, blockHash: hash(p.blockHash, index) }
}

/** The execution payload of a block (V3 fields when the header has them). */
export function blockToPayload(block: Block): PayloadJson {
  const h = block.header
  const out: PayloadJson = {
    parentHash: bytesToHex(h.parentHash),
    feeRecipient: bytesToHex(h.coinbase),
    stateRoot: bytesToHex(h.stateRoot),
    receiptsRoot: bytesToHex(h.receiptsRoot),
    logsBloom: bytesToHex(h.logsBloom),
    prevRandao: bytesToHex(h.mixHash),
    blockNumber: numberToHex(h.number),
    gasLimit: numberToHex(h.gasLimit),
    gasUsed: numberToHex(h.gasUsed),
    timestamp: numberToHex(h.timestamp),
    extraData: bytesToHex(h.extraData),
    baseFeePerGas: numberToHex(h.baseFeePerGas ?? 0n),
    blockHash: bytesToHex(headerHash(h)),
    transactions: block.transactions.map((t) => bytesToHex(t)) as Hex[],
  }
  if (block.withdrawals)
    out.withdrawals = block.withdrawals.map((w) => ({
      index: numberToHex(w.index),
      validatorIndex: numberToHex(w.validatorIndex),
      address: bytesToHex(w.address),
      amount: numberToHex(w.amount),
    }))
  if (h.blobGasUsed !== undefined) out.blobGasUsed = numberToHex(h.blobGasUsed)
  if (h.excessBlobGas !== undefined) out.excessBlobGas = numberToHex(h.excessBlobGas)
  return out
}

/**
 * The `engine_newPayloadV1`–`V4` request that hands a block to a node, the version chosen by
 * the header's fields (V4 with requests, V3 with a beacon root, V2 with withdrawals), with
 * the blob versioned hashes, beacon root and execution requests the later versions take.
 */
export function newPayloadRequest(stored: { block: Block; requests?: Uint8Array[] }): {
  method: string
  params: unknown[]
} {
  const { block } = stored
  const h = block.header
  const payload = blockToPayload(block)
  if (h.parentBeaconBlockRoot === undefined)
    return { method: h.withdrawalsRoot ? 'engine_newPayloadV2' : 'engine_newPayloadV1', params: [payload] }
  const hashes = block.transactions.flatMap((raw) => {
    if (raw[0] !== 3) return []
    const tx = decodeTransaction(raw)
    return tx.type === 3 ? tx.blobVersionedHashes.map((x) => bytesToHex(x)) : []
  })
  const params: unknown[] = [payload, hashes, bytesToHex(h.parentBeaconBlockRoot)]
  if (h.requestsHash === undefined) return { method: 'engine_newPayloadV3', params }
  params.push((stored.requests ?? []).map((r) => bytesToHex(r)))
  return { method: 'engine_newPayloadV4', params }
}
