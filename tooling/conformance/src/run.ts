import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CliArgs } from './args.js'
import { failureKey, type KnownFailure, readBaseline, writeBaseline } from './baseline.js'
import { discover } from './discover.js'
import { FIXTURE_FORMATS, type FixtureFormat, FORMAT_LABELS } from './formats.js'
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
  /** Baseline entries that passed this time: the baseline must shrink before the run passes. */
  fixed: KnownFailure[]
  /** Failures `--write-baseline` refused to add (it adds only with `--accept-new-failures`). */
  refused: CaseResult[]
  files: FileCounts
  cases: CaseResult[]
}

/** What the fixture files turned out to be. */
export interface FileCounts {
  /** Files found under the inputs. */
  found: number
  /** Files holding tests of the suite's format (they ran). */
  run: number
  /** Files of another format, by the format most of their tests have. */
  setAside: Partial<Record<FixtureFormat, number>>
  /** Tests of another format inside the files that ran. */
  testsSetAside: number
}

/** The line saying what was found: `blockchain: 2,408 files, 366 run, 2,042 set aside (state tests)`. */
export function describeFiles(suite: string, files: FileCounts): string {
  const n = (v: number) => v.toLocaleString('en-US')
  const aside = Object.entries(files.setAside) as [FixtureFormat, number][]
  const asideTotal = aside.reduce((sum, [, count]) => sum + count, 0)
  let line = `${suite}: ${n(files.found)} files, ${n(files.run)} run`
  if (asideTotal > 0) {
    const kinds = aside
      .sort((a, b) => b[1] - a[1] || FIXTURE_FORMATS.indexOf(a[0]) - FIXTURE_FORMATS.indexOf(b[0]))
      .map(([format, count]) =>
        aside.length === 1 ? FORMAT_LABELS[format] : `${n(count)} ${FORMAT_LABELS[format]}`,
      )
    line += `, ${n(asideTotal)} set aside (${kinds.join(', ')})`
  }
  const unread = files.found - files.run - asideTotal
  if (unread > 0) line += `, ${n(unread)} unreadable`
  if (files.testsSetAside > 0) line += `; ${n(files.testsSetAside)} tests of other formats in them set aside`
  return line
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
  const fixtures = discover(inputs, suite.extensions)
  const baseline = args.baseline ? readBaseline(args.baseline) : []
  const known = new Map(baseline.map((b) => [failureKey(b), b]))
  const files: FileCounts = { found: fixtures.length, run: 0, setAside: {}, testsSetAside: 0 }

  const cases: CaseResult[] = []
  let lastProgress = 0
  const progress = !args.quiet && process.stderr.isTTY
  await runPool(fixtures, {
    suite: args.suite,
    options: { fork: args.fork, filter: args.filter, trace: args.trace, store: args.store },
    workers: args.workers,
    caseTimeoutMs: args.timeoutSeconds * 1000,
    onFormats(_file, tests) {
      let others = 0
      let main: FixtureFormat = 'unknown'
      for (const [format, count] of Object.entries(tests) as [FixtureFormat, number][]) {
        if (format === suite.format) continue
        others += count
        if (count > (tests[main] ?? 0) || main === 'unknown') main = format
      }
      if (tests[suite.format]) {
        files.run++
        files.testsSetAside += others
      } else {
        files.setAside[main] = (files.setAside[main] ?? 0) + 1
      }
    },
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
    if (!c.skipped) seen.add(key)
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
  // Baselines only shrink: an entry whose case ran and passed fails the run until it is removed
  // (or --write-baseline rewrites the file). Entries whose case did not run (another --filter,
  // other paths) are left alone.
  const failing = new Set(failures.map(failureKey))
  const fixed = baseline.filter((b) => {
    const key = failureKey(b)
    return seen.has(key) && !failing.has(key)
  })
  for (const f of fixed)
    log(`FIXED ${f.file} | ${f.test} | ${f.fork} | ${f.index} (passes now: remove it from the baseline)`)

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
  const refused = args.writeBaseline ? rewriteBaseline(args, failures, seen, log) : []
  log(describeFiles(args.suite, files))
  if (args.baseline && failed > 0)
    log(
      `${args.suite}: ${failed - unexpected} of the failures are known (${args.baseline}), ${unexpected} are new`,
    )
  if (args.baseline && fixed.length > 0)
    log(
      `${args.suite}: ${fixed.length} baseline entries pass now; remove them from ${args.baseline} (or rewrite it with --write-baseline)`,
    )
  log(`${args.suite}: ${passed} passed, ${failed} failed, ${skipped} skipped`)
  return { suite: args.suite, passed, failed, skipped, unexpected, fixed, refused, files, cases }
}

/**
 * `--write-baseline FILE`: the file becomes its entries whose case did not run, plus the
 * failures of this run (an entry already there keeps its written reason). Entries are dropped
 * freely; a failure not already in the file is added only with `--accept-new-failures`, else
 * nothing is written and the refused failures are returned.
 */
function rewriteBaseline(
  args: CliArgs,
  failures: CaseResult[],
  ran: Set<string>,
  log: (line: string) => void,
): CaseResult[] {
  const path = args.writeBaseline!
  const existing = existsSync(path) ? readBaseline(path) : []
  const before = new Map(existing.map((b) => [failureKey(b), b]))
  const added = failures.filter((f) => !before.has(failureKey(f)))
  if (added.length > 0 && !args.acceptNewFailures) {
    for (const f of added) log(`NEW ${f.file} | ${f.test} | ${f.fork} | ${f.index} | ${f.reason ?? ''}`)
    log(
      `${args.suite}: not writing ${path}: ${added.length} failures are not in it (a baseline only shrinks; --accept-new-failures adds them)`,
    )
    return added
  }
  const kept = existing.filter((b) => !ran.has(failureKey(b)))
  const now = failures.map((f) => ({ ...f, reason: before.get(failureKey(f))?.reason ?? f.reason }))
  writeBaseline(path, [...kept, ...now])
  log(
    `${args.suite}: wrote ${path}: ${kept.length + now.length} entries (${existing.length - kept.length - (now.length - added.length)} removed, ${added.length} added)`,
  )
  return []
}

/**
 * Whether a run passes: no failure at all, or with a baseline no failure outside it and no
 * entry of it that passes now (a baseline only shrinks); never when --write-baseline refused.
 */
export function passes(args: Pick<CliArgs, 'baseline'>, summary: SuiteSummary): boolean {
  if (summary.refused.length > 0) return false
  if (args.baseline) return summary.unexpected === 0 && summary.fixed.length === 0
  return summary.failed === 0
}

/** True when a suite has a committed baseline. */
export function hasBaseline(suite: string): boolean {
  return existsSync(defaultBaselinePath(suite))
}
