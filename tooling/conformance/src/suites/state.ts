import { calcBlobBaseFee } from '@crucible/block'
import {
  type BlockEnv,
  processTransaction,
  type TransactionInput,
  type TransactionResult,
} from '@crucible/evm'
import {
  type BlobParams,
  type ForkRules,
  forkFromFixtureName,
  getForkRules,
  withBlobParams,
} from '@crucible/forks'
import {
  bytesToBigInt,
  bytesToHex,
  CrucibleError,
  hexToBigInt,
  hexToBytes,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { type Alloc, logsHash, type StateSnapshot, WorldState } from '@crucible/state'
import {
  decodeTransaction,
  normalizeTransaction,
  privateKeyToAddress,
  type Transaction,
  TransactionError,
  type TransactionGas,
  validateTransaction,
  validateTransactionRules,
} from '@crucible/tx'
import type { FileContext, Suite } from '../suite.js'
import { diffState, openTrace, type TraceSink } from './state-support.js'

/**
 * GeneralStateTests (ethereum-tests, legacytests) and EEST `state_test` fixtures. Every file
 * maps test names to { env, pre, transaction, post }; `post` maps a fork to a list of cases,
 * each picking data/gas/value by `indexes` and giving the expected state root `hash`, the
 * `logs` hash, usually the signed `txbytes`, and for a transaction that must be refused an
 * `expectException`. One case per (test, fork, post index).
 */

interface Env {
  currentCoinbase: string
  currentGasLimit: string
  currentNumber: string
  currentTimestamp: string
  currentDifficulty?: string
  currentRandom?: string
  currentBaseFee?: string
  currentExcessBlobGas?: string
}

interface JsonAccessEntry {
  address: string
  storageKeys: string[]
}

interface JsonTransaction {
  nonce: string
  gasPrice?: string
  maxFeePerGas?: string
  maxPriorityFeePerGas?: string
  maxFeePerBlobGas?: string
  blobVersionedHashes?: string[]
  gasLimit: string[]
  to: string
  value: string[]
  data: string[]
  accessLists?: Array<JsonAccessEntry[] | null>
  sender?: string
  secretKey?: string
}

interface PostEntry {
  hash: string
  logs: string
  txbytes?: string
  indexes: { data: number; gas: number; value: number }
  expectException?: string
  state?: Alloc
}

interface StateTest {
  env: Env
  pre: Alloc
  transaction: JsonTransaction
  post: Record<string, PostEntry[]>
  config?: {
    chainid?: string
    blobSchedule?: Record<string, { target: string; max: string; baseFeeUpdateFraction: string }>
  }
}

const suite: Suite = {
  name: 'state',
  defaultPaths: [
    'ethereum-tests/GeneralStateTests',
    'legacytests/legacytests.tar.gz',
    'eest-v5.4.0/state_tests.tar.gz',
  ],
  format: 'state',
  runFile(ctx) {
    const trace = ctx.options.trace ? openTrace(ctx.options.trace) : undefined
    for (const [name, value] of Object.entries(ctx.tests as Record<string, StateTest>)) {
      const pre = new PreState(value.pre)
      for (const [fork, cases] of Object.entries(value.post)) {
        cases.forEach((post, index) => {
          if (!ctx.begin(name, fork, index)) return
          const result = runCase(value, name, fork, post, pre, trace, ctx)
          ctx.report({ test: name, fork, index, ...result })
        })
      }
    }
  },
}
export default suite

/** The pre-state, loaded once per test and restored for each case from a snapshot. */
class PreState {
  private state: WorldState | undefined
  private snap: StateSnapshot | undefined

  constructor(private readonly alloc: Alloc) {}

  fresh(blockHash: (n: bigint) => bigint): WorldState {
    if (this.state === undefined || this.snap === undefined) {
      this.state = WorldState.fromAlloc(this.alloc, { blockHash })
      // Hashing the pre-state once puts the account trie in the snapshot: every case then
      // rehashes only what its transaction changed.
      this.state.stateRoot()
      this.snap = this.state.snapshot()
      return this.state
    }
    this.state.restore(this.snap)
    return this.state
  }
}

/**
 * BLOCKHASH in state tests: the hash of block n is keccak256 of n written in decimal (the
 * convention of testeth, retesteth and geth's state-test runner), within the last 256 blocks.
 */
function stateTestBlockHash(current: bigint): (n: bigint) => bigint {
  return (n) =>
    n < current && n + 256n >= current ? bytesToBigInt(keccak256(utf8ToBytes(n.toString()))) : 0n
}

interface Outcome {
  ok: boolean
  reason?: string
}

function runCase(
  test: StateTest,
  name: string,
  forkName: string,
  post: PostEntry,
  pre: PreState,
  trace: TraceSink | undefined,
  ctx: FileContext,
): Outcome {
  let rules: ForkRules
  try {
    rules = caseRules(test, forkName)
  } catch (error) {
    return { ok: false, reason: `fork ${forkName}: ${message(error)}` }
  }
  const chainId = test.config?.chainid ? hexToBigInt(test.config.chainid) : 1n
  const block = blockEnv(test.env, rules, chainId)
  const state = pre.fresh(stateTestBlockHash(block.number))

  // Build and check the transaction: any typed refusal from decoding, static validation or
  // the EVM's state checks is a rejection, which must leave the state as it was.
  let rejection: string | undefined
  let logs = ''
  let result: TransactionResult | undefined
  const tracer = trace?.begin(`${ctx.file}:${name}`, forkName, post.indexes)
  try {
    const { input, validated } = transactionInput(test.transaction, post, rules, chainId)
    result = processTransaction(state, input, block, rules, {
      validated,
      ...(tracer ? { inspector: tracer.inspector } : {}),
    })
    logs = bytesToHex(logsHash(result.logs))
  } catch (error) {
    if (!(error instanceof TransactionError)) {
      if (!(error instanceof CrucibleError && error.code.startsWith('INVALID_RLP'))) throw error
    }
    rejection = describeRejection(error)
    // The classic fills (testeth/retesteth, through geth's state-test runner of the time) add
    // a zero mining reward to the coinbase after the transaction, even a refused one: before
    // Spurious Dragon that creates an empty coinbase account, after it deletes an empty one.
    // EEST fills (execution-specs t8n; the format with `config`) leave the state of a refused
    // transaction untouched.
    if (test.config === undefined) {
      state.beginTransaction()
      state.touch(block.coinbase)
      state.endTransaction([], rules.isActive(161))
    }
  }
  const root = bytesToHex(state.stateRoot())
  const outcome = judge(post, root, logs, rejection, state)
  tracer?.end(root, outcome.ok, result, rejection)
  return outcome
}

/** Compares a case's result with its post entry. */
function judge(
  post: PostEntry,
  root: string,
  logs: string,
  rejection: string | undefined,
  state: WorldState,
): Outcome {
  if (post.expectException !== undefined) {
    if (rejection === undefined)
      return { ok: false, reason: `expected rejection (${post.expectException}), transaction was executed` }
    if (root !== post.hash)
      return { ok: false, reason: `rejected (${rejection}) but root ${root} != ${post.hash}` }
    return { ok: true }
  }
  if (rejection !== undefined) {
    // The fixtures without txbytes (legacy Constantinople fill) predate expectException: a
    // refused transaction there shows only as an unchanged state.
    if (post.txbytes === undefined && root === post.hash) return { ok: true }
    return { ok: false, reason: `unexpected rejection: ${rejection}` }
  }
  if (root !== post.hash) {
    const diff = post.state ? diffState(state, post.state) : undefined
    return { ok: false, reason: `state root ${root}, expected ${post.hash}${diff ? `; ${diff}` : ''}` }
  }
  if (logs !== post.logs) return { ok: false, reason: `logs hash ${logs}, expected ${post.logs}` }
  return { ok: true }
}

/** The fork's rules, with the fixture's blob schedule for that fork when it gives one. */
function caseRules(test: StateTest, forkName: string): ForkRules {
  const fork = forkFromFixtureName(forkName)
  const rules = getForkRules(fork)
  const schedule = test.config?.blobSchedule
  const entry = schedule?.[forkName] ?? schedule?.[fork]
  if (entry === undefined) return rules
  const blob: BlobParams = {
    target: Number(hexToBigInt(entry.target)),
    max: Number(hexToBigInt(entry.max)),
    baseFeeUpdateFraction: hexToBigInt(entry.baseFeeUpdateFraction),
  }
  return withBlobParams(rules, blob)
}

function blockEnv(env: Env, rules: ForkRules, chainId: bigint): BlockEnv {
  const blob = rules.params.blob
  const excess = env.currentExcessBlobGas ? hexToBigInt(env.currentExcessBlobGas) : 0n
  return {
    number: hexToBigInt(env.currentNumber),
    coinbase: hexToBigInt(env.currentCoinbase),
    timestamp: hexToBigInt(env.currentTimestamp),
    gasLimit: hexToBigInt(env.currentGasLimit),
    difficulty: env.currentDifficulty ? hexToBigInt(env.currentDifficulty) : 0n,
    prevRandao: env.currentRandom ? hexToBigInt(env.currentRandom) : 0n,
    // geth's state-test runner (and retesteth) take 10 when a London+ env gives no base fee.
    baseFee: rules.isActive(1559) ? (env.currentBaseFee ? hexToBigInt(env.currentBaseFee) : 10n) : 0n,
    blobBaseFee: rules.isActive(4844) && blob ? calcBlobBaseFee(excess, blob) : 0n,
    chainId,
  }
}

/**
 * The transaction of one case. With `txbytes` (every format but the legacy Constantinople
 * fill) the signed bytes are decoded and validated, so the exact type, signature and
 * authorizations are those the fixture signed. Without, the JSON fields are assembled into a
 * legacy transaction whose sender is the fixture's `sender` (or the key's address).
 */
function transactionInput(
  json: JsonTransaction,
  post: PostEntry,
  rules: ForkRules,
  chainId: bigint,
): { input: TransactionInput; validated: TransactionGas } {
  if (post.txbytes !== undefined) {
    const tx = decodeTransaction(hexToBytes(post.txbytes))
    const { sender, ...validated } = validateTransaction(tx, rules, chainId)
    return { input: normalizeTransaction(tx, { sender }), validated }
  }
  const { data, gas, value } = post.indexes
  const tx = {
    type: 0,
    nonce: hexToBigInt(json.nonce),
    gasPrice: hexToBigInt(json.gasPrice ?? '0x0'),
    gasLimit: hexToBigInt(json.gasLimit[gas]!),
    to: json.to === '' ? undefined : hexToBigInt(json.to),
    value: hexToBigInt(json.value[value]!),
    data: hexToBytes(json.data[data]!),
    chainId: undefined,
    v: 27n,
    r: 1n,
    s: 1n,
  } as Transaction
  const validated = validateTransactionRules(tx, rules)
  const sender = json.sender ? hexToBigInt(json.sender) : privateKeyToAddress(hexToBytes(json.secretKey!))
  return { input: normalizeTransaction(tx, { sender }), validated }
}

function describeRejection(error: unknown): string {
  if (error instanceof CrucibleError) return `${error.code}: ${error.shortMessage}`
  return message(error)
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}
