import { bloomAdd } from '@crucible/block'
import { bigIntToBytes } from '@crucible/primitives'
import { decodeTransaction, transactionHash } from '@crucible/tx'
import type { ChainBlock } from './chain.js'
import { logToJson } from './format.js'
import { address, argError, hash, object } from './params.js'

/** A log filter: a block range or one block hash, addresses, and topics per position. */
export interface LogFilter {
  blockHash?: Uint8Array
  fromBlock?: unknown
  toBlock?: unknown
  addresses: bigint[]
  /** Per position: undefined is a wildcard, else any of the values. */
  topics: (bigint[] | undefined)[]
}

export function parseFilter(value: unknown, index: number): LogFilter {
  const o = object(value, index)
  const filter: LogFilter = { addresses: [], topics: [] }
  if (o.blockHash != null) {
    if (o.fromBlock != null || o.toBlock != null)
      throw argError(index, 'cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other')
    filter.blockHash = hash(o.blockHash, index)
  }
  filter.fromBlock = o.fromBlock ?? undefined
  filter.toBlock = o.toBlock ?? undefined
  if (o.address != null) {
    const list = Array.isArray(o.address) ? o.address : [o.address]
    filter.addresses = list.map((a) => address(a, index))
  }
  if (o.topics != null) {
    if (!Array.isArray(o.topics)) throw argError(index, 'topics must be an array')
    if (o.topics.length > 4) throw argError(index, 'too many topics (max 4)')
    filter.topics = o.topics.map((t) => {
      if (t === null) return undefined
      const list = Array.isArray(t) ? t : [t]
      if (list.length === 0) return undefined
      return list.map((x) => {
        if (x === null) return -1n
        const bytes = hash(x, index)
        let v = 0n
        for (const b of bytes) v = (v << 8n) | BigInt(b)
        return v
      })
    })
  }
  return filter
}

/** Whether a block with this logs bloom may hold a matching log (false: it holds none). */
export function bloomMayMatch(bloom: Uint8Array, filter: LogFilter): boolean {
  const has = (item: Uint8Array) => {
    const probe = new Uint8Array(256)
    bloomAdd(probe, item)
    for (let i = 0; i < 256; i++) if ((probe[i]! & bloom[i]!) !== probe[i]) return false
    return true
  }
  if (filter.addresses.length > 0 && !filter.addresses.some((a) => has(bigIntToBytes(a, 20)))) return false
  for (const position of filter.topics) {
    if (!position || position.includes(-1n)) continue
    if (!position.some((t) => has(bigIntToBytes(t, 32)))) return false
  }
  return true
}

/** The logs of one block that match. */
export function blockLogs(block: ChainBlock, filter: LogFilter): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  if (!bloomMayMatch(block.block.header.logsBloom, filter)) return out
  let logIndex = 0
  block.receipts.forEach((receipt, txIndex) => {
    let txHash: Uint8Array | undefined
    for (const log of receipt.logs) {
      const i = logIndex++
      if (filter.addresses.length > 0 && !filter.addresses.includes(log.address)) continue
      if (filter.topics.length > log.topics.length) continue
      let ok = true
      for (let p = 0; p < filter.topics.length && ok; p++) {
        const want = filter.topics[p]
        if (want && !want.includes(log.topics[p]!) && !want.includes(-1n)) ok = false
      }
      if (!ok) continue
      txHash ??= transactionHash(decodeTransaction(block.block.transactions[txIndex]!))
      out.push(logToJson(log, { block, txHash, txIndex, logIndex: i }))
    }
  })
  return out
}
