// A/B of the Crucible EVM engine between two checkouts, in one process: each tree's
// tooling/bench/src/engines/crucible.ts is bundled from that tree (its own @crucible/* sources),
// both run as engines over ../shared/bench with interleaved samples, and the per-input time
// ratio B/A and its geometric mean are printed. Interleaving in one process is what lets a
// shared machine's load hit both sides alike (docs/performance.md, "Profiles").
//
//   node --conditions=@crucible/source --import tsx tooling/bench/scripts/ab.ts A_TREE B_TREE \
//     [--filter REGEX] [--runs N] [--json FILE]
//
// e.g. `git worktree add /tmp/before HEAD~1 && pnpm -C /tmp/before install --offline` and then
// `… ab.ts /tmp/before .` — a ratio below 1 means B is faster.
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import type { Engine } from '../src/engine.js'
import { filterBenchmarks, loadManifest } from '../src/manifest.js'
import { DEFAULT_RUN_OPTIONS, runBenchmarks } from '../src/runner.js'
import { geomean } from '../src/stats.js'

async function engineOf(tree: string, label: string): Promise<Engine> {
  const outfile = resolve(tree, 'tooling/bench/.cache', `ab-engine-${label}.mjs`)
  await build({
    entryPoints: [resolve(tree, 'tooling/bench/src/engines/crucible.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@crucible/source'],
    outfile,
    logLevel: 'error',
  })
  const mod = (await import(pathToFileURL(outfile).href)) as { crucibleEngine(): Engine | Promise<Engine> }
  const engine = await mod.crucibleEngine()
  // The runner's speedup is reference/crucible: A plays the reference, B "crucible".
  return { ...engine, name: label === 'a' ? 'A' : 'crucible' }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const flag = (name: string) => {
    const i = argv.indexOf(name)
    if (i < 0) return undefined
    const value = argv[i + 1]
    argv.splice(i, 2)
    return value
  }
  const filter = flag('--filter')
  const runs = flag('--runs')
  const json = flag('--json')
  const [a, b] = argv
  if (a === undefined || b === undefined)
    throw new Error('usage: ab.ts A_TREE B_TREE [--filter RE] [--runs N] [--json FILE]')
  const engines = [await engineOf(resolve(a), 'a'), await engineOf(resolve(b), 'b')]
  const dir = resolve(import.meta.dirname, '../../../../shared/bench')
  const benchmarks = filterBenchmarks(
    loadManifest(dir),
    filter === undefined ? undefined : new RegExp(filter),
  )
  const results = await runBenchmarks(benchmarks, engines, {
    ...DEFAULT_RUN_OPTIONS,
    ...(runs === undefined ? {} : { runs: Number(runs) }),
    onResult: (r) =>
      process.stderr.write(
        `  ${r.benchmark}/${r.input}: B/A ${r.speedup === undefined ? 'n/a' : (1 / r.speedup).toFixed(3)}\n`,
      ),
  })
  const ratios = results.flatMap((r) => (r.speedup === undefined ? [] : [1 / r.speedup]))
  const failed = results.filter((r) => r.speedup === undefined).map((r) => `${r.benchmark}/${r.input}`)
  const sorted = [...ratios].sort((x, y) => x - y)
  console.log(
    `A ${resolve(a)}\nB ${resolve(b)}\n${ratios.length} inputs: geomean time ratio B/A ${geomean(ratios).toFixed(4)} ` +
      `(min ${sorted[0]?.toFixed(3)}, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(3)}, max ${sorted.at(-1)?.toFixed(3)}); ` +
      `load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')} (${cpus().length} CPUs)` +
      (failed.length > 0 ? `\nnot compared (an engine failed to verify): ${failed.join(', ')}` : ''),
  )
  if (json !== undefined)
    writeFileSync(
      json,
      `${JSON.stringify(
        results.map((r) => ({
          input: `${r.benchmark}/${r.input}`,
          ratio: r.speedup === undefined ? null : 1 / r.speedup,
        })),
        null,
        2,
      )}\n`,
    )
}

main().catch((e) => {
  console.error((e as Error).message)
  process.exitCode = 1
})
