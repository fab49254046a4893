import { readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { calcBlobBaseFee, chainFromGethConfig, normalizeAlloc } from '@crucible/block'
import type { BlockEnv } from '@crucible/evm'
import { type ForkRules, rulesAt } from '@crucible/forks'
import { hexToBigInt, hexToBytes } from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'
import { type TraceConfig, traceTransaction } from '@crucible/tracers'
import { decodeTransaction, normalizeTransaction, validateTransaction } from '@crucible/tx'
import type { Suite } from '../suite.js'
import { jsonDifference } from './tracers-compare.js'

/**
 * geth's tracer test data (eth/tracers/internal/tracetest/testdata): one case per file, a
 * geth genesis (its `alloc` is the pre-state, its `config` the rules), the block `context`,
 * the raw signed transaction `input`, the `tracerConfig` and geth's `result`. The tracer is
 * told by the case's folder name (`call_tracer*`, `prestate_tracer*`, `4byte_tracer`,
 * `noop_tracer`, `mux_tracer`), else by the result's shape; the result is compared as JSON
 * (key order free, numbers by value).
 */

interface TracerCase {
  genesis: {
    alloc: Record<string, Record<string, unknown>>
    config: Record<string, unknown>
    mixHash?: string
    excessBlobGas?: string
    blobGasUsed?: string
  }
  context: {
    number: string
    timestamp: string
    difficulty?: string
    gasLimit: string
    miner: string
    baseFeePerGas?: string
  }
  input: string
  tracerConfig?: Record<string, unknown>
  result: unknown
}

const suite: Suite = {
  name: 'tracers',
  defaultPaths: ['geth-tracers'],
  format: 'geth-tracer',
  runFile(ctx) {
    const test = basename(ctx.path, '.json')
    if (!ctx.begin(test, '', 0)) return
    const c = JSON.parse(readFileSync(ctx.path, 'utf8')) as TracerCase
    try {
      const reason = runCase(c, tracerName(basename(dirname(ctx.path)), c))
      ctx.report({ test, fork: '', index: 0, ok: reason === undefined, ...(reason ? { reason } : {}) })
    } catch (error) {
      ctx.report({ test, fork: '', index: 0, ok: false, reason: message(error) })
    }
  },
}
export default suite

/** geth's tracer name for a case: from its folder (geth's own layout), else the result's shape. */
export function tracerName(folder: string, c: Pick<TracerCase, 'result' | 'tracerConfig'>): string {
  const f = folder.toLowerCase()
  if (f.startsWith('call_tracer') || f.startsWith('calltracer')) return 'callTracer'
  if (f.startsWith('prestate_tracer') || f.startsWith('prestatetracer')) return 'prestateTracer'
  if (f.startsWith('4byte')) return '4byteTracer'
  if (f.startsWith('noop')) return 'noopTracer'
  if (f.startsWith('mux')) return 'muxTracer'
  const r = c.result as Record<string, unknown> | null
  if (r !== null && typeof r === 'object') {
    if ('structLogs' in r) return ''
    if (typeof r.type === 'string' && 'from' in r) return 'callTracer'
    if (c.tracerConfig?.diffMode === true || Object.keys(r).every((k) => /^0x[0-9a-f]{40}$/i.test(k)))
      return Object.keys(r).every((k) => /^0x[0-9a-f]{8}-\d+$/.test(k)) && Object.keys(r).length > 0
        ? '4byteTracer'
        : 'prestateTracer'
  }
  throw new Error(`cannot tell the tracer of folder ${folder}`)
}

const big = (v: string | undefined) =>
  v === undefined ? 0n : v.startsWith('0x') ? hexToBigInt(v) : BigInt(v)

export function runCase(c: TracerCase, tracer: string): string | undefined {
  const chain = chainFromGethConfig(gethConfig(c.genesis.config), 'geth-tracers')
  const number = big(c.context.number)
  const timestamp = big(c.context.timestamp)
  // geth's harness sets PREVRANDAO (and so the merge) only when the terminal difficulty is 0.
  const merged = chain.terminalTotalDifficulty === 0n
  const rules: ForkRules = rulesAt(chain, number, timestamp, merged)
  const blob = rules.params.blob
  const block: BlockEnv = {
    number,
    coinbase: hexToBigInt(c.context.miner),
    timestamp,
    gasLimit: big(c.context.gasLimit),
    difficulty: big(c.context.difficulty),
    prevRandao: merged ? big(c.genesis.mixHash) : 0n,
    baseFee: rules.isActive(1559) ? big(c.context.baseFeePerGas) : 0n,
    // geth's harness: the blob base fee of a zero excess, when the genesis has blob fields.
    blobBaseFee:
      rules.isActive(4844) && blob && c.genesis.excessBlobGas !== undefined ? calcBlobBaseFee(0n, blob) : 0n,
    chainId: chain.chainId,
  }
  const state = WorldState.fromAlloc(gethAlloc(c.genesis.alloc))
  const decoded = decodeTransaction(hexToBytes(c.input))
  const { sender } = validateTransaction(decoded, rules, chain.chainId)
  const tx = normalizeTransaction(decoded, { sender })
  const config: TraceConfig = { tracer, tracerConfig: c.tracerConfig ?? {}, timeout: '60s' }
  const { result } = traceTransaction({ host: state, tx, block, rules, config })
  return jsonDifference(result, c.result)
}

/** geth's chain config keys that name forks (its JSON decoding matches keys case-free). */
const CONFIG_KEYS = [
  'chainId',
  'homesteadBlock',
  'daoForkBlock',
  'daoForkSupport',
  'eip150Block',
  'eip155Block',
  'eip158Block',
  'byzantiumBlock',
  'constantinopleBlock',
  'petersburgBlock',
  'istanbulBlock',
  'muirGlacierBlock',
  'berlinBlock',
  'londonBlock',
  'arrowGlacierBlock',
  'grayGlacierBlock',
  'mergeNetsplitBlock',
  'shanghaiTime',
  'cancunTime',
  'pragueTime',
  'osakaTime',
  'terminalTotalDifficulty',
  'depositContractAddress',
  'blobSchedule',
]

/** `config` with its keys spelled as geth's Go field tags spell them (`IstanbulBlock` is `istanbulBlock`). */
function gethConfig(config: Record<string, unknown>): Record<string, unknown> {
  const canonical = new Map(CONFIG_KEYS.map((k) => [k.toLowerCase(), k]))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(config)) out[canonical.get(key.toLowerCase()) ?? key] = value
  return out
}

/** geth's alloc writes balances and nonces in hex or decimal: as hex for {@link WorldState}. */
function gethAlloc(alloc: TracerCase['genesis']['alloc']): Alloc {
  const out: Alloc = {}
  for (const [address, account] of Object.entries(normalizeAlloc(alloc as Alloc))) {
    const a = { ...account } as Record<string, unknown>
    for (const key of ['balance', 'nonce'])
      if (typeof a[key] === 'string') a[key] = `0x${big(a[key] as string).toString(16)}`
      else if (typeof a[key] === 'number') a[key] = `0x${a[key].toString(16)}`
    out[address] = a as Alloc[string]
  }
  return out
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}
