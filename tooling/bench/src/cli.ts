#!/usr/bin/env node
import { existsSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs, type SuiteName, USAGE } from './args.js'
import type { Engine } from './engine.js'
import { ethereumjsEngine } from './engines/ethereumjs.js'
import { evmMarkdown, evmTable, suiteTable } from './format.js'
import { filterBenchmarks, loadManifest } from './manifest.js'
import { DEFAULT_RUN_OPTIONS, runBenchmarks, summarize, toJson } from './runner.js'
import type { SuiteModule } from './types.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The repository root (tooling/bench/src/../../..): defaults resolve from here, not the cwd. */
export const REPO_ROOT = resolve(here, '../../..')
export const DEFAULT_MANIFEST_DIR = resolve(REPO_ROOT, '../shared/bench')
/** Where the user typed the command (pnpm runs scripts from the package root). */
const userCwd = process.env.INIT_CWD ?? process.cwd()

async function crucibleEngine(metered = false): Promise<Engine> {
  const mod = await import('./engines/crucible.js')
  return metered ? mod.crucibleMeteredEngine() : mod.crucibleEngine()
}

async function evmSuite(args: ReturnType<typeof parseArgs>): Promise<boolean> {
  const dir = args.manifestDir === undefined ? DEFAULT_MANIFEST_DIR : resolve(userCwd, args.manifestDir)
  if (!existsSync(resolve(dir, 'manifest.json'))) throw new Error(`no manifest.json in ${dir}`)
  const benchmarks = filterBenchmarks(loadManifest(dir), args.filter)
  const wanted = args.engines ?? ['crucible', 'ethereumjs']
  const engines: Engine[] = []
  for (const name of wanted) {
    if (name === 'ethereumjs') engines.push(ethereumjsEngine() as Engine)
    else if (name === 'crucible' || name === 'crucible-metered') {
      try {
        engines.push(await crucibleEngine(name === 'crucible-metered'))
      } catch (e) {
        console.log(
          `crucible engine unavailable (${(e as Error).message.split('\n')[0]}); running without it`,
        )
      }
    } else throw new Error(`unknown engine ${name}`)
  }
  if (engines.length === 0) throw new Error('no engine to run')
  const inputs = benchmarks.reduce((n, b) => n + b.inputs.length, 0)
  const options = {
    ...DEFAULT_RUN_OPTIONS,
    ...(args.quick ? { runs: 3, minSampleMs: 10, warmupMs: 50 } : {}),
    ...(args.runs === undefined ? {} : { runs: args.runs }),
    log: (line: string) => console.log(line),
    onResult: (r: { benchmark: string; input: string }) =>
      process.stderr.write(`  done ${r.benchmark}/${r.input}\n`),
  }
  console.log(
    `EVM benchmarks: ${inputs} inputs from ${dir}; engines ${engines.map((e) => e.name).join(', ')}; ` +
      `${options.runs} samples each (>= ${options.minSampleMs} ms), node ${process.version}`,
  )
  const results = await runBenchmarks(benchmarks, engines, options)
  const summary = summarize(results)
  console.log(`\n${evmTable(results, summary)}`)
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (${cpus().length} CPUs)\n`,
  )
  if (args.json !== undefined) {
    const file = resolve(userCwd, args.json)
    writeFileSync(file, `${JSON.stringify(toJson(results, summary), null, 2)}\n`)
    console.log(`wrote ${file}`)
  }
  if (args.markdown !== undefined) {
    const file = resolve(userCwd, args.markdown)
    writeFileSync(file, `${evmMarkdown(results)}\n`)
    console.log(`wrote ${file}`)
  }
  return summary.failures === 0
}

async function otherSuite(name: SuiteName, quick: boolean): Promise<boolean> {
  const file = resolve(here, 'suites', `${name}.ts`)
  if (!existsSync(file)) {
    console.log(`suite ${name}: not written yet (${file})\n`)
    return true
  }
  const mod = (await import(pathToFileURL(file).href)) as SuiteModule
  const table = await mod.run({ quick })
  console.log(`${suiteTable(table)}\n`)
  return true
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  if (args.help) {
    console.log(USAGE)
    return 0
  }
  let ok = true
  for (const suite of args.suites) {
    try {
      ok = (suite === 'evm' ? await evmSuite(args) : await otherSuite(suite, args.quick)) && ok
    } catch (e) {
      console.error(`suite ${suite} failed: ${(e as Error).stack ?? e}`)
      ok = false
    }
  }
  return ok ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    console.error((e as Error).message)
    console.error(USAGE)
    process.exitCode = 2
  },
)
