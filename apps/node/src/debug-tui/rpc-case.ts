import { calcBlobBaseFee } from '@crucible/block'
import type { TransactionCase } from '@crucible/debug-session'
import type { BlockEnv } from '@crucible/evm'
import {
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

/**
 * The fork a block ran under. JSON-RPC has no method that names it, so: the newest fork whose
 * header fields the block has (requestsHash: Prague, blob gas: Cancun, withdrawals: Shanghai,
 * zero difficulty: Paris, base fee: London); from Prague on, when the block is at or after the
 * activation of the node's current fork (eth_config), the fork with that config's precompiles
 * and blob schedule. `--fork` overrides all this.
 */
export function inferFork(block: BlockJson, config: ForkConfigJson | undefined): ForkRules {
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
  let rules = getForkRules(base)
  if (base === 'Prague' && config && BigInt(config.activationTime) <= hexToBigInt(block.timestamp)) {
    const want = new Set(Object.values(config.precompiles).map((a) => hexToBigInt(a)))
    const from = FORK_NAMES.indexOf('Prague')
    const matches = FORK_NAMES.slice(from)
      .map((name) => getForkRules(name))
      .filter((r) => {
        const have = r.params.precompiles
        return have.length === want.size && have.every((a) => want.has(BigInt(a)))
      })
    const blob = config.blobSchedule
    const same = matches.filter(
      (r) =>
        blob !== null &&
        r.params.blob?.target === blob.target &&
        r.params.blob?.max === blob.max &&
        r.params.blob?.baseFeeUpdateFraction === BigInt(blob.baseFeeUpdateFraction),
    )
    const chosen = same[same.length - 1] ?? matches[matches.length - 1]
    if (chosen) rules = chosen
    if (blob !== null)
      rules = withBlobParams(rules, {
        target: blob.target,
        max: blob.max,
        baseFeeUpdateFraction: BigInt(blob.baseFeeUpdateFraction),
      })
  }
  return rules
}

/** What a case fetched by hash is checked against after the first pass. */
export interface RpcExpectation {
  gasUsed: bigint
  status: number
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
export async function rpcCase(
  url: string,
  hash: string,
  fork?: string,
): Promise<{ case: TransactionCase; expected: RpcExpectation }> {
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
  let rules: ForkRules
  try {
    rules = fork === undefined ? inferFork(block, config) : getForkRules(forkFromFixtureName(fork))
  } catch {
    throw new NodeError('USAGE', `unknown fork ${fork}`)
  }
  const prestate = await rpc.call<
    Record<string, { balance?: string; nonce?: number; code?: string; storage?: Record<string, string> }>
  >('debug_traceTransaction', [hash, { tracer: 'prestateTracer' }])
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
  const alloc: Alloc = {}
  for (const [address, a] of Object.entries(prestate)) {
    const entry: Alloc[string] = {}
    if (a.balance !== undefined) entry.balance = a.balance
    if (a.nonce !== undefined) entry.nonce = `0x${a.nonce.toString(16)}`
    if (a.code !== undefined) entry.code = a.code
    if (a.storage !== undefined) entry.storage = a.storage
    alloc[address] = entry
  }
  const state = WorldState.fromAlloc(alloc, { blockHash: (n) => hashes.get(n) ?? 0n })
  const chainId = hexToBigInt(chainIdHex as string)
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
  const input = normalizeTransaction(decodeTransaction(hexToBytes(raw as string)), {
    sender: hexToBigInt(txJson.from),
  })
  return {
    case: {
      state,
      tx: input,
      block: env,
      rules,
      fork: rules.name,
      label: `tx ${hash.slice(0, 10)} block ${number} #${hexToBigInt(txJson.transactionIndex)}`,
    },
    expected: { gasUsed: hexToBigInt(receiptJson.gasUsed), status: Number(hexToBigInt(receiptJson.status)) },
  }
}
