import type { Host, Inspector } from '@crucible/evm'
import { bytesToHex, numberToHex } from '@crucible/primitives'
import { type CallArgs, callArgs, execute, failureError, failureMessage, prepareCall } from '../call.js'
import type { ChainBlock, ChainState } from '../chain.js'
import type { Handler, RpcContext } from '../context.js'
import { serverError } from '../errors.js'
import { addressHex, wordHex } from '../format.js'
import { stateBlock } from '../lookup.js'
import { applyStateOverrides } from '../overrides.js'
import { blockRef, required } from '../params.js'

interface CallSetup {
  block: ChainBlock
  state: ChainState
  args: CallArgs
  overrides?: unknown
}

function setup(
  ctx: RpcContext,
  params: unknown[],
  blockIndex: number,
  defaultTag: 'latest' | 'pending' = 'latest',
): CallSetup {
  const args = callArgs(required(params, 0), 0)
  const block = stateBlock(ctx.chain, blockRef(params[blockIndex] ?? defaultTag, blockIndex))
  const state = ctx.chain.stateAt(block)
  return { block, state, args }
}

/** Runs the call once on a fresh copy of the block's state. */
function runOnce(
  ctx: RpcContext,
  s: CallSetup,
  args: CallArgs,
  host?: (state: ChainState) => Host,
  inspector?: Inspector,
) {
  const state = ctx.chain.stateAt(s.block)
  if (s.overrides) applyStateOverrides(state, s.overrides)
  const rules = ctx.chain.rules(s.block.block)
  const call = prepareCall(args, state, s.block.block.header, rules, ctx.chain.config, ctx.limits)
  return { call, result: execute(host ? host(state) : state, call, rules, ctx.limits, inspector) }
}

export const execMethods: Record<string, Handler> = {
  eth_call(ctx, params) {
    const s = setup(ctx, params, 1)
    if (params[2] != null) s.overrides = params[2]
    const { result } = runOnce(ctx, s, s.args)
    if (result.status === 0) throw failureError(result)
    return bytesToHex(result.output)
  },

  eth_estimateGas(ctx, params) {
    const s = setup(ctx, params, 1)
    if (params[2] != null) s.overrides = params[2]
    const cap = s.args.gas ?? undefined
    // The highest limit it may need: the given gas, else the cap (see prepareCall).
    const top = runOnce(ctx, s, s.args)
    if (top.result.status === 0) throw failureError(top.result)
    let hi = top.call.tx.gasLimit
    const used = top.result.gasUsed
    const ok = (gas: bigint): boolean => {
      try {
        return runOnce(ctx, s, { ...s.args, gas }).result.status === 1
      } catch (error) {
        if (error instanceof Error && /intrinsic gas|floor/.test(error.message)) return false
        throw error
      }
    }
    let lo = used - 1n
    // Most calls need what they used, or a little more for the 63/64 rule: try that first.
    const guess = (used * 64n) / 63n
    if (guess < hi && ok(guess)) hi = guess
    else if (cap === undefined && !ok(hi)) throw serverError(`gas required exceeds allowance (${hi})`)
    if (ok(used)) return numberToHex(used)
    while (lo + 1n < hi) {
      const mid = (lo + hi) / 2n
      if (ok(mid)) hi = mid
      else lo = mid
    }
    return numberToHex(hi)
  },

  eth_createAccessList(ctx, params) {
    const s = setup(ctx, params, 1, 'pending')
    const precompiles = new Set(ctx.chain.rules(s.block.block).params.precompiles.map((a) => BigInt(a)))
    let list = s.args.accessList ?? []
    let last = ''
    for (let round = 0; round < 8; round++) {
      const accounts = new Map<bigint, Set<bigint>>()
      // Only what execution touches counts, not the sender, recipient, coinbase and list
      // warmed before the first frame starts.
      let started = false
      const inspector: Inspector = {
        enter() {
          started = true
        },
      }
      const record = (state: ChainState): Host =>
        new Proxy(state, {
          get(target, prop) {
            if (prop === 'warmAccount')
              return (a: bigint) => {
                if (started && !accounts.has(a)) accounts.set(a, new Set())
                return target.warmAccount(a)
              }
            if (prop === 'warmSlot')
              return (a: bigint, k: bigint) => {
                if (!started) return target.warmSlot(a, k)
                let slots = accounts.get(a)
                if (!slots) accounts.set(a, (slots = new Set()))
                slots.add(k)
                return target.warmSlot(a, k)
              }
            const v = Reflect.get(target, prop, target)
            return typeof v === 'function' ? v.bind(target) : v
          },
        }) as Host
      const type =
        s.args.type ??
        (s.args.maxFeePerGas !== undefined || s.args.maxPriorityFeePerGas !== undefined ? 2 : 1)
      const { call, result } = runOnce(ctx, s, { ...s.args, accessList: list, type }, record, inspector)
      const excluded = new Set<bigint>([call.tx.sender, ...precompiles])
      if (call.tx.to !== undefined) excluded.add(call.tx.to)
      else if (result.createdAddress !== undefined) excluded.add(result.createdAddress)
      const next = [...accounts.entries()]
        .filter(
          ([a, slots]) => !excluded.has(a) || (slots.size > 0 && !precompiles.has(a) && a !== call.tx.sender),
        )
        .map(([address, slots]) => ({ address, storageKeys: [...slots] }))
      const key = JSON.stringify(
        next.map((e) => [e.address.toString(16), e.storageKeys.map((k) => k.toString(16))]),
      )
      if (key === last) {
        const out: Record<string, unknown> = {
          accessList: list.map((e) => ({
            address: addressHex(e.address),
            storageKeys: e.storageKeys.map(wordHex),
          })),
        }
        if (result.status === 0) out.error = failureMessage(result)
        out.gasUsed = numberToHex(result.gasUsed)
        return out
      }
      last = key
      list = next
    }
    throw serverError('access list did not settle')
  },
}
