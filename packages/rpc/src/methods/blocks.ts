import { bloomAdd, encodeBlock, encodeHeader, encodeReceipt } from '@crucible/block'
import { bigIntToBytes, bytesToHex, numberToHex } from '@crucible/primitives'
import { decodeTransaction, transactionHash } from '@crucible/tx'
import type { ChainBlock } from '../chain.js'
import { findBlock, type Handler, type RpcContext, stateBlock } from '../context.js'
import { invalidParams, serverError } from '../errors.js'
import { blockReceiptsJson, blockToJson, logToJson, receiptJson, transactionJson } from '../format.js'
import {
  address,
  argError,
  blockNumberOrTag,
  blockRef,
  boolean,
  hash,
  object,
  quantity,
  required,
} from '../params.js'

function byHashOrRef(ctx: RpcContext, value: unknown): ChainBlock | undefined {
  if (typeof value === 'string' && value.length === 66) return ctx.chain.blockByHash(hash(value, 0))
  return findBlock(ctx.chain, blockRef(value, 0))
}

function firstLogIndex(block: ChainBlock, index: number): number {
  let n = 0
  for (let i = 0; i < index; i++) n += block.receipts[i]!.logs.length
  return n
}

function txIndex(value: unknown): number {
  const i = quantity(value, 1, 64)
  return i > 0xffffffffn ? -1 : Number(i)
}

export const blockMethods: Record<string, Handler> = {
  eth_blockNumber: (ctx) => numberToHex(ctx.chain.head().block.header.number),

  eth_getBlockByNumber(ctx, params) {
    const ref = blockNumberOrTag(required(params, 0), 0)
    const full = boolean(required(params, 1), 1)
    const b = findBlock(ctx.chain, ref)
    return b ? blockToJson(b, full) : null
  },
  eth_getBlockByHash(ctx, params) {
    const h = hash(required(params, 0), 0)
    const full = boolean(required(params, 1), 1)
    const b = ctx.chain.blockByHash(h)
    return b ? blockToJson(b, full) : null
  },
  eth_getBlockTransactionCountByNumber(ctx, params) {
    const b = findBlock(ctx.chain, blockNumberOrTag(required(params, 0), 0))
    return b ? numberToHex(b.block.transactions.length) : null
  },
  eth_getBlockTransactionCountByHash(ctx, params) {
    const b = ctx.chain.blockByHash(hash(required(params, 0), 0))
    return b ? numberToHex(b.block.transactions.length) : null
  },
  eth_getUncleCountByBlockNumber(ctx, params) {
    const b = findBlock(ctx.chain, blockNumberOrTag(required(params, 0), 0))
    return b ? numberToHex(b.block.uncles.length) : null
  },
  eth_getUncleCountByBlockHash(ctx, params) {
    const b = ctx.chain.blockByHash(hash(required(params, 0), 0))
    return b ? numberToHex(b.block.uncles.length) : null
  },
  eth_getTransactionByHash(ctx, params) {
    const h = hash(required(params, 0), 0)
    const found = ctx.chain.transaction(h)
    if (found) return transactionJson(found.block, found.index)
    return ctx.pool?.rpcTransaction(h) ?? null
  },
  eth_getTransactionByBlockHashAndIndex(ctx, params) {
    const b = ctx.chain.blockByHash(hash(required(params, 0), 0))
    const i = txIndex(required(params, 1))
    return b && i >= 0 && i < b.block.transactions.length ? transactionJson(b, i) : null
  },
  eth_getTransactionByBlockNumberAndIndex(ctx, params) {
    const b = findBlock(ctx.chain, blockNumberOrTag(required(params, 0), 0))
    const i = txIndex(required(params, 1))
    return b && i >= 0 && i < b.block.transactions.length ? transactionJson(b, i) : null
  },
  eth_getTransactionReceipt(ctx, params) {
    const found = ctx.chain.transaction(hash(required(params, 0), 0))
    if (!found) return null
    return receiptJson(
      found.block,
      found.index,
      firstLogIndex(found.block, found.index),
      ctx.chain.rules(found.block.block),
    )
  },
  eth_getBlockReceipts(ctx, params) {
    const b = byHashOrRef(ctx, required(params, 0))
    return b ? blockReceiptsJson(b, ctx.chain.rules(b.block)) : null
  },

  debug_getRawHeader(ctx, params) {
    const b = stateBlock(ctx.chain, blockRef(required(params, 0), 0))
    return bytesToHex(encodeHeader(b.block.header))
  },
  debug_getRawBlock(ctx, params) {
    const b = stateBlock(ctx.chain, blockRef(required(params, 0), 0))
    return bytesToHex(encodeBlock(b.block))
  },
  debug_getRawReceipts(ctx, params) {
    const b = stateBlock(ctx.chain, blockRef(required(params, 0), 0))
    return b.receipts.map((r) => bytesToHex(encodeReceipt(r)))
  },
  debug_getRawTransaction(ctx, params) {
    const found = ctx.chain.transaction(hash(required(params, 0), 0))
    if (!found) return '0x'
    return bytesToHex(found.block.block.transactions[found.index]!)
  },

  eth_getLogs(ctx, params) {
    return getLogs(ctx, parseFilter(required(params, 0), 0))
  },
}

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

function rangeEnd(ctx: RpcContext, value: unknown, index: number, fallback: bigint): bigint {
  if (value === undefined) return fallback
  const ref = blockNumberOrTag(value, index)
  if ('number' in ref) return ref.number
  const b = findBlock(ctx.chain, ref)
  if (!b) throw serverError(`${'tag' in ref ? ref.tag : ''} block not found`)
  return b.block.header.number
}

function bloomMayMatch(bloom: Uint8Array, filter: LogFilter): boolean {
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

export function getLogs(ctx: RpcContext, filter: LogFilter): Record<string, unknown>[] {
  if (filter.blockHash) {
    const b = ctx.chain.blockByHash(filter.blockHash)
    if (!b) throw serverError('unknown block')
    return blockLogs(b, filter)
  }
  const head = ctx.chain.head().block.header.number
  const from = rangeEnd(ctx, filter.fromBlock, 0, head)
  const to = rangeEnd(ctx, filter.toBlock, 0, head)
  if (from > to) throw invalidParams('invalid block range params')
  if (to > head) throw invalidParams('block range extends beyond current head block')
  if (to - from >= BigInt(ctx.maxLogBlocks))
    throw invalidParams(`block range too large (at most ${ctx.maxLogBlocks} blocks)`)
  const out: Record<string, unknown>[] = []
  for (let n = from; n <= to; n++) {
    const b = ctx.chain.blockByNumber(n)
    if (!b) break
    for (const log of blockLogs(b, filter)) {
      out.push(log)
      if (out.length > ctx.maxLogs) throw serverError(`query returned more than ${ctx.maxLogs} results`)
    }
  }
  return out
}
