import { type BlockHeader, calcBlobBaseFee, encodeBlock, headerHash, type Log } from '@crucible/block'
import type { ForkRules } from '@crucible/forks'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  createAddress,
  type Hex,
  KECCAK256_RLP_EMPTY,
  numberToHex,
} from '@crucible/primitives'
import {
  decodeTransaction,
  recoverSender,
  type Transaction,
  transactionHash,
  transactionToRpc,
} from '@crucible/tx'
import type { ChainBlock } from './chain.js'

/** JSON shapes of blocks, transactions, receipts and logs, as geth writes them. */

export const addressHex = (value: bigint): Hex => bytesToHex(bigIntToBytes(value, 20))
export const wordHex = (value: bigint): Hex => bytesToHex(bigIntToBytes(value, 32))

/** The header fields of a block object. */
export function headerToJson(header: BlockHeader, hash: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (header.baseFeePerGas !== undefined) out.baseFeePerGas = numberToHex(header.baseFeePerGas)
  if (header.blobGasUsed !== undefined) out.blobGasUsed = numberToHex(header.blobGasUsed)
  out.difficulty = numberToHex(header.difficulty)
  if (header.excessBlobGas !== undefined) out.excessBlobGas = numberToHex(header.excessBlobGas)
  out.extraData = bytesToHex(header.extraData)
  out.gasLimit = numberToHex(header.gasLimit)
  out.gasUsed = numberToHex(header.gasUsed)
  out.hash = bytesToHex(hash)
  out.logsBloom = bytesToHex(header.logsBloom)
  out.miner = bytesToHex(header.coinbase)
  out.mixHash = bytesToHex(header.mixHash)
  out.nonce = bytesToHex(header.nonce)
  out.number = numberToHex(header.number)
  if (header.parentBeaconBlockRoot !== undefined)
    out.parentBeaconBlockRoot = bytesToHex(header.parentBeaconBlockRoot)
  out.parentHash = bytesToHex(header.parentHash)
  out.receiptsRoot = bytesToHex(header.receiptsRoot)
  if (header.requestsHash !== undefined) out.requestsHash = bytesToHex(header.requestsHash)
  out.sha3Uncles = bytesToHex(header.ommersHash)
  out.stateRoot = bytesToHex(header.stateRoot)
  out.timestamp = numberToHex(header.timestamp)
  out.transactionsRoot = bytesToHex(header.transactionsRoot)
  if (header.withdrawalsRoot !== undefined) out.withdrawalsRoot = bytesToHex(header.withdrawalsRoot)
  return out
}

/** A transaction of a block, decoded, with its sender. */
export function blockTransaction(stored: ChainBlock, index: number): { tx: Transaction; sender: bigint } {
  const tx = decodeTransaction(stored.block.transactions[index]!)
  return { tx, sender: stored.senders?.[index] ?? recoverSender(tx) }
}

/** A transaction of a block as JSON; `knownSender` saves the recovery (and serves unsigned ones). */
export function transactionJson(
  stored: ChainBlock,
  index: number,
  knownSender?: bigint,
): Record<string, unknown> {
  const tx = decodeTransaction(stored.block.transactions[index]!)
  const sender = knownSender ?? stored.senders?.[index] ?? recoverSender(tx)
  const h = stored.block.header
  const context = {
    blockHash: stored.hash,
    blockNumber: h.number,
    blockTimestamp: h.timestamp,
    transactionIndex: index,
    from: sender,
    ...(h.baseFeePerGas !== undefined ? { baseFee: h.baseFeePerGas } : {}),
  }
  return transactionToRpc(tx, context) as unknown as Record<string, unknown>
}

/** `eth_getBlockBy*`: header fields, size, transactions (hashes or objects), uncles, withdrawals. */
export function blockToJson(
  stored: ChainBlock,
  full: boolean,
  senders?: readonly bigint[],
): Record<string, unknown> {
  const { block } = stored
  const out = headerToJson(block.header, stored.hash)
  out.size = numberToHex(encodeBlock(block).length)
  out.transactions = block.transactions.map((bytes, i) =>
    full ? transactionJson(stored, i, senders?.[i]) : bytesToHex(transactionHash(decodeTransaction(bytes))),
  )
  out.uncles = block.uncles.map((u) => bytesToHex(headerHash(u)))
  if (block.withdrawals)
    out.withdrawals = block.withdrawals.map((w) => ({
      index: numberToHex(w.index),
      validatorIndex: numberToHex(w.validatorIndex),
      address: bytesToHex(w.address),
      amount: numberToHex(w.amount),
    }))
  return sortKeys(out)
}

/** Keys in alphabetical order (geth's block objects are maps, written sorted). */
function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o).sort()) out[k] = o[k]
  return out
}

export interface LogContext {
  block: ChainBlock
  txHash: Uint8Array
  txIndex: number
  logIndex: number
}

export function logToJson(log: Log, c: LogContext): Record<string, unknown> {
  return {
    address: addressHex(log.address),
    topics: log.topics.map(wordHex),
    data: bytesToHex(log.data),
    blockNumber: numberToHex(c.block.block.header.number),
    transactionHash: bytesToHex(c.txHash),
    transactionIndex: numberToHex(c.txIndex),
    blockHash: bytesToHex(c.block.hash),
    blockTimestamp: numberToHex(c.block.block.header.timestamp),
    logIndex: numberToHex(c.logIndex),
    removed: false,
  }
}

/** Every receipt of a block as `eth_getBlockReceipts` returns them. */
export function blockReceiptsJson(stored: ChainBlock, rules: ForkRules): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  let logIndex = 0
  for (let i = 0; i < stored.block.transactions.length; i++) {
    const r = receiptJson(stored, i, logIndex, rules)
    logIndex += stored.receipts[i]!.logs.length
    out.push(r)
  }
  return out
}

/** One receipt; `firstLogIndex` is the block-wide index of its first log. */
export function receiptJson(
  stored: ChainBlock,
  index: number,
  firstLogIndex: number,
  rules: ForkRules,
): Record<string, unknown> {
  const { tx, sender } = blockTransaction(stored, index)
  const receipt = stored.receipts[index]!
  const header = stored.block.header
  const previous = index === 0 ? 0n : stored.receipts[index - 1]!.cumulativeGasUsed
  const txHash = transactionHash(tx)
  const baseFee = header.baseFeePerGas ?? 0n
  let effectiveGasPrice: bigint
  if (tx.type === 0 || tx.type === 1) effectiveGasPrice = tx.gasPrice
  else {
    const tip =
      tx.maxPriorityFeePerGas < tx.maxFeePerGas - baseFee
        ? tx.maxPriorityFeePerGas
        : tx.maxFeePerGas - baseFee
    effectiveGasPrice = baseFee + tip
  }
  const out: Record<string, unknown> = {}
  if (tx.type === 3) {
    const blob = rules.params.blob
    out.blobGasPrice = numberToHex(blob ? calcBlobBaseFee(header.excessBlobGas ?? 0n, blob) : 0n)
    out.blobGasUsed = numberToHex(BigInt(tx.blobVersionedHashes.length) * 131072n)
  }
  out.blockHash = bytesToHex(stored.hash)
  out.blockNumber = numberToHex(header.number)
  out.contractAddress =
    tx.to === undefined ? addressHex(bytesToBigInt(createAddress(bigIntToBytes(sender, 20), tx.nonce))) : null
  out.cumulativeGasUsed = numberToHex(receipt.cumulativeGasUsed)
  out.effectiveGasPrice = numberToHex(effectiveGasPrice)
  out.from = addressHex(sender)
  out.gasUsed = numberToHex(receipt.cumulativeGasUsed - previous)
  out.logs = receipt.logs.map((log, j) =>
    logToJson(log, { block: stored, txHash, txIndex: index, logIndex: firstLogIndex + j }),
  )
  out.logsBloom = bytesToHex(receipt.logsBloom)
  if (receipt.postState) out.root = bytesToHex(receipt.postState)
  else out.status = numberToHex(receipt.status ?? 0)
  out.to = tx.to === undefined ? null : addressHex(tx.to)
  out.transactionHash = bytesToHex(txHash)
  out.transactionIndex = numberToHex(index)
  out.type = numberToHex(tx.type)
  return out
}

export const EMPTY_ROOT_HEX = bytesToHex(KECCAK256_RLP_EMPTY)
