// pnpm size-check [--update]
//
// Bundle sizes, minified and gzipped, of what a browser user ships for three uses: keccak256
// alone, the trie, and a processTransaction consumer (EVM + world state + fork rules). Each is
// an esbuild bundle (ES module, browser, tree-shaken) of the packages' sources. A size over its
// budget in size-budgets.json fails; `--update` rewrites the budgets to the sizes now plus 2%
// (a reviewed change: growth is a decision, not an accident).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

export const SIZE_ENTRIES: Record<string, string> = {
  keccak256: "export { keccak256 } from '@crucible/primitives'",
  trie: "export { Trie } from '@crucible/trie'",
  processTransaction: [
    "export { processTransaction } from '@crucible/evm'",
    "export { WorldState } from '@crucible/state'",
    "export { getForkRules } from '@crucible/forks'",
  ].join('\n'),
}

const BUDGETS = join(import.meta.dirname, '..', 'size-budgets.json')

export async function bundleSize(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    conditions: ['@crucible/source'],
    write: false,
    logLevel: 'error',
  })
  const code = result.outputFiles[0]!.contents
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length }
}

if (process.argv[1] === import.meta.filename) {
  const { values: args } = parseArgs({ options: { update: { type: 'boolean', default: false } } })
  const budgets = JSON.parse(readFileSync(BUDGETS, 'utf8')) as Record<string, number>
  const problems: string[] = []
  const measured: Record<string, number> = {}
  console.log('bundle               minified     gzipped   budget (gzipped)')
  for (const [name, source] of Object.entries(SIZE_ENTRIES)) {
    const { minified, gzipped } = await bundleSize(source)
    measured[name] = gzipped
    const budget = budgets[name]
    console.log(
      `${name.padEnd(18)} ${String(minified).padStart(10)} ${String(gzipped).padStart(11)} ${String(budget ?? '-').padStart(10)}`,
    )
    if (budget === undefined) problems.push(`${name}: no budget in size-budgets.json`)
    else if (gzipped > budget)
      problems.push(`${name}: ${gzipped} bytes gzipped, over its budget of ${budget}`)
  }
  if (args.update) {
    const next = Object.fromEntries(Object.entries(measured).map(([n, size]) => [n, Math.ceil(size * 1.02)]))
    writeFileSync(BUDGETS, `${JSON.stringify(next, null, 2)}\n`)
    console.log('size-budgets.json updated')
  } else for (const line of problems) console.error(`✗ ${line}`)
  console.log(
    `size-check: ${problems.length === 0 || args.update ? 'within budgets' : `${problems.length} over`}`,
  )
  process.exitCode = problems.length === 0 || args.update ? 0 : 1
}
