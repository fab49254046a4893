import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CliArgs } from './args.js'
import { failureKey, type KnownFailure, readBaseline, writeBaseline } from './baseline.js'
import { discover } from './discover.js'
import { isImplemented, loadSuite } from './load.js'
import { REPO_ROOT, resolveInput } from './paths.js'
import { runPool } from './pool.js'
import type { CaseResult } from './suite.js'

export interface SuiteSummary {
  suite: string
  passed: number
  failed: number
  skipped: number
  /** Failures not in the baseline. */
  unexpected: number
  /** Baseline entries that passed this time. */
  fixed: KnownFailure[]
  cases: CaseResult[]
}

/** The committed known-failures file of a suite. */
export function defaultBaselinePath(suite: string): string {
  return join(REPO_ROOT, 'tooling', 'conformance', 'baselines', `${suite}.json`)
}

/** Runs one suite and prints its failures and closing line. */
export async function runSuite(
  args: CliArgs,
  log: (line: string) => void,
): Promise<SuiteSummary | undefined> {
  if (!isImplemented(args.suite)) {
    log(`${args.suite}: suite not implemented yet`)
    return undefined
  }
  const suite = await loadSuite(args.suite)
  const inputs = (args.paths.length > 0 ? args.paths : suite.defaultPaths).map(resolveInput)
  const files = discover(inputs, (rel) => suite.accepts(rel))
  const baseline = args.baseline ? readBaseline(args.baseline) : []
  const known = new Map(baseline.map((b) => [failureKey(b), b]))

  const cases: CaseResult[] = []
  let lastProgress = 0
  const progress = !args.quiet && process.stderr.isTTY
  await runPool(files, {
    suite: args.suite,
    options: { fork: args.fork, filter: args.filter, trace: args.trace },
    workers: args.workers,
    caseTimeoutMs: args.timeoutSeconds * 1000,
    onResult(result) {
      cases.push(result)
      if (progress && Date.now() - lastProgress > 500) {
        lastProgress = Date.now()
        process.stderr.write(`\r${args.suite}: ${cases.length} cases…`)
      }
    },
  })
  if (progress) process.stderr.write('\r\x1b[K')

  cases.sort((a, b) => (failureKey(a) < failureKey(b) ? -1 : 1))
  let passed = 0
  let failed = 0
  let skipped = 0
  let unexpected = 0
  const failures: CaseResult[] = []
  const seen = new Set<string>()
  for (const c of cases) {
    const key = failureKey(c)
    seen.add(key)
    if (c.skipped) skipped++
    else if (c.ok) passed++
    else {
      failed++
      failures.push(c)
      const expected = known.has(key)
      if (!expected) unexpected++
      log(
        `${expected ? 'KNOWN ' : 'FAIL '}${c.file} | ${c.test} | ${c.fork} | ${c.index} | ${c.reason ?? ''}`,
      )
    }
  }
  // A baseline entry whose case passed (or no longer exists in what ran) can be removed.
  const fixed = baseline.filter((b) => {
    const key = failureKey(b)
    return seen.has(key) && !failures.some((f) => failureKey(f) === key)
  })
  for (const f of fixed)
    log(`FIXED ${f.file} | ${f.test} | ${f.fork} | ${f.index} (remove it from the baseline)`)

  if (args.json) {
    const rows = cases.map((c) => ({
      file: c.file,
      test: c.test,
      fork: c.fork,
      index: c.index,
      ok: c.ok,
      ...(c.skipped ? { skipped: true } : {}),
      reason: c.reason ?? null,
    }))
    writeFileSync(
      args.json,
      `${JSON.stringify({ suite: args.suite, passed, failed, skipped, cases: rows }, null, 1)}\n`,
    )
  }
  if (args.writeBaseline) writeBaseline(args.writeBaseline, failures)
  log(`${args.suite}: ${passed} passed, ${failed} failed, ${skipped} skipped`)
  if (args.baseline && failed > 0)
    log(
      `${args.suite}: ${failed - unexpected} of the failures are known (${args.baseline}), ${unexpected} are new`,
    )
  return { suite: args.suite, passed, failed, skipped, unexpected, fixed, cases }
}

/** True when a suite has a committed baseline. */
export function hasBaseline(suite: string): boolean {
  return existsSync(defaultBaselinePath(suite))
}
