import { encodeBlock, encodeHeader, encodeReceipt } from '@crucible/block'
import { bytesToHex, numberToHex } from '@crucible/primitives'
import type { ChainBlock } from '../chain.js'
import type { Handler, RpcContext } from '../context.js'
import { invalidParams, serverError } from '../errors.js'
import { blockReceiptsJson, blockToJson, receiptJson, transactionJson } from '../format.js'
import { blockLogs, bloomMayMatch, type LogFilter, parseFilter } from '../logs.js'
import { findBlock, stateBlock } from '../lookup.js'
import { blockNumberOrTag, blockRef, boolean, hash, quantity, required } from '../params.js'

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

function rangeEnd(ctx: RpcContext, value: unknown, index: number, fallback: bigint): bigint {
  if (value === undefined) return fallback
  const ref = blockNumberOrTag(value, index)
  if ('number' in ref) return ref.number
  const b = findBlock(ctx.chain, ref)
  if (!b) throw serverError(`${'tag' in ref ? ref.tag : ''} block not found`)
  return b.block.header.number
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
    // A chain that reads headers alone (a database) skips non-matching blocks unloaded.
    const header = ctx.chain.canonicalHeader?.(n)
    if (header && !bloomMayMatch(header.logsBloom, filter)) continue
    const b = ctx.chain.blockByNumber(n)
    if (!b) break
    for (const log of blockLogs(b, filter)) {
      out.push(log)
      if (out.length > ctx.maxLogs) throw serverError(`query returned more than ${ctx.maxLogs} results`)
    }
  }
  return out
}
