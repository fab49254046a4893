import { calcBlobBaseFee } from '@crucible/block'
import type { BlockEnv, TransactionInput } from '@crucible/evm'
import {
  type BlobParams,
  type ForkRules,
  forkFromFixtureName,
  getForkRules,
  withBlobParams,
} from '@crucible/forks'
import { bytesToBigInt, hexToBigInt, hexToBytes, keccak256, utf8ToBytes } from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'
import {
  decodeTransaction,
  normalizeTransaction,
  privateKeyToAddress,
  type Transaction,
  validateTransaction,
} from '@crucible/tx'
import { DebugSessionError } from './errors.js'

/**
 * What a session debugs: one transaction, its block, its fork, and the state before it. Every
 * input (raw bytecode, a state test case, later an execution capsule or a transaction fetched
 * from a node by hash) becomes one of these; the session needs nothing else.
 */
export interface TransactionCase {
  /** The pre-state, between transactions (the session takes it over and restores it at will). */
  readonly state: WorldState
  readonly tx: TransactionInput
  readonly block: BlockEnv
  readonly rules: ForkRules
  /** The fork's name as the input gave it. */
  readonly fork: string
  /** A name for the case (shown by clients). */
  readonly label: string
}

/** Raw bytecode run as the code of an account called by a transaction. */
export interface BytecodeInput {
  /** Runtime code (hex or bytes), placed at `address`. */
  code: string | Uint8Array
  calldata?: string | Uint8Array
  /** More accounts (a state test's `pre` shape); `code` and the sender's balance are added. */
  prestate?: Alloc
  /** Default `Prague`. */
  fork?: string
  /** Default 0xc0de…c0de. */
  address?: bigint
  /** Default 0x5e4d…0001, funded with 10^24 wei unless the prestate says otherwise. */
  sender?: bigint
  value?: bigint
  /** Default 30,000,000. */
  gasLimit?: bigint
  /** Run `code` as initcode of a creation instead (no `address`). */
  create?: boolean
}

const DEFAULT_ADDRESS = 0xc0dec0dec0dec0dec0dec0dec0dec0dec0dec0den
const DEFAULT_SENDER = 0x5e4d000000000000000000000000000000000001n
const hexAddress = (a: bigint) => `0x${a.toString(16).padStart(40, '0')}`

function bytesOf(v: string | Uint8Array | undefined, what: string): Uint8Array {
  if (v === undefined) return new Uint8Array(0)
  if (v instanceof Uint8Array) return v
  const hex = v.trim()
  try {
    return hexToBytes(hex.startsWith('0x') ? hex : `0x${hex}`)
  } catch (error) {
    throw new DebugSessionError('BAD_INPUT', `${what} is not hex`, { what, cause: String(error) })
  }
}

function rulesOf(fork: string): ForkRules {
  try {
    return getForkRules(forkFromFixtureName(fork))
  } catch {
    throw new DebugSessionError('BAD_INPUT', 'Unknown fork', { fork })
  }
}

/** A case from raw bytecode and calldata (and an optional pre-state). */
export function bytecodeCase(input: BytecodeInput): TransactionCase {
  const fork = input.fork ?? 'Prague'
  const rules = rulesOf(fork)
  const code = bytesOf(input.code, 'code')
  const data = bytesOf(input.calldata, 'calldata')
  const sender = input.sender ?? DEFAULT_SENDER
  const address = input.address ?? DEFAULT_ADDRESS
  const alloc: Alloc = { ...(input.prestate ?? {}) }
  const senderKey = Object.keys(alloc).find((k) => safeBig(k) === sender) ?? hexAddress(sender)
  alloc[senderKey] = { balance: '0xd3c21bcecceda1000000', ...alloc[senderKey] }
  if (!input.create) {
    const key = Object.keys(alloc).find((k) => safeBig(k) === address) ?? hexAddress(address)
    alloc[key] = { ...alloc[key], code: bytesToHexString(code) }
  }
  let state: WorldState
  try {
    state = WorldState.fromAlloc(alloc)
  } catch (error) {
    throw new DebugSessionError('BAD_INPUT', 'The pre-state is not a valid allocation', {
      cause: String(error),
    })
  }
  const gasLimit = input.gasLimit ?? 30_000_000n
  const block: BlockEnv = {
    number: 1n,
    coinbase: 0xc0ffee0000000000000000000000000000000000n,
    timestamp: 1_700_000_000n,
    gasLimit: gasLimit > 30_000_000n ? gasLimit : 30_000_000n,
    difficulty: 0n,
    prevRandao: 0n,
    baseFee: rules.isActive(1559) ? 7n : 0n,
    blobBaseFee: rules.isActive(4844) ? 1n : 0n,
    chainId: 1n,
  }
  const tx: TransactionInput = {
    type: rules.isActive(1559) ? 2 : 0,
    sender,
    to: input.create ? undefined : address,
    nonce: state.getNonce(sender),
    value: input.value ?? 0n,
    data: input.create ? code : data,
    gasLimit,
    ...(rules.isActive(1559) ? { maxFeePerGas: 7n, maxPriorityFeePerGas: 0n } : { gasPrice: 7n }),
  }
  return { state, tx, block, rules, fork, label: input.create ? 'bytecode (create)' : 'bytecode' }
}

function safeBig(hex: string): bigint | undefined {
  try {
    return hexToBigInt(hex)
  } catch {
    return undefined
  }
}

function bytesToHexString(bytes: Uint8Array): string {
  let out = '0x'
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

// ---- State tests ---------------------------------------------------------------------------
// The shape of GeneralStateTests / EEST state_test fixtures, as far as a case needs it.

interface StateTestEnv {
  currentCoinbase: string
  currentGasLimit: string
  currentNumber: string
  currentTimestamp: string
  currentDifficulty?: string
  currentRandom?: string
  currentBaseFee?: string
  currentExcessBlobGas?: string
}

interface StateTestTransaction {
  nonce: string
  gasPrice?: string
  gasLimit: string[]
  to: string
  value: string[]
  data: string[]
  sender?: string
  secretKey?: string
}

interface StateTestPost {
  indexes: { data: number; gas: number; value: number }
  txbytes?: string
}

interface StateTest {
  env: StateTestEnv
  pre: Alloc
  transaction: StateTestTransaction
  post: Record<string, StateTestPost[]>
  config?: {
    chainid?: string
    blobSchedule?: Record<string, { target: string; max: string; baseFeeUpdateFraction: string }>
  }
}

/** Which case of a state test file: the test (default: the only one), the fork, the post index. */
export interface StateTestSelector {
  name?: string
  fork: string
  /** Default 0. */
  index?: number
}

/** The (test, fork, index) cases of a parsed state test file, for pickers. */
export function stateTestCases(file: unknown): { name: string; fork: string; index: number }[] {
  const out: { name: string; fork: string; index: number }[] = []
  for (const [name, test] of Object.entries(asTests(file)))
    for (const [fork, posts] of Object.entries(test.post ?? {}))
      posts.forEach((_, index) => {
        out.push({ name, fork, index })
      })
  return out
}

function asTests(file: unknown): Record<string, StateTest> {
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new DebugSessionError('BAD_INPUT', 'A state test file is a JSON object of tests')
  return file as Record<string, StateTest>
}

/**
 * One case of a parsed state test file, as the conformance runner builds it: the signed
 * `txbytes` when the fixture has them, else the JSON fields with the fixture's sender; the
 * block hash of block n is keccak256 of n in decimal (testeth's convention).
 */
export function stateTestCase(file: unknown, select: StateTestSelector): TransactionCase {
  const tests = asTests(file)
  const names = Object.keys(tests)
  const name = select.name ?? (names.length === 1 ? names[0]! : undefined)
  if (name === undefined || tests[name] === undefined)
    throw new DebugSessionError('BAD_INPUT', 'No such test in the file (name one of them)', {
      name: select.name,
      tests: names.slice(0, 20),
    })
  const test = tests[name]!
  const posts = test.post?.[select.fork]
  if (posts === undefined)
    throw new DebugSessionError('BAD_INPUT', 'The test has no case for this fork', {
      fork: select.fork,
      forks: Object.keys(test.post ?? {}),
    })
  const index = select.index ?? 0
  const post = posts[index]
  if (post === undefined)
    throw new DebugSessionError('BAD_INPUT', 'No such post index', { index, cases: posts.length })
  try {
    const rules = caseRules(test, select.fork)
    const chainId = test.config?.chainid ? hexToBigInt(test.config.chainid) : 1n
    const block = blockEnv(test.env, rules, chainId)
    const state = WorldState.fromAlloc(test.pre, { blockHash: stateTestBlockHash(block.number) })
    const tx = transactionInput(test.transaction, post, rules, chainId)
    return { state, tx, block, rules, fork: select.fork, label: `${name} ${select.fork} #${index}` }
  } catch (error) {
    if (error instanceof DebugSessionError) throw error
    throw new DebugSessionError('BAD_INPUT', 'The state test case cannot be built', {
      name,
      fork: select.fork,
      index,
      cause: error instanceof Error ? error.message.split('\n')[0] : String(error),
    })
  }
}

function stateTestBlockHash(current: bigint): (n: bigint) => bigint {
  return (n) =>
    n < current && n + 256n >= current ? bytesToBigInt(keccak256(utf8ToBytes(n.toString()))) : 0n
}

function caseRules(test: StateTest, forkName: string): ForkRules {
  const fork = forkFromFixtureName(forkName)
  const rules = getForkRules(fork)
  const entry = test.config?.blobSchedule?.[forkName] ?? test.config?.blobSchedule?.[fork]
  if (entry === undefined) return rules
  const blob: BlobParams = {
    target: Number(hexToBigInt(entry.target)),
    max: Number(hexToBigInt(entry.max)),
    baseFeeUpdateFraction: hexToBigInt(entry.baseFeeUpdateFraction),
  }
  return withBlobParams(rules, blob)
}

function blockEnv(env: StateTestEnv, rules: ForkRules, chainId: bigint): BlockEnv {
  const blob = rules.params.blob
  const excess = env.currentExcessBlobGas ? hexToBigInt(env.currentExcessBlobGas) : 0n
  return {
    number: hexToBigInt(env.currentNumber),
    coinbase: hexToBigInt(env.currentCoinbase),
    timestamp: hexToBigInt(env.currentTimestamp),
    gasLimit: hexToBigInt(env.currentGasLimit),
    difficulty: env.currentDifficulty ? hexToBigInt(env.currentDifficulty) : 0n,
    prevRandao: env.currentRandom ? hexToBigInt(env.currentRandom) : 0n,
    baseFee: rules.isActive(1559) ? (env.currentBaseFee ? hexToBigInt(env.currentBaseFee) : 10n) : 0n,
    blobBaseFee: rules.isActive(4844) && blob ? calcBlobBaseFee(excess, blob) : 0n,
    chainId,
  }
}

function transactionInput(
  json: StateTestTransaction,
  post: StateTestPost,
  rules: ForkRules,
  chainId: bigint,
): TransactionInput {
  if (post.txbytes !== undefined) {
    const tx = decodeTransaction(hexToBytes(post.txbytes))
    const { sender } = validateTransaction(tx, rules, chainId)
    return normalizeTransaction(tx, { sender })
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
  const sender = json.sender ? hexToBigInt(json.sender) : privateKeyToAddress(hexToBytes(json.secretKey!))
  validateTransaction(tx, rules, chainId, sender)
  return normalizeTransaction(tx, { sender })
}
