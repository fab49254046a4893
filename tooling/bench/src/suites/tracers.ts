import { processTransaction, type TransactionInput } from '@crucible/evm'
import { type TraceConfig, traceTransaction } from '@crucible/tracers'
import { DEFAULT_MANIFEST_DIR } from '../cli.js'
import { SENDER } from '../engine.js'
import { crucibleEngine } from '../engines/crucible.js'
import { loadManifest } from '../manifest.js'
import { median } from '../stats.js'
import type { BenchRow, BenchTable, SuiteOptions } from '../types.js'

/**
 * What tracing costs: each ../shared/bench contract's first case run as a transaction
 * (processTransaction at Prague, from the post-deploy state) untraced, then with callTracer,
 * prestateTracer, and the opcode logger without and with memory (streamed to a sink that only
 * counts). The goal is callTracer and prestateTracer under 1.5× the untraced time. Struct logs
 * are timed only where an untraced run takes under 250 ms (snailtracer's would take minutes).
 */

const BLOCK = {
  number: 1n,
  coinbase: 0n,
  timestamp: 1n,
  gasLimit: 10_000_000_000n,
  difficulty: 0n,
  prevRandao: 0n,
  baseFee: 0n,
  blobBaseFee: 1n,
  chainId: 1n,
}

const TRACERS: [string, TraceConfig][] = [
  ['callTracer', { tracer: 'callTracer' }],
  ['prestateTracer', { tracer: 'prestateTracer' }],
  ['struct logs', {}],
  ['struct logs + memory', { enableMemory: true }],
]

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const runs = options.quick ? 1 : 3
  const engine = crucibleEngine()
  const rows: BenchRow[] = []
  for (const benchmark of loadManifest(DEFAULT_MANIFEST_DIR)) {
    const input = benchmark.inputs[0]
    if (input === undefined) continue
    const p = await engine.prepare(benchmark)
    const rules = p.rules
    const tx: TransactionInput = {
      type: 0,
      sender: SENDER,
      to: p.to,
      nonce: p.state.getNonce(SENDER),
      value: 0n,
      data: input.calldata,
      gasLimit: benchmark.gasLimit,
      gasPrice: 0n,
    }
    const time = (fn: () => void) => {
      const samples: number[] = []
      for (let i = 0; i < runs; i++) {
        p.state.restore(p.snapshot)
        const start = performance.now()
        fn()
        samples.push(performance.now() - start)
      }
      return median(samples)
    }
    const untraced = time(() => processTransaction(p.state, tx, BLOCK, rules))
    for (const [name, config] of TRACERS) {
      const structLogs = config.tracer === undefined
      if (structLogs && untraced > 250) continue
      let chars = 0
      const traced = time(() =>
        traceTransaction({
          host: p.state,
          tx,
          block: BLOCK,
          rules,
          config: { ...config, timeout: '1h' },
          sink: (chunk) => {
            chars += chunk.length
          },
        }),
      )
      const ratio = traced / untraced
      rows.push({
        name: `${benchmark.name}/${input.label} ${name}`,
        crucible_ms: traced,
        reference_ms: untraced,
        reference: 'untraced',
        speedup: untraced / traced,
        note: `${ratio.toFixed(2)}× untraced${structLogs ? `, ${(chars / runs / 2 ** 20).toFixed(1)} MB JSON` : ''}`,
      })
    }
  }
  return { title: 'Tracing cost against untraced execution (processTransaction, Prague)', rows }
}
