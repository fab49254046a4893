import { BLOOM_BYTES, type Log } from '@crucible/block'
import { bigIntToBytes, keccak256 } from '@crucible/primitives'
import type { ChainDb } from './chaindb.js'

/**
 * Which logs to find, as `eth_getLogs` asks: canonical blocks `fromBlock`..`toBlock`
 * (inclusive), emitted by one of `address` (any when absent), with topics matching position
 * by position (`null` or absent: any; a list: any of them).
 */
export interface LogFilter {
  fromBlock: bigint
  toBlock: bigint
  address?: bigint | bigint[]
  topics?: Array<bigint | bigint[] | null>
}

/** A log with where it was emitted. */
export interface LogEntry {
  log: Log
  blockNumber: bigint
  blockHash: Uint8Array
  transactionIndex: number
  /** Position of the log in its block. */
  logIndex: number
}

function inBloom(bloom: Uint8Array, value: Uint8Array): boolean {
  const hash = keccak256(value)
  for (let i = 0; i < 6; i += 2) {
    const bit = ((hash[i]! << 8) | hash[i + 1]!) & 2047
    if ((bloom[BLOOM_BYTES - 1 - (bit >> 3)]! & (1 << (bit & 7))) === 0) return false
  }
  return true
}

const asList = (v: bigint | bigint[]): bigint[] => (Array.isArray(v) ? v : [v])

/**
 * The logs of canonical blocks matching the filter, in chain order. Each block's header bloom
 * is tested first, so only blocks that may match have their receipts read.
 */
export function getLogs(db: ChainDb, filter: LogFilter): LogEntry[] {
  const addresses = filter.address === undefined ? undefined : asList(filter.address)
  const topics = (filter.topics ?? []).map((t) => (t === null ? undefined : asList(t)))
  const out: LogEntry[] = []
  for (let n = filter.fromBlock; n <= filter.toBlock; n++) {
    const hash = db.getCanonicalHash(n)
    if (hash === undefined) break
    const header = db.getHeader(hash)!
    const bloom = header.logsBloom
    if (addresses && !addresses.some((a) => inBloom(bloom, bigIntToBytes(a, 20)))) continue
    if (topics.some((set) => set && !set.some((t) => inBloom(bloom, bigIntToBytes(t, 32))))) continue
    const receipts = db.getReceipts(hash) ?? []
    let logIndex = 0
    receipts.forEach((receipt, transactionIndex) => {
      for (const log of receipt.logs) {
        const index = logIndex++
        if (addresses && !addresses.includes(log.address)) continue
        if (topics.some((set, i) => set && (log.topics[i] === undefined || !set.includes(log.topics[i]!))))
          continue
        out.push({ log, blockNumber: n, blockHash: hash, transactionIndex, logIndex: index })
      }
    })
  }
  return out
}
