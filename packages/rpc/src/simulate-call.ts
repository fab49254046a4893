import type { TransactionInput } from '@crucible/evm'
import type { ForkRules } from '@crucible/forks'
import { getPrecompile, type Precompile } from '@crucible/precompiles'
import type { Transaction } from '@crucible/tx'
import type { CallArgs } from './call.js'

/** The rules with some precompiles removed (an overridden precompile address runs its code). */
export function withoutPrecompiles(rules: ForkRules, removed: Set<number>): ForkRules {
  if (removed.size === 0) return rules
  const params = { ...rules.params, precompiles: rules.params.precompiles.filter((a) => !removed.has(a)) }
  return Object.create(rules, { params: { value: params } }) as ForkRules
}

/**
 * The precompiles by address after `movePrecompileToAddress` overrides: the fork's, less the
 * displaced ones, plus each moved one at its destination (over a precompile already there).
 */
export function movedPrecompiles(
  rules: ForkRules,
  removed: Set<number>,
  moves: Map<bigint, number>,
): Map<bigint, Precompile> {
  const out = new Map<bigint, Precompile>()
  for (const a of rules.params.precompiles) {
    const p = getPrecompile(a, rules)
    if (p !== undefined && !removed.has(a)) out.set(BigInt(a), p)
  }
  for (const [to, from] of moves) out.set(to, getPrecompile(from, rules)!)
  return out
}

/** The transaction geth builds from a call (unsigned: v, r and s are zero). */
export function callTransaction(c: CallArgs, chainId: bigint, nonce: bigint, gas: bigint): Transaction {
  const common = {
    nonce,
    gasLimit: gas,
    to: c.to,
    value: c.value ?? 0n,
    data: c.data ?? new Uint8Array(0),
    r: 0n,
    s: 0n,
  }
  if (c.gasPrice !== undefined) return { ...common, type: 0, gasPrice: c.gasPrice, v: 0n, chainId: undefined }
  const accessList = c.accessList ?? []
  const fees = { maxFeePerGas: c.maxFeePerGas ?? 0n, maxPriorityFeePerGas: c.maxPriorityFeePerGas ?? 0n }
  const id = c.chainId ?? chainId
  if (c.authorizationList)
    return {
      ...common,
      ...fees,
      type: 4,
      chainId: id,
      accessList,
      authorizationList: c.signedAuthorizations ?? [],
      yParity: 0n,
      to: c.to ?? 0n,
    } as Transaction
  if (c.blobVersionedHashes)
    return {
      ...common,
      ...fees,
      type: 3,
      chainId: id,
      accessList,
      blobVersionedHashes: c.blobVersionedHashes,
      maxFeePerBlobGas: c.maxFeePerBlobGas ?? 0n,
      yParity: 0n,
      to: c.to ?? 0n,
    } as Transaction
  return { ...common, ...fees, type: 2, chainId: id, accessList, yParity: 0n } as Transaction
}

/** The message geth runs for a call (`ToMessage`): fees folded into the effective price. */
export function callInput(
  c: CallArgs,
  tx: Transaction,
  sender: bigint,
  stateNonce: bigint,
): TransactionInput {
  const input: TransactionInput = {
    type: tx.type,
    sender,
    to: c.to,
    nonce: stateNonce,
    value: tx.value,
    data: tx.data,
    gasLimit: tx.gasLimit,
    chainId: tx.chainId ?? undefined,
  }
  if (tx.type === 0) input.gasPrice = tx.gasPrice
  else if (tx.type !== 1) {
    input.maxFeePerGas = tx.maxFeePerGas
    input.maxPriorityFeePerGas = tx.maxPriorityFeePerGas
    input.accessList = c.accessList ?? []
  }
  if (tx.type === 3) {
    input.blobVersionedHashes = tx.blobVersionedHashes
    input.maxFeePerBlobGas = tx.maxFeePerBlobGas
  }
  if (tx.type === 4) input.authorizationList = c.authorizationList ?? []
  return input
}
