// pnpm browser-check [--quiet]
//
// "The core packages run in browsers", checked: the state-test runner of state-case.ts and
// everything it imports (primitives, forks, trie, tx, precompiles, evm, state, block) is
// bundled for the browser with esbuild and run in headless Chromium (Debian's, installed by
// tooling/setup/chromium.sh when missing; driven by playwright-core, which downloads no
// browser). Each case's post-state root computed in the page must equal the one computed
// here in Node and the fixture's.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FIXTURES_ROOT } from '@crucible/conformance'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { REPO_ROOT } from './metadata.mjs'
import { type CaseRoot, type StateTestJson, stateCaseRoots } from './state-case.js'

/** The cases: plain arithmetic and storage, secp256k1 (ecrecover) and BLAKE2b (WebAssembly). */
const FILES = [
  'ethereum-tests/GeneralStateTests/stExample/add11.json',
  'ethereum-tests/GeneralStateTests/stPreCompiledContracts2/CALLCODEEcrecover0.json',
  'ethereum-tests/GeneralStateTests/stPreCompiledContracts2/CALLBlake2f.json',
  'ethereum-tests/GeneralStateTests/stExample/solidityExample.json',
]
const FORK = 'Cancun'

const { values: args } = parseArgs({ options: { quiet: { type: 'boolean', default: false } } })
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

const executablePath = execFileSync('bash', [join(REPO_ROOT, 'tooling/setup/chromium.sh')], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .toString()
  .trim()
const files = FILES.map(
  (f) => JSON.parse(readFileSync(join(FIXTURES_ROOT, f), 'utf8')) as Record<string, StateTestJson>,
)
const inNode = files.map((file) => stateCaseRoots(file, FORK))

const bundle = await build({
  entryPoints: [join(import.meta.dirname, 'browser-entry.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@crucible/source'],
  write: false,
  logLevel: 'error',
})
const script = bundle.outputFiles[0]!.text

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
let inPage: CaseRoot[][]
let agent: string
try {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.setContent('<!doctype html><title>crucible browser check</title>')
  await page.addScriptTag({ content: script })
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
  agent = await page.evaluate(() => navigator.userAgent)
  inPage = await page.evaluate(
    ([files, fork]) =>
      (files as Record<string, StateTestJson>[]).map((file) =>
        (
          globalThis as unknown as { crucible: { stateCaseRoots: typeof stateCaseRoots } }
        ).crucible.stateCaseRoots(file, fork as string),
      ),
    [files, FORK] as const,
  )
} finally {
  await browser.close()
}

const problems: string[] = []
const failed = new Set<string>()
let cases = 0
FILES.forEach((name, i) => {
  const node = inNode[i]!
  const page = inPage[i]!
  const fail = (id: string, line: string) => {
    failed.add(id)
    problems.push(line)
  }
  if (node.length === 0) fail(name, `${name}: no ${FORK} case with txbytes`)
  if (page.length !== node.length)
    fail(name, `${name}: ${page.length} cases in the page, ${node.length} in Node`)
  node.forEach((n, j) => {
    cases++
    const id = `${name} ${n.case}`
    if (n.root !== n.expected) fail(id, `${id}: Node root ${n.root}, fixture ${n.expected}`)
    if (page[j]?.root !== n.root) fail(id, `${id}: page root ${page[j]?.root}, Node root ${n.root}`)
  })
})
for (const line of problems) console.error(`✗ ${line}`)
if (!args.quiet || problems.length > 0)
  console.log(
    `browser: ${agent.match(/HeadlessChrome\/[\d.]+|Chrome\/[\d.]+/)?.[0] ?? agent}, bundle ${(script.length / 1024).toFixed(0)} KiB`,
  )
console.log(`browser-check (${FORK} state-test cases, page = Node = fixture, ${elapsed()})`)
console.log(`browser-check: ${cases - failed.size} passed, ${failed.size} failed`)
process.exitCode = problems.length === 0 ? 0 : 1
