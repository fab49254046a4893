import type { Host } from '@crucible/evm'
import { bytesToBigInt } from '@crucible/primitives'
import { invalidParams } from './errors.js'
import { address, bytes, object, quantity } from './params.js'

/** One account's override (`eth_call`'s third argument, `eth_simulateV1`'s `stateOverrides`). */
export interface AccountOverride {
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  /** Replaces the whole storage. */
  state?: [bigint, bigint][]
  /** Changes only these slots. */
  stateDiff?: [bigint, bigint][]
  movePrecompileToAddress?: bigint
}

export type StateOverrides = Map<bigint, AccountOverride>

function slots(value: unknown, index: number): [bigint, bigint][] {
  const o = object(value, index)
  return Object.entries(o).map(([k, v]) => [
    bytesToBigInt(bytes(k, index, 32)),
    bytesToBigInt(bytes(v, index, 32)),
  ])
}

export function parseStateOverrides(value: unknown, index: number): StateOverrides {
  const out: StateOverrides = new Map()
  if (value === undefined || value === null) return out
  for (const [key, v] of Object.entries(object(value, index))) {
    const o = object(v, index)
    const a: AccountOverride = {}
    if (o.balance != null) a.balance = quantity(o.balance, index)
    if (o.nonce != null) a.nonce = quantity(o.nonce, index, 64)
    if (o.code != null) a.code = bytes(o.code, index)
    if (o.state != null && o.stateDiff != null)
      throw invalidParams(`account ${key} has both 'state' and 'stateDiff'`)
    if (o.state != null) a.state = slots(o.state, index)
    if (o.stateDiff != null) a.stateDiff = slots(o.stateDiff, index)
    if (o.movePrecompileToAddress != null)
      a.movePrecompileToAddress = address(o.movePrecompileToAddress, index)
    out.set(address(key, index), a)
  }
  return out
}

/** Writes overrides into a state copy, between transactions. */
export function applyStateOverrides(state: Host, value: unknown, parsed?: StateOverrides): void {
  const overrides = parsed ?? parseStateOverrides(value, 2)
  if (overrides.size === 0) return
  state.beginTransaction()
  for (const [a, o] of overrides) {
    if (o.state) {
      const balance = state.getBalance(a)
      const nonce = state.getNonce(a)
      const code = state.getCode(a)
      state.createAccount(a)
      state.setBalance(a, balance)
      state.setNonce(a, nonce)
      state.setCode(a, code)
      for (const [k, v] of o.state) state.setStorage(a, k, v)
    }
    if (o.stateDiff) for (const [k, v] of o.stateDiff) state.setStorage(a, k, v)
    if (o.balance !== undefined) state.setBalance(a, o.balance)
    if (o.nonce !== undefined) state.setNonce(a, o.nonce)
    if (o.code !== undefined) state.setCode(a, o.code)
  }
  state.endTransaction([], false)
}
