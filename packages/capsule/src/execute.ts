import {
  type Block,
  type BlockResult,
  type BlockState,
  defaultVm,
  encodeReceipt,
  evmVm,
  executeBlock,
  headerHash,
  type Vm,
} from '@crucible/block'
import {
  type Host,
  type ProcessTransactionOptions,
  processTransaction,
  type TransactionResult,
} from '@crucible/evm'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import { EMPTY_BYTES, equalBytes } from '@crucible/primitives'
import type { WorldState } from '@crucible/state'
import type { CallInput, CallOverride, CapsuleInput, CapsuleOutcome, DiffEntry, PreState } from './types.js'

/** Control flow only: stops block execution right after the transaction a capsule is about. */
class StopAfterTransaction extends Error {}

/**
 * Runs one transaction of a block: the block's opening system calls and the transactions
 * before it run first, as in {@link executeBlock}, which is stopped right after it.
 */
function runTransactionOfBlock(
  block: Block,
  index: number,
  state: BlockState,
  chain: ChainConfig,
  rules: ForkRules,
  evm: ProcessTransactionOptions,
): TransactionResult {
  let seen = 0
  let result: TransactionResult | undefined
  const stop = new StopAfterTransaction()
  const vm: Vm = {
    processTransaction(host, tx, env, r, inclusion) {
      if (seen++ < index) return defaultVm.processTransaction(host, tx, env, r, inclusion)
      result = processTransaction(host, tx, env, r, { ...evm, ...inclusion })
      throw stop
    },
    systemCall: defaultVm.systemCall,
  }
  try {
    executeBlock({ ...block, transactions: block.transactions.slice(0, index + 1) }, state, {
      chain,
      rules,
      vm,
    })
  } catch (error) {
    if ((error as { cause?: unknown }).cause !== stop) throw error
  }
  if (result === undefined) throw new RangeError(`the block has no transaction ${index}`)
  return result
}

/**
 * State overrides, written between transactions as `eth_call` does (per account: `state`
 * replaces the storage, then `stateDiff`, `balance`, `nonce`, `code`). `@crucible/rpc`'s
 * `eth_call` applies its overrides through this too.
 */
export function applyOverrides(state: Host, overrides: readonly CallOverride[]): void {
  if (overrides.length === 0) return
  state.beginTransaction()
  for (const o of overrides) {
    const a = o.address
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

/** The rules a call runs under: as the fork's, without the EIP-7825 transaction gas cap. */
export function callRules(rules: ForkRules): ForkRules {
  return rules.params.txGasLimitCap === undefined
    ? rules
    : (Object.create(rules, {
        params: { value: { ...rules.params, txGasLimitCap: undefined } },
      }) as ForkRules)
}

/**
 * A call as `eth_call` runs it: no EIP-7825 gas cap, and a sender with code is let through
 * (its code is hidden from validation only, as geth skips the EIP-3607 check for calls).
 */
function runCall(
  input: CallInput,
  state: Host,
  rules: ForkRules,
  evm: ProcessTransactionOptions,
): TransactionResult {
  applyOverrides(state, input.overrides)
  const sender = input.tx.sender
  let host = state
  if (state.getCode(sender).length > 0) {
    let started = false
    host = new Proxy(state, {
      get(target, prop) {
        if (prop === 'beginTransaction')
          return () => {
            started = true
            target.beginTransaction()
          }
        if (!started && prop === 'getCode')
          return (a: bigint) => (a === sender ? EMPTY_BYTES : target.getCode(a))
        const v = Reflect.get(target, prop, target)
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
  }
  return processTransaction(host, input.tx, input.env, callRules(rules), evm)
}

/** What running an input produced: the outcome (its diff still empty) and, for a block, the whole result. */
export interface RunResult {
  outcome: CapsuleOutcome
  block?: BlockResult
}

/**
 * Runs a capsule's input on `state` (the pre-state) and returns what it produced, without the
 * state diff (see {@link stateDiff}). `withRoot`: compute the post-state root of a transaction
 * or call (a block always computes its own). `evm` options (execution limits, an inspector)
 * apply to the capsule's own transactions (in a block, all of them; for a transaction capsule,
 * that one; a call): a limit crossed throws `ExecutionAbortedError` (for a block, as the
 * cause of the block's error).
 */
export function runInput(
  input: CapsuleInput,
  state: WorldState,
  chain: ChainConfig,
  rules: ForkRules,
  withRoot: boolean,
  evm: ProcessTransactionOptions = {},
): RunResult {
  if (input.kind === 'block') {
    const vm = evm.limits === undefined && evm.inspector === undefined ? defaultVm : evmVm(evm)
    const result = executeBlock(input.block, state, { chain, rules, vm })
    const outcome: CapsuleOutcome = {
      kind: 'block',
      blockHash: headerHash(input.block.header),
      stateRoot: result.stateRoot,
      receiptsRoot: result.receiptsRoot,
      gasUsed: result.gasUsed,
      receipts: result.receipts.map(encodeReceipt),
      diff: [],
    }
    if (result.requestsHash) outcome.requestsHash = result.requestsHash
    return { outcome, block: result }
  }
  const result =
    input.kind === 'transaction'
      ? runTransactionOfBlock(input.block, input.index, state, chain, rules, evm)
      : runCall(input, state, rules, evm)
  const outcome: CapsuleOutcome = {
    kind: 'call',
    status: result.outcome,
    gasUsed: result.gasUsed,
    output: result.output,
    logs: result.logs,
    diff: [],
  }
  if (withRoot) outcome.stateRoot = state.stateRoot()
  return { outcome }
}

/**
 * Every account of the pre-state or now in memory whose existence, nonce, balance, code or
 * read/written slots differ from the pre-state, sorted by address (slots by key).
 */
export function stateDiff(state: WorldState, pre: PreState): DiffEntry[] {
  const before = new Map(pre.accounts.map((a) => [a.address, a.account]))
  const slotsBefore = new Map<bigint, Map<bigint, bigint>>()
  for (const s of pre.storage) {
    let m = slotsBefore.get(s.address)
    if (m === undefined) slotsBefore.set(s.address, (m = new Map()))
    m.set(s.key, s.value)
  }
  const addresses = new Set<bigint>(before.keys())
  for (const a of state.addresses()) addresses.add(a)
  const diff: DiffEntry[] = []
  for (const address of [...addresses].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
    const exists = state.exists(address)
    const account = exists
      ? {
          nonce: state.getNonce(address),
          balance: state.getBalance(address),
          codeHash: state.getCodeHash(address),
        }
      : undefined
    const old = before.get(address)
    const changed =
      (old === undefined) !== (account === undefined) ||
      (old !== undefined &&
        account !== undefined &&
        (old.nonce !== account.nonce ||
          old.balance !== account.balance ||
          !equalBytes(old.codeHash, account.codeHash)))
    const oldSlots = slotsBefore.get(address)
    const keys = new Set<bigint>(oldSlots?.keys() ?? [])
    if (exists) for (const [k] of state.storageEntries(address)) keys.add(k)
    const storage: Array<[bigint, bigint]> = []
    for (const key of [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
      const value = exists ? state.getStorage(address, key) : 0n
      if (value !== (oldSlots?.get(key) ?? 0n)) storage.push([key, value])
    }
    if (changed || storage.length > 0) diff.push({ address, account, storage })
  }
  return diff
}
