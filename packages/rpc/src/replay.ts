import {
  type Block,
  BlockError,
  type BlockState,
  defaultVm,
  executeBlock,
  type TransactionOutcome,
  type Vm,
} from '@crucible/block'
import { type BlockEnv, type Host, processTransaction, type TransactionInput } from '@crucible/evm'
import type { ForkRules } from '@crucible/forks'
import { bytesToHex } from '@crucible/primitives'
import { TraceTimeoutError } from '@crucible/tracers'
import { decodeTransaction, transactionHash } from '@crucible/tx'
import type { ChainBlock, ChainReader } from './chain.js'

/** One transaction of a replayed block, as it is about to run. */
export interface ReplayedTransaction {
  index: number
  /** 0x-hex transaction hash. */
  hash: string
  /** The state it runs on (the block's state so far); running it changes it. */
  host: Host
  tx: TransactionInput
  env: BlockEnv
  rules: ForkRules
}

/** Runs a transaction of a replay: untraced by default, or through a tracer. */
export type ReplayRunner = (t: ReplayedTransaction) => TransactionOutcome

/** Thrown by the replay's VM once the last wanted transaction ran: the rest is not needed. */
class ReplayDone extends Error {}

/** Runs a transaction without a tracer, as block import does. */
export function runUntraced(t: ReplayedTransaction): TransactionOutcome {
  const result = processTransaction(t.host, t.tx, t.env, t.rules)
  return { success: result.status === 1, gasUsed: result.gasUsed, logs: result.logs }
}

/**
 * Re-executes `block` on the post-state of `parent` through `@crucible/block`'s own block
 * executor (DAO move, EIP-4788/2935 system calls, sender recovery, gas checks: the import
 * path), once, handing each of its first `count` transactions to `run` as it comes. Returns
 * the state just before transaction `count` (after the block's last one when `count` covers
 * them all: withdrawals, rewards and the state root are left out, a trace does not need
 * them). What `run` throws ends the replay and is thrown on.
 */
export function replayBlock(
  chain: ChainReader,
  parent: ChainBlock,
  block: Block,
  count: number,
  run: ReplayRunner = runUntraced,
): BlockState {
  const state = chain.stateAt(parent)
  const rules = chain.rules(block)
  const total = block.transactions.length
  let index = 0
  const vm: Vm = {
    processTransaction(host, tx, env, txRules) {
      const i = index++
      if (i >= count) throw new ReplayDone()
      const hash = bytesToHex(transactionHash(decodeTransaction(block.transactions[i]!)))
      const outcome = run({ index: i, hash, host, tx, env, rules: txRules })
      if (i === total - 1) throw new ReplayDone()
      return outcome
    },
    systemCall: defaultVm.systemCall,
  }
  try {
    executeBlock(block, state, { chain: chain.config, rules, vm })
  } catch (error) {
    // The block executor wraps what a transaction throws; what `run` threw is its cause.
    const cause = error instanceof BlockError && error.cause !== undefined ? error.cause : error
    if (cause instanceof ReplayDone) return state
    // A timeout is the trace's own error (geth's "execution timeout"), not the block's.
    throw cause instanceof TraceTimeoutError ? cause : error
  }
  return state
}
