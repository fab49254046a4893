import { calcBlobBaseFee } from '@crucible/block'
import type { TransactionCase } from '@crucible/debug-session'
import type { BlockEnv } from '@crucible/evm'
import {
  type BlobParams,
  FORK_NAMES,
  type ForkName,
  type ForkRules,
  forkFromFixtureName,
  getForkRules,
  withBlobParams,
} from '@crucible/forks'
import { bytesToBigInt, hexToBigInt, hexToBytes } from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'
import { decodeTransaction, normalizeTransaction } from '@crucible/tx'
import { NodeError } from '../errors.js'

/** One JSON-RPC round trip (a batch when `body` is an array). */
async function post(url: string, body: unknown): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch (error) {
    throw new NodeError('RPC', `cannot reach ${url}`, { url }, { cause: error })
  }
  if (!response.ok) throw new NodeError('RPC', `${url} answered HTTP ${response.status}`, { url })
  return response.json()
}

interface RpcAnswer {
  id: number
  result?: unknown
  error?: { code: number; message: string }
}

function resultOf(answer: RpcAnswer, method: string): unknown {
  if (answer.error)
    throw new NodeError('RPC', `${method}: ${answer.error.message}`, { method, code: answer.error.code })
  return answer.result
}

/** A JSON-RPC client with just what the debugger asks. */
export class RpcClient {
  private id = 0
  constructor(readonly url: string) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const answer = (await post(this.url, { jsonrpc: '2.0', id: ++this.id, method, params })) as RpcAnswer
    return resultOf(answer, method) as T
  }

  /** Many calls in one batch request, answers in the order asked. */
  async batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]> {
    if (calls.length === 0) return []
    const first = this.id + 1
    const body = calls.map((c) => ({ jsonrpc: '2.0', id: ++this.id, method: c.method, params: c.params }))
    const answers = (await post(this.url, body)) as RpcAnswer[]
    if (!Array.isArray(answers)) throw new NodeError('RPC', 'a batch request got no batch answer')
    const byId = new Map(answers.map((a) => [a.id, a]))
    return calls.map((c, i) => {
      const a = byId.get(first + i)
      if (a === undefined) throw new NodeError('RPC', `no answer to ${c.method} in the batch`)
      return resultOf(a, c.method) as T
    })
  }
}

interface BlockJson {
  number: string
  hash: string
  parentHash: string
  miner: string
  timestamp: string
  gasLimit: string
  difficulty: string
  mixHash?: string
  baseFeePerGas?: string
  withdrawalsRoot?: string
  blobGasUsed?: string
  excessBlobGas?: string
  requestsHash?: string
}

interface ForkConfigJson {
  activationTime: number
  blobSchedule: { target: number; max: number; baseFeeUpdateFraction: number } | null
  precompiles: Record<string, string>
}

/** Forks whose blocks carry the same header fields, oldest first (a header tells the family). */
const FAMILIES: readonly (readonly ForkName[])[] = [
  FORK_NAMES.slice(0, FORK_NAMES.indexOf('London')),
  ['London', 'ArrowGlacier', 'GrayGlacier'],
  ['Paris'],
  ['Shanghai'],
  ['Cancun'],
  FORK_NAMES.slice(FORK_NAMES.indexOf('Prague')),
]

function blobParamsOf(config: ForkConfigJson): BlobParams | undefined {
  const b = config.blobSchedule
  return b === null
    ? undefined
    : { target: b.target, max: b.max, baseFeeUpdateFraction: BigInt(b.baseFeeUpdateFraction) }
}

/** The fork of the node's current config: its precompiles, then its blob schedule, decide. */
function currentFork(config: ForkConfigJson, family: readonly ForkName[]): ForkName | undefined {
  const want = new Set(Object.values(config.precompiles).map((a) => hexToBigInt(a)))
  const blob = blobParamsOf(config)
  const matches = family.filter((name) => {
    const have = getForkRules(name).params.precompiles
    return have.length === want.size && have.every((a) => want.has(BigInt(a)))
  })
  const same = matches.filter((name) => {
    const b = getForkRules(name).params.blob
    return (
      blob !== undefined &&
      b?.target === blob.target &&
      b.max === blob.max &&
      b.baseFeeUpdateFraction === blob.baseFeeUpdateFraction
    )
  })
  return same[same.length - 1] ?? matches[matches.length - 1]
}

/**
 * The forks a block may have run under, most likely first. JSON-RPC has no method that names
 * a block's fork, so: the header fields give the family (requestsHash: Prague on, blob gas:
 * Cancun, withdrawals: Shanghai, zero difficulty with a base fee: Paris, a base fee: London);
 * within it, the node's current fork (eth_config) when the block is at or after its
 * activation, else the family's forks before it, oldest first (before London: newest first).
 * The caller re-executes with each until gas and status equal the receipt's.
 */
export function forkCandidates(block: BlockJson, config: ForkConfigJson | undefined): ForkRules[] {
  const has = (v: string | undefined) => v !== undefined && v !== null
  const base: ForkName = has(block.requestsHash)
    ? 'Prague'
    : has(block.blobGasUsed)
      ? 'Cancun'
      : has(block.withdrawalsRoot)
        ? 'Shanghai'
        : has(block.baseFeePerGas) && hexToBigInt(block.difficulty) === 0n
          ? 'Paris'
          : has(block.baseFeePerGas)
            ? 'London'
            : 'Berlin'
  const family = FAMILIES.find((f) => f.includes(base))!
  const current = config ? currentFork(config, family) : undefined
  const at = current === undefined ? -1 : family.indexOf(current)
  const names =
    current !== undefined && BigInt(config!.activationTime) <= hexToBigInt(block.timestamp)
      ? [current, ...family.slice(0, at).reverse()]
      : family === FAMILIES[0]
        ? [...family].reverse()
        : at >= 0
          ? family.slice(0, at)
          : [...family]
  return names.map((name) => {
    const rules = getForkRules(name)
    const blob = name === current && config ? blobParamsOf(config) : undefined
    return blob ? withBlobParams(rules, blob) : rules
  })
}

/** What a case fetched by hash is checked against after the first pass. */
export interface RpcExpectation {
  gasUsed: bigint
  status: number
}

/** A transaction fetched by hash: the case under each fork it may have run under. */
export interface RpcTransaction {
  /** Most likely first (one when `--fork` is given). */
  candidates: ForkRules[]
  build(rules: ForkRules): TransactionCase
  /** From the receipt. */
  expected: RpcExpectation
}

/**
 * A transaction of a node, fetched through standard JSON-RPC: the signed transaction
 * (debug_getRawTransaction; its sender from eth_getTransactionByHash), its block's header
 * fields, the 256 block hashes BLOCKHASH may read (one batch), and the pre-state from
 * `debug_traceTransaction` with prestateTracer — every account and slot the transaction
 * touches, as it was right before it (after the block's earlier transactions). One call
 * learns exactly the state that matters; lazily fetching accounts with eth_getProof while
 * the interpreter runs is impossible, since the interpreter is synchronous.
 */
export async function rpcCase(url: string, hash: string, fork?: string): Promise<RpcTransaction> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new NodeError('USAGE', `not a transaction hash: ${hash}`)
  const rpc = new RpcClient(url)
  const [tx, receipt, raw, chainIdHex] = await rpc.batch<unknown>([
    { method: 'eth_getTransactionByHash', params: [hash] },
    { method: 'eth_getTransactionReceipt', params: [hash] },
    { method: 'debug_getRawTransaction', params: [hash] },
    { method: 'eth_chainId', params: [] },
  ])
  const txJson = tx as { blockHash: string | null; from: string; transactionIndex: string } | null
  if (txJson === null || raw === '0x') throw new NodeError('NOT_FOUND', `no transaction ${hash} on ${url}`)
  if (txJson.blockHash === null) throw new NodeError('NOT_FOUND', `transaction ${hash} is not in a block yet`)
  const receiptJson = receipt as { gasUsed: string; status: string; blobGasPrice?: string }
  const block = await rpc.call<BlockJson>('eth_getBlockByHash', [txJson.blockHash, false])
  let config: ForkConfigJson | undefined
  if (fork === undefined)
    config = await rpc
      .call<{ current: ForkConfigJson }>('eth_config', [])
      .then((c) => c.current)
      .catch(() => undefined)
  let candidates: ForkRules[]
  try {
    candidates =
      fork === undefined ? forkCandidates(block, config) : [getForkRules(forkFromFixtureName(fork))]
  } catch {
    throw new NodeError('USAGE', `unknown fork ${fork}`)
  }
  const prestate = await rpc.call<Record<string, PrestateAccount>>('debug_traceTransaction', [
    hash,
    { tracer: 'prestateTracer' },
  ])
  const number = hexToBigInt(block.number)
  const first = number > 256n ? number - 256n : 0n
  const numbers: bigint[] = []
  for (let n = first; n < number; n++) numbers.push(n)
  const ancestors = await rpc.batch<{ hash: string } | null>(
    numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [`0x${n.toString(16)}`, false] })),
  )
  const hashes = new Map<bigint, bigint>()
  ancestors.forEach((b, i) => {
    if (b) hashes.set(numbers[i]!, hexToBigInt(b.hash))
  })
  const alloc = allocOf(prestate)
  const chainId = hexToBigInt(chainIdHex as string)
  const input = normalizeTransaction(decodeTransaction(hexToBytes(raw as string)), {
    sender: hexToBigInt(txJson.from),
  })
  const label = `tx ${hash.slice(0, 10)} block ${number} #${hexToBigInt(txJson.transactionIndex)}`
  const build = (rules: ForkRules): TransactionCase => {
    const blob = rules.params.blob
    const env: BlockEnv = {
      number,
      coinbase: hexToBigInt(block.miner),
      timestamp: hexToBigInt(block.timestamp),
      gasLimit: hexToBigInt(block.gasLimit),
      difficulty: hexToBigInt(block.difficulty),
      prevRandao: block.mixHash ? bytesToBigInt(hexToBytes(block.mixHash)) : 0n,
      baseFee: block.baseFeePerGas ? hexToBigInt(block.baseFeePerGas) : 0n,
      blobBaseFee: receiptJson.blobGasPrice
        ? hexToBigInt(receiptJson.blobGasPrice)
        : blob && block.excessBlobGas
          ? calcBlobBaseFee(hexToBigInt(block.excessBlobGas), blob)
          : 0n,
      chainId,
    }
    // A fresh state each time: a session takes its case's state over.
    const state = WorldState.fromAlloc(alloc, { blockHash: (n) => hashes.get(n) ?? 0n })
    return { state, tx: input, block: env, rules, fork: rules.name, label }
  }
  return {
    candidates,
    build,
    expected: { gasUsed: hexToBigInt(receiptJson.gasUsed), status: Number(hexToBigInt(receiptJson.status)) },
  }
}

interface PrestateAccount {
  balance?: string
  nonce?: number
  code?: string
  storage?: Record<string, string>
}

/** prestateTracer's accounts as an allocation (nonces as hex). */
function allocOf(prestate: Record<string, PrestateAccount>): Alloc {
  const alloc: Alloc = {}
  for (const [address, a] of Object.entries(prestate)) {
    const entry: Alloc[string] = {}
    if (a.balance !== undefined) entry.balance = a.balance
    if (a.nonce !== undefined) entry.nonce = `0x${a.nonce.toString(16)}`
    if (a.code !== undefined) entry.code = a.code
    if (a.storage !== undefined) entry.storage = a.storage
    alloc[address] = entry
  }
  return alloc
}
