import { bytesToHex, type Hex, numberToHex } from '@crucible/primitives'
import type { Handler, RpcContext } from '../context.js'
import { invalidParams } from '../errors.js'
import { wordHex } from '../format.js'
import { stateBlock } from '../lookup.js'
import { address, argError, blockRef, object, required, storageKey } from '../params.js'
import { accountProof } from '../proof.js'

function stateOf(ctx: RpcContext, params: unknown[], index: number) {
  const block = stateBlock(ctx.chain, blockRef(params[index], index))
  return ctx.chain.stateAt(block)
}

export const stateMethods: Record<string, Handler> = {
  eth_getBalance(ctx, params) {
    const a = address(required(params, 0), 0)
    return numberToHex(stateOf(ctx, params, 1).getBalance(a))
  },
  eth_getTransactionCount(ctx, params) {
    const a = address(required(params, 0), 0)
    if (params[1] === 'pending' && ctx.pool) {
      const state = stateOf(ctx, params, 1)
      return numberToHex(ctx.pool.nextNonce(a, state.getNonce(a)))
    }
    return numberToHex(stateOf(ctx, params, 1).getNonce(a))
  },
  eth_getCode(ctx, params) {
    const a = address(required(params, 0), 0)
    return bytesToHex(stateOf(ctx, params, 1).getCode(a))
  },
  eth_getStorageAt(ctx, params) {
    const a = address(required(params, 0), 0)
    const key = storageKey(required(params, 1), 1)
    return wordHex(stateOf(ctx, params, 2).getStorage(a, key))
  },
  eth_getStorageValues(ctx, params) {
    const request = object(required(params, 0), 0)
    const entries = Object.entries(request)
    if (entries.length === 0) throw invalidParams('empty request')
    const state = stateOf(ctx, params, 1)
    const out: Record<string, Hex[]> = {}
    let total = 0
    for (const [key, slots] of entries) {
      const a = address(key, 0)
      if (!Array.isArray(slots)) throw argError(0, 'slots must be an array')
      total += slots.length
      if (total > 1024) throw invalidParams('too many slots (max 1024)')
      out[key] = slots.map((s) => wordHex(state.getStorage(a, storageKey(s, 0))))
    }
    return out
  },
  eth_getProof(ctx, params) {
    const a = address(required(params, 0), 0)
    const keys = required(params, 1)
    if (!Array.isArray(keys)) throw argError(1, 'expected an array of storage keys')
    const parsed = keys.map((k) => {
      const key = storageKey(k, 1)
      const label = (typeof k === 'string' && k.length === 66 ? k.toLowerCase() : numberToHex(key)) as Hex
      return { key, label }
    })
    return accountProof(stateOf(ctx, params, 2), a, parsed)
  },
}
