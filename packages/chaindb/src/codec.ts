import type { Log, Receipt } from '@crucible/block'
import { encodeReceipt } from '@crucible/block'
import {
  bigIntToBytes,
  bytesToBigInt,
  decodeRlp,
  encodeRlp,
  type RlpItem,
  rlpBytes,
  rlpList,
} from '@crucible/primitives'
import { readU64, u64 } from './schema.js'

/** Receipts as stored: an RLP list of their consensus encodings (typed ones as byte strings). */
export function encodeReceipts(receipts: readonly Receipt[]): Uint8Array {
  return encodeRlp(receipts.map(encodeReceipt))
}

function logFromRlp(item: RlpItem): Log {
  const [address, topics, data] = rlpList(item, 'log', 3)
  return {
    address: bytesToBigInt(rlpBytes(address, 'log address')),
    topics: rlpList(topics, 'log topics').map((t) => bytesToBigInt(rlpBytes(t, 'log topic'))),
    data: rlpBytes(data, 'log data'),
  }
}

/** One receipt from its consensus encoding (`type ‖ rlp` for a typed one). */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  const typed = bytes[0]! < 0x80
  const [first, cumulative, bloom, logs] = rlpList(decodeRlp(typed ? bytes.subarray(1) : bytes), 'receipt', 4)
  const firstBytes = rlpBytes(first, 'receipt status')
  const receipt: Receipt = {
    type: typed ? bytes[0]! : 0,
    cumulativeGasUsed: bytesToBigInt(rlpBytes(cumulative, 'cumulative gas')),
    logsBloom: rlpBytes(bloom, 'logs bloom'),
    logs: rlpList(logs, 'logs').map(logFromRlp),
  }
  if (firstBytes.length === 32) receipt.postState = firstBytes
  else receipt.status = firstBytes.length === 1 && firstBytes[0] === 1 ? 1 : 0
  return receipt
}

export function decodeReceipts(bytes: Uint8Array): Receipt[] {
  return rlpList(decodeRlp(bytes), 'receipts').map((item) => decodeReceipt(rlpBytes(item, 'receipt')))
}

export function encodeByteList(items: readonly Uint8Array[]): Uint8Array {
  return encodeRlp(items as Uint8Array[])
}

export function decodeByteList(bytes: Uint8Array): Uint8Array[] {
  return rlpList(decodeRlp(bytes), 'list').map((item) => rlpBytes(item, 'item'))
}

/** Where a transaction is: block number, block hash and index in the block. */
export interface TxLocation {
  blockNumber: bigint
  blockHash: Uint8Array
  index: number
}

export function encodeTxLocation(loc: TxLocation): Uint8Array {
  const out = new Uint8Array(44)
  out.set(u64(loc.blockNumber), 0)
  out.set(loc.blockHash, 8)
  new DataView(out.buffer).setUint32(40, loc.index)
  return out
}

export function decodeTxLocation(bytes: Uint8Array): TxLocation {
  return {
    blockNumber: readU64(bytes, 0),
    blockHash: bytes.slice(8, 40),
    index: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(40),
  }
}

export function encodeBigInt(value: bigint): Uint8Array {
  return bigIntToBytes(value)
}
