import type { Withdrawal } from '@crucible/block'
import { applyOverrides } from '@crucible/capsule'
import type { BlockEnv, Host } from '@crucible/evm'
import { bytesToBigInt } from '@crucible/primitives'
import { invalidParams, serverError } from './errors.js'
import { address, argError, bytes, hash, object, quantity } from './params.js'

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
  applyOverrides(
    state,
    [...overrides].map(([address, o]) => ({ address, ...o })),
  )
}

/** Block header fields a call or simulation runs with instead (geth's `BlockOverrides`). */
export interface BlockOverrides {
  number?: bigint
  time?: bigint
  gasLimit?: bigint
  feeRecipient?: Uint8Array
  prevRandao?: Uint8Array
  baseFeePerGas?: bigint
  blobBaseFee?: bigint
  beaconRoot?: Uint8Array
  difficulty?: bigint
  withdrawals?: Withdrawal[]
}

export function parseBlockOverrides(value: unknown, index = 0): BlockOverrides {
  if (value === undefined || value === null) return {}
  const o = object(value, index)
  const out: BlockOverrides = {}
  const q = (key: string, bits = 256) => (o[key] == null ? undefined : quantity(o[key], index, bits))
  const number = q('number')
  if (number !== undefined) out.number = number
  const time = q('time', 64)
  if (time !== undefined) out.time = time
  const gasLimit = q('gasLimit', 64)
  if (gasLimit !== undefined) out.gasLimit = gasLimit
  const baseFee = q('baseFeePerGas')
  if (baseFee !== undefined) out.baseFeePerGas = baseFee
  const blobBaseFee = q('blobBaseFee')
  if (blobBaseFee !== undefined) out.blobBaseFee = blobBaseFee
  const difficulty = q('difficulty')
  if (difficulty !== undefined) out.difficulty = difficulty
  if (o.feeRecipient != null) out.feeRecipient = bytes(o.feeRecipient, index, 20)
  if (o.prevRandao != null) out.prevRandao = hash(o.prevRandao, index)
  if (o.beaconRoot != null) out.beaconRoot = hash(o.beaconRoot, index)
  if (o.withdrawals != null) {
    if (!Array.isArray(o.withdrawals)) throw argError(index, 'withdrawals must be an array')
    out.withdrawals = o.withdrawals.map((w) => {
      const x = object(w, index)
      return {
        index: quantity(x.index, index, 64),
        validatorIndex: quantity(x.validatorIndex, index, 64),
        address: bytes(x.address, index, 20),
        amount: quantity(x.amount, index, 64),
      }
    })
  }
  return out
}

/**
 * Applies block overrides to the environment of a single call (`debug_traceCall`, geth's
 * `BlockOverrides.Apply`): the header fields only; a beacon root or withdrawals need a block.
 */
export function applyBlockOverrides(env: BlockEnv, o: BlockOverrides): void {
  if (o.beaconRoot !== undefined)
    throw serverError('block override "beaconRoot" is not supported for this RPC method')
  if (o.withdrawals !== undefined)
    throw serverError('block override "withdrawals" is not supported for this RPC method')
  if (o.number !== undefined) env.number = o.number
  if (o.difficulty !== undefined) env.difficulty = o.difficulty
  if (o.time !== undefined) env.timestamp = o.time
  if (o.gasLimit !== undefined) env.gasLimit = o.gasLimit
  if (o.feeRecipient !== undefined) env.coinbase = bytesToBigInt(o.feeRecipient)
  if (o.prevRandao !== undefined) env.prevRandao = bytesToBigInt(o.prevRandao)
  if (o.baseFeePerGas !== undefined) env.baseFee = o.baseFeePerGas
  if (o.blobBaseFee !== undefined) env.blobBaseFee = o.blobBaseFee
}
