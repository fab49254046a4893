import { loadavg } from 'node:os'
import { resourceUsage } from 'node:process'
import type { Engine, RunResult } from './engine.js'
import { type BenchInput, type Benchmark, inputId } from './manifest.js'
import { geomean, median, mgasPerSecond, spread } from './stats.js'
import { verifyRun } from './verify.js'

export type EngineTiming = {
  engine: string
  /** Median milliseconds per execution, or undefined when the engine failed to prepare/run/verify. */
  ms: number | undefined
  samples: number[]
  /** Executions averaged into each sample (short inputs are batched to get above timer noise). */
  iterations: number
  problems: string[]
}

export type InputResult = {
  benchmark: string
  input: string
  gas: bigint
  timings: EngineTiming[]
  /** reference ms / crucible ms (>1: Crucible faster); undefined unless both ran and verified. */
  speedup: number | undefined
}

export type RunOptions = {
  /** Timed samples per engine per input. */
  runs: number
  /** Minimum time a sample should take; short inputs run several times per sample. */
  minSampleMs: number
  /** Warm-up time per engine per input before any timed sample (at least one execution). */
  warmupMs: number
  /** Called with progress lines. */
  log?: (line: string) => void
  /** Called after each input (for the live table). */
  onResult?: (result: InputResult) => void
}

export const DEFAULT_RUN_OPTIONS: RunOptions = { runs: 7, minSampleMs: 50, warmupMs: 300 }

let peakRss = 0
/** Samples the resident set size; the maximum seen is reported as peak memory. */
export function sampleRss(): number {
  const rss = process.memoryUsage.rss()
  if (rss > peakRss) peakRss = rss
  return rss
}
/** Peak RSS in MiB: the larger of the sampled maximum and the kernel's maxRSS. */
export function peakRssMb(): number {
  sampleRss()
  return Math.max(peakRss, resourceUsage().maxRSS * 1024) / (1024 * 1024)
}

async function settle<T>(value: T | Promise<T>): Promise<T> {
  return value instanceof Promise ? await value : value
}

/** One execution: timed run, untimed reset. Returns the result and the elapsed milliseconds. */
async function once<P>(engine: Engine<P>, prepared: P, input: BenchInput): Promise<[RunResult, number]> {
  const t0 = performance.now()
  const r = engine.run(prepared, input)
  const result = r instanceof Promise ? await r : r
  const ms = performance.now() - t0
  await settle(engine.reset(prepared))
  return [result, ms]
}

type Live<P = unknown> = { engine: Engine<P>; prepared: P | undefined; timing: EngineTiming }

/**
 * Runs every input of every benchmark on every engine in the same process: prepare once per
 * benchmark, verify the first execution (output and exec_gas), warm up, then take `runs`
 * samples per engine, alternating which engine goes first in each round.
 */
export async function runBenchmarks(
  benchmarks: Benchmark[],
  engines: Engine[],
  options: RunOptions = DEFAULT_RUN_OPTIONS,
): Promise<InputResult[]> {
  const log = options.log ?? (() => {})
  const results: InputResult[] = []
  for (const benchmark of benchmarks) {
    const prepared = new Map<Engine, unknown>()
    const prepareErrors = new Map<Engine, string>()
    for (const engine of engines) {
      try {
        prepared.set(engine, await settle(engine.prepare(benchmark)))
      } catch (e) {
        prepareErrors.set(engine, `prepare failed: ${(e as Error).message}`)
      }
    }
    for (const input of benchmark.inputs) {
      const id = inputId(benchmark, input)
      const live: Live[] = engines.map((engine) => ({
        engine,
        prepared: prepared.get(engine),
        timing: { engine: engine.name, ms: undefined, samples: [], iterations: 1, problems: [] },
      }))
      for (const l of live) {
        const err = prepareErrors.get(l.engine)
        if (err !== undefined) l.timing.problems.push(err)
      }
      const ok = (l: Live) => l.timing.problems.length === 0
      // Verification doubles as the first warm-up execution.
      for (const l of live.filter(ok)) {
        try {
          const [result] = await once(l.engine, l.prepared, input)
          l.timing.problems.push(...verifyRun(result, input))
        } catch (e) {
          l.timing.problems.push(`threw: ${(e as Error).stack ?? e}`)
        }
        if (!ok(l)) log(`  ${id}: ${l.engine.name}: ${l.timing.problems.join('; ')}`)
      }
      // Warm-up, and calibration of the executions per sample from the last warm-up time.
      for (const l of live.filter(ok)) {
        let spent = 0
        let last = 0
        do {
          ;[, last] = await once(l.engine, l.prepared, input)
          spent += last
        } while (spent < options.warmupMs)
        l.timing.iterations = Math.max(1, Math.ceil(options.minSampleMs / Math.max(last, 1e-3)))
      }
      // Timed rounds, engines alternating.
      const active = live.filter(ok)
      for (let round = 0; round < options.runs; round++) {
        const order = round % 2 === 0 ? active : [...active].reverse()
        for (const l of order) {
          if (!ok(l)) continue
          let total = 0
          for (let k = 0; k < l.timing.iterations; k++) {
            const [result, ms] = await once(l.engine, l.prepared, input)
            total += ms
            const problems = verifyRun(result, input)
            if (problems.length > 0) {
              l.timing.problems.push(`round ${round}: ${problems.join('; ')}`)
              break
            }
          }
          l.timing.samples.push(total / l.timing.iterations)
          sampleRss()
        }
      }
      for (const l of live) if (ok(l) && l.timing.samples.length > 0) l.timing.ms = median(l.timing.samples)
      const result: InputResult = {
        benchmark: benchmark.name,
        input: input.label,
        gas: input.execGas,
        timings: live.map((l) => l.timing),
        speedup: speedupOf(live.map((l) => l.timing)),
      }
      for (const t of result.timings)
        if (t.samples.length > 2 && spread(t.samples) > 0.25)
          log(`  ${id}: ${t.engine} samples spread ${(spread(t.samples) * 100).toFixed(0)}% (noisy)`)
      results.push(result)
      options.onResult?.(result)
    }
  }
  return results
}

/** reference/crucible time ratio when both engines produced a verified median. */
export function speedupOf(timings: EngineTiming[]): number | undefined {
  const crucible = timings.find((t) => t.engine === 'crucible')?.ms
  const reference = timings.find((t) => t.engine !== 'crucible')?.ms
  return crucible === undefined || reference === undefined || crucible <= 0 ? undefined : reference / crucible
}

export type Summary = {
  geomean_speedup: number | undefined
  aggregate_mgas_s: number | undefined
  reference_aggregate_mgas_s: number | undefined
  peak_rss_mb: number
  failures: number
}

/** Totals across inputs: geomean of speedups and total gas / total time per engine. */
export function summarize(results: InputResult[]): Summary {
  const speedups = results.map((r) => r.speedup).filter((s): s is number => s !== undefined)
  const aggregate = (pick: (t: EngineTiming) => boolean) => {
    let gas = 0
    let ms = 0
    for (const r of results) {
      const t = r.timings.find(pick)
      if (t?.ms === undefined) continue
      gas += Number(r.gas)
      ms += t.ms
    }
    return ms > 0 ? mgasPerSecond(gas, ms) : undefined
  }
  return {
    geomean_speedup: speedups.length > 0 ? geomean(speedups) : undefined,
    aggregate_mgas_s: aggregate((t) => t.engine === 'crucible'),
    reference_aggregate_mgas_s: aggregate((t) => t.engine !== 'crucible'),
    peak_rss_mb: peakRssMb(),
    failures: results.reduce((n, r) => n + r.timings.filter((t) => t.problems.length > 0).length, 0),
  }
}

/** The `--json` document. */
export function toJson(results: InputResult[], summary: Summary) {
  const ms = (r: InputResult, name: string) => r.timings.find((t) => t.engine === name)?.ms ?? null
  const min = (r: InputResult, name: string) => {
    const t = r.timings.find((x) => x.engine === name)
    return t?.ms === undefined ? null : Math.min(...t.samples)
  }
  return {
    inputs: results.map((r) => ({
      benchmark: r.benchmark,
      input: r.input,
      gas: Number(r.gas),
      crucible_ms: ms(r, 'crucible'),
      ethereumjs_ms: ms(r, 'ethereumjs'),
      crucible_min_ms: min(r, 'crucible'),
      ethereumjs_min_ms: min(r, 'ethereumjs'),
      speedup: r.speedup ?? null,
      problems: Object.fromEntries(
        r.timings.filter((t) => t.problems.length > 0).map((t) => [t.engine, t.problems]),
      ),
    })),
    geomean_speedup: summary.geomean_speedup ?? null,
    aggregate_mgas_s: summary.aggregate_mgas_s ?? null,
    ethereumjs_aggregate_mgas_s: summary.reference_aggregate_mgas_s ?? null,
    peak_rss_mb: summary.peak_rss_mb,
    node: process.version,
    /** 1-minute load average at the end: other processes on the machine skew timings. */
    loadavg_1m: loadavg()[0],
  }
}
