/**
 * Figures of the debugger's engine on a long transaction (issue 18): the snailtracer benchmark
 * of ../shared/bench run as a transaction under @crucible/debug-session. Reports the plain
 * execution time, the time to the first view (first pass + view at step 0) and its ratio, the
 * RSS growth held by the session, navigation latency (p50/p95/max over random commands from
 * random positions) and reverse-continue to an SSTORE breakpoint. Not a test: run it by hand.
 *
 *   node --expose-gc --conditions=@crucible/source --import tsx tooling/bench/scripts/debug-session.ts [--samples N] [--interval K]
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { bytecodeCase, DebugSession, type Request, type StepView } from '@crucible/debug-session'
import { processTransaction } from '@crucible/evm'
import { seededRandom } from '@crucible/test-support'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const samples = option('--samples', 300)
const interval = option('--interval', 4096)
const bench = process.env.CRUCIBLE_BENCH_DATA ?? resolve(import.meta.dirname, '../../../../shared/bench')
const read = (p: string) => readFileSync(join(bench, p), 'utf8').trim()
const gc = (globalThis as { gc?: () => void }).gc
const rss = () => {
  gc?.()
  return process.memoryUsage().rss / 2 ** 20
}

const snail = () =>
  bytecodeCase({
    code: read('snailtracer/code.hex'),
    calldata: read('snailtracer/benchmark.calldata.hex'),
    address: 0xbe7c43a580000000000000000000000000000001n,
    gasLimit: 1_000_000_000n,
    fork: 'Prague',
  })

// Plain execution, best of three (warms the interpreter too); the first run is the cold one.
let plainMs = Number.POSITIVE_INFINITY
let coldPlainMs = 0
let gasUsed = 0n
for (let i = 0; i < 3; i++) {
  const c = snail()
  const t0 = performance.now()
  const r = processTransaction(c.state, c.tx, c.block, c.rules)
  const ms = performance.now() - t0
  if (i === 0) coldPlainMs = ms
  plainMs = Math.min(plainMs, ms)
  gasUsed = r.gasUsed
}

const rssBefore = rss()
const input = snail()
const t0 = performance.now()
const session = new DebugSession(input, { checkpointInterval: interval })
const first = session.handle({ cmd: 'view' })
const firstViewMs = performance.now() - t0
if (!first.ok) throw new Error(first.error.message)
const info = session.info()
const rssAfter = rss()
// The same again with the first pass's code warm: the session above is its first run (as in
// a CLI), the plain figure a warm best of three, so that ratio mixes JIT warm-up into it.
let warmFirstViewMs: number
{
  const again = snail()
  const t1 = performance.now()
  new DebugSession(again, { checkpointInterval: interval }).handle({ cmd: 'view' })
  warmFirstViewMs = performance.now() - t1
}

const r = seededRandom(18)
const total = session.totalSteps
const commands: Request['cmd'][] = [
  'goto',
  'stepInto',
  'reverseStepInto',
  'stepOver',
  'reverseStepOver',
  'stepOut',
  'reverseStepOut',
  'nextCall',
  'previousCall',
]
const times = new Map<string, number[]>()
let peak = rssAfter
for (let i = 0; i < samples; i++) {
  session.handle({ cmd: 'goto', step: r.int(total) })
  const cmd = commands[i % commands.length]!
  const request = (cmd === 'goto' ? { cmd, step: r.int(total) } : { cmd }) as Request
  const s = performance.now()
  const response = session.handle(request)
  const ms = performance.now() - s
  if (!response.ok) throw new Error(`${cmd}: ${response.error.message}`)
  const list = times.get(cmd) ?? []
  list.push(ms)
  times.set(cmd, list)
  if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20)
}
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
const all = [...times.values()].flat()

// Reverse-continue to an SSTORE breakpoint: from the end, and from random positions.
session.handle({ cmd: 'break', breakpoint: { kind: 'sstore' } })
session.handle({ cmd: 'end' })
let s = performance.now()
const hit = session.handle({ cmd: 'reverseContinue' })
const reverseSstoreMs = performance.now() - s
const reverseTimes: number[] = []
for (let i = 0; i < 20; i++) {
  session.handle({ cmd: 'goto', step: r.int(total) })
  s = performance.now()
  session.handle({ cmd: 'reverseContinue' })
  reverseTimes.push(performance.now() - s)
}
// A scanned breakpoint for comparison: reverse-continue to an opcode that appears rarely.
session.handle({ cmd: 'delete', id: 1 })
session.handle({ cmd: 'break', breakpoint: { kind: 'opcode', opcode: 'RETURN' } })
session.handle({ cmd: 'end' })
s = performance.now()
const opcodeHit = session.handle({ cmd: 'reverseContinue' })
const reverseOpcodeMs = performance.now() - s

const f = (x: number) => x.toFixed(1)
console.log(`snailtracer as a transaction: ${total.toLocaleString()} steps, ${gasUsed.toLocaleString()} gas`)
console.log(`plain execution: ${f(plainMs)} ms (best of 3), ${f(coldPlainMs)} ms cold (the first run)`)
console.log(
  `first view: ${f(firstViewMs)} ms = ${(firstViewMs / plainMs).toFixed(2)}x plain (first pass ${info.firstPassMs} ms)`,
)
console.log(
  `  like for like: cold ${(firstViewMs / coldPlainMs).toFixed(2)}x cold plain; warm ${f(warmFirstViewMs)} ms = ${(warmFirstViewMs / plainMs).toFixed(2)}x warm plain`,
)
console.log(
  `checkpoints: ${info.checkpoints} (interval ${interval}), bytes held: ${JSON.stringify(info.bytes)}`,
)
console.log(
  `RSS: ${f(rssBefore)} MB before, ${f(rssAfter)} MB with the session (+${f(rssAfter - rssBefore)}), peak ${f(peak)} MB while navigating`,
)
console.log(
  `navigation over ${all.length} commands: p50 ${f(quantile(all, 0.5))} ms, p95 ${f(quantile(all, 0.95))} ms, max ${f(Math.max(...all))} ms`,
)
for (const [cmd, list] of times)
  console.log(
    `  ${cmd.padEnd(16)} p50 ${f(quantile(list, 0.5))} ms  p95 ${f(quantile(list, 0.95))} ms  (${list.length})`,
  )
console.log(
  `reverse-continue to SSTORE from the end: ${f(reverseSstoreMs)} ms (to step ${(hit as { result: StepView }).result.step}); from random positions p95 ${f(quantile(reverseTimes, 0.95))} ms`,
)
console.log(
  `reverse-continue to the last RETURN opcode (scanned): ${f(reverseOpcodeMs)} ms (to step ${(opcodeHit as { result: StepView }).result.step})`,
)
console.log(`final RSS ${f(rss())} MB`)
