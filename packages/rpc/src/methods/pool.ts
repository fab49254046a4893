import { bytesToHex, numberToHex } from '@crucible/primitives'
import { decodeTransaction } from '@crucible/tx'
import { buildBlock } from '../build.js'
import type { Handler, RpcContext } from '../context.js'
import { serverError } from '../errors.js'
import { address, argError, bytes, hash, object, quantity, required } from '../params.js'
import { blockToPayload } from '../payload.js'
import { checksum, type PooledTransaction, pendingJson, type TxPool } from '../pool.js'

function poolOf(ctx: RpcContext): TxPool {
  if (!ctx.pool) throw serverError('this node keeps no transaction pool')
  return ctx.pool
}

function nonceAtHead(ctx: RpcContext): (sender: bigint) => bigint {
  const state = ctx.chain.stateAt(ctx.chain.head())
  return (sender) => state.getNonce(sender)
}

function byNonce(list: PooledTransaction[] | undefined, format: (p: PooledTransaction) => unknown) {
  const out: Record<string, unknown> = {}
  for (const p of list ?? []) out[p.tx.nonce.toString()] = format(p)
  return out
}

function contentOf(ctx: RpcContext, only?: bigint, format: (p: PooledTransaction) => unknown = pendingJson) {
  const { pending, queued } = poolOf(ctx).split(nonceAtHead(ctx))
  const group = (m: Map<bigint, PooledTransaction[]>) => {
    const out: Record<string, unknown> = {}
    for (const [sender, list] of m)
      if (only === undefined || only === sender) out[checksum(sender)] = byNonce(list, format)
    return out
  }
  return { pending: group(pending), queued: group(queued) }
}

export const poolMethods: Record<string, Handler> = {
  eth_sendRawTransaction(ctx, params) {
    const raw = bytes(required(params, 0), 0)
    const pool = poolOf(ctx)
    const head = ctx.chain.head()
    const state = ctx.chain.stateAt(head)
    const next = {
      ...head.block,
      header: {
        ...head.block.header,
        number: head.block.header.number + 1n,
        timestamp: head.block.header.timestamp + 12n,
        parentHash: head.hash,
      },
    }
    return bytesToHex(pool.add(raw, state, ctx.chain.rules(next), ctx.chain.config.chainId))
  },
  txpool_status(ctx) {
    const { pending, queued } = poolOf(ctx).split(nonceAtHead(ctx))
    const count = (m: Map<bigint, PooledTransaction[]>) => [...m.values()].reduce((n, l) => n + l.length, 0)
    return { pending: numberToHex(count(pending)), queued: numberToHex(count(queued)) }
  },
  txpool_content: (ctx) => contentOf(ctx),
  txpool_contentFrom: (ctx, params) => contentOf(ctx, address(required(params, 0), 0)),
  txpool_inspect: (ctx) =>
    contentOf(ctx, undefined, (p) => {
      const to = p.tx.to === undefined ? 'contract creation' : checksum(p.tx.to)
      const price = p.tx.type === 0 || p.tx.type === 1 ? p.tx.gasPrice : p.tx.maxFeePerGas
      return `${to}: ${p.tx.value} wei + ${p.tx.gasLimit} gas × ${price} wei`
    }),

  testing_buildBlockV1(ctx, params) {
    const parent = ctx.chain.blockByHash(hash(required(params, 0), 0))
    if (!parent) throw serverError('parent block not found')
    const a = object(required(params, 1), 1)
    let transactions: Uint8Array[]
    const given = params[2]
    if (given === null || given === undefined) {
      const { pending } = poolOf(ctx).split(nonceAtHead(ctx))
      transactions = [...pending.values()].flat().map((p) => p.bytes)
    } else {
      if (!Array.isArray(given)) throw argError(2, 'transactions must be an array')
      transactions = given.map((t) => bytes(t, 2))
    }
    for (const t of transactions) decodeTransaction(t)
    const withdrawals = Array.isArray(a.withdrawals)
      ? a.withdrawals.map((w) => {
          const o = object(w, 1)
          return {
            index: quantity(o.index, 1, 64),
            validatorIndex: quantity(o.validatorIndex, 1, 64),
            address: bytes(o.address, 1, 20),
            amount: quantity(o.amount, 1, 64),
          }
        })
      : undefined
    const built = buildBlock(ctx.chain, parent, transactions, {
      timestamp: quantity(a.timestamp, 1, 64),
      prevRandao: hash(a.prevRandao, 1),
      feeRecipient: bytes(a.suggestedFeeRecipient, 1, 20),
      ...(withdrawals ? { withdrawals } : {}),
      ...(a.parentBeaconBlockRoot != null ? { parentBeaconBlockRoot: hash(a.parentBeaconBlockRoot, 1) } : {}),
      ...(params[3] != null ? { extraData: bytes(params[3], 3) } : {}),
    })
    return {
      executionPayload: blockToPayload(built.block),
      blockValue: numberToHex(built.value),
      blobsBundle: { commitments: [], proofs: [], blobs: [] },
      executionRequests: built.requests.map((r) => bytesToHex(r)),
      shouldOverrideBuilder: false,
    }
  },
}
