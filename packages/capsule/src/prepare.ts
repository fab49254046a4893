import { defaultVm, executeBlock, type Vm } from '@crucible/block'
import type { BlockEnv, TransactionInput } from '@crucible/evm'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import { bytesToHex, equalBytes, hexToBytes, keccak256 } from '@crucible/primitives'
import type { WorldState } from '@crucible/state'
import { decodeCapsule } from './codec.js'
import { CapsuleError } from './errors.js'
import { applyOverrides, callRules } from './execute.js'
import { checkHeaders, openFlatState, openVerifiedState } from './replay.js'
import { chainOfCapsule } from './rules.js'
import type { Capsule } from './types.js'

/** One transaction of a capsule, ready to run: the state right before it and what it runs with. */
export interface CapsuleTransaction {
  /** Between transactions: the block's opening system calls and earlier transactions applied. */
  state: WorldState
  tx: TransactionInput
  env: BlockEnv
  rules: ForkRules
  chain: ChainConfig
  /** Its index in the block (undefined for a call). */
  index: number | undefined
  /** Its hash (undefined for a call). */
  hash: Uint8Array | undefined
  /** How many transactions the block has (1 for a call). */
  count: number
}

/** Which transaction of a block capsule: by index, or by hash. */
export interface CapsuleTransactionSelector {
  index?: number
  hash?: Uint8Array | string
}

/** Control flow only: stops block execution right before the chosen transaction. */
class StopBefore extends Error {}

/**
 * Opens one transaction of a capsule without running it, so that something else (a debugger,
 * a tracer) can: a call capsule's call (overrides applied), a transaction capsule's
 * transaction, or the chosen transaction of a block capsule (`select`; the only one by
 * default). The state is the capsule's own, strict as in replay: a read outside it throws
 * `OUTSIDE_CAPSULE` when the caller runs the transaction.
 */
export async function openCapsuleTransaction(
  capsule: Capsule | Uint8Array,
  select: CapsuleTransactionSelector = {},
): Promise<CapsuleTransaction> {
  const c = capsule instanceof Uint8Array ? decodeCapsule(capsule) : capsule
  checkHeaders(c)
  const state = c.mode === 'verified' ? openVerifiedState(c) : await openFlatState(c)
  const input = c.input
  const number = input.kind === 'call' ? input.env.number : input.block.header.number
  const { chain, rules } = chainOfCapsule(c.rules, number)
  if (input.kind === 'call') {
    applyOverrides(state, input.overrides)
    return {
      state,
      tx: input.tx,
      env: input.env,
      rules: callRules(rules),
      chain,
      index: undefined,
      hash: undefined,
      count: 1,
    }
  }
  const txs = input.block.transactions
  const index = input.kind === 'transaction' ? input.index : chooseIndex(txs, select)
  if (input.kind === 'transaction' && select.index !== undefined && select.index !== index)
    throw new CapsuleError('NOT_RECORDABLE', 'the capsule holds another transaction of the block', {
      index: input.index,
    })
  let found: { tx: TransactionInput; env: BlockEnv } | undefined
  const stop = new StopBefore()
  let seen = 0
  const vm: Vm = {
    processTransaction(host, tx, env, r, inclusion) {
      if (seen++ < index) return defaultVm.processTransaction(host, tx, env, r, inclusion)
      found = { tx, env }
      throw stop
    },
    systemCall: defaultVm.systemCall,
  }
  try {
    executeBlock({ ...input.block, transactions: txs.slice(0, index + 1) }, state, { chain, rules, vm })
  } catch (error) {
    if ((error as { cause?: unknown }).cause !== stop && error !== stop) throw error
  }
  if (found === undefined)
    throw new CapsuleError('NOT_RECORDABLE', 'the block has no such transaction', {
      index,
      count: txs.length,
    })
  return { state, ...found, rules, chain, index, hash: keccak256(txs[index]!), count: txs.length }
}

function chooseIndex(txs: readonly Uint8Array[], select: CapsuleTransactionSelector): number {
  if (select.hash !== undefined) {
    const want = typeof select.hash === 'string' ? hexToBytes(select.hash) : select.hash
    const i = txs.findIndex((raw) => equalBytes(keccak256(raw), want))
    if (i < 0)
      throw new CapsuleError('NOT_RECORDABLE', 'no transaction of the block has this hash', {
        hash: bytesToHex(want),
      })
    return i
  }
  if (select.index !== undefined) {
    if (!Number.isInteger(select.index) || select.index < 0 || select.index >= txs.length)
      throw new CapsuleError('NOT_RECORDABLE', 'the block has no such transaction', {
        index: select.index,
        count: txs.length,
      })
    return select.index
  }
  if (txs.length !== 1)
    throw new CapsuleError(
      'NOT_RECORDABLE',
      'a block capsule of several transactions needs an index or a hash',
      {
        count: txs.length,
      },
    )
  return 0
}
