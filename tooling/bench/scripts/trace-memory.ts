/**
 * Memory bound of a streamed struct-log trace (issue 15): runs the snailtracer benchmark of
 * ../shared/bench as a transaction with the opcode logger (stack and storage on, memory off,
 * as debug_traceTransaction's default) streaming to a file, and reports the steps, the file's
 * size, the time and the process's peak RSS. Not a test: run it by hand.
 *
 * Beside the repository, or with $CRUCIBLE_BENCH_DATA:
 *   node --conditions=@crucible/source --import tsx tooling/bench/scripts/trace-memory.ts [OUT] [--memory]
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { getForkRules } from '@crucible/forks'
import { hexToBytes } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { traceTransaction } from '@crucible/tracers'

const args = process.argv.slice(2)
const out = args.find((a) => !a.startsWith('--')) ?? '/tmp/snailtracer.trace.json'
const enableMemory = args.includes('--memory')
const bench = process.env.CRUCIBLE_BENCH_DATA ?? resolve(import.meta.dirname, '../../../../shared/bench')
const read = (p: string) => readFileSync(join(bench, p), 'utf8').trim()

const to = 0xbe7c43a580000000000000000000000000000001n
const sender = 0x5e4d00000000000000000000000000000000000an
const state = WorldState.fromAlloc({
  [`0x${sender.toString(16).padStart(40, '0')}`]: { balance: '0xffffffffffffffffffffffff' },
  [`0x${to.toString(16)}`]: { code: `0x${read('snailtracer/code.hex')}` },
})
const rules = getForkRules('Prague')
const block = {
  number: 1n,
  coinbase: 0n,
  timestamp: 1n,
  gasLimit: 2_000_000_000n,
  difficulty: 0n,
  prevRandao: 0n,
  baseFee: 0n,
  blobBaseFee: 1n,
  chainId: 1n,
}
const tx = {
  type: 0,
  sender,
  to,
  nonce: 0n,
  value: 0n,
  data: hexToBytes(`0x${read('snailtracer/benchmark.calldata.hex')}`),
  gasLimit: 1_000_000_000n,
  gasPrice: 0n,
}

let peak = 0
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss())
}
const fd = openSync(out, 'w')
let chunks = 0
let steps = 0
let last = ''
const started = performance.now()
const { transaction } = traceTransaction({
  host: state,
  tx,
  block,
  rules,
  config: { enableMemory, timeout: '1h' },
  sink: (chunk) => {
    writeSync(fd, chunk)
    // Chunks end between entries: each entry starts with its pc.
    steps += chunk.split('{"pc":').length - 1
    last = chunk
    if (++chunks % 64 === 0) sample()
  },
})
closeSync(fd)
sample()
const seconds = (performance.now() - started) / 1000
console.log(
  JSON.stringify({
    steps,
    bytes: statSync(out).size,
    seconds: Number(seconds.toFixed(1)),
    gasUsed: Number(transaction.gasUsed),
    peakRssMB: Math.round(peak / 2 ** 20),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    enableMemory,
    summary: last.slice(last.lastIndexOf(']') + 1),
  }),
)
