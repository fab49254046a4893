import { type CliArgs, parseArgs, USAGE } from './args.js'
import { isImplemented } from './load.js'
import { defaultBaselinePath, hasBaseline, passes, runSuite } from './run.js'
import { SLICED_SUITES, SUITE_NAMES } from './suites/registry.js'

async function main(): Promise<number> {
  let args: CliArgs
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (error) {
    const message = (error as Error).message
    if (message !== 'help') process.stderr.write(`${message}\n`)
    process.stderr.write(USAGE)
    return message === 'help' ? 0 : 2
  }
  const log = (line: string) => process.stdout.write(`${line}\n`)

  if (args.suite === 'all') {
    // The main job: every implemented suite over its default fixtures, against its baseline.
    let failures = 0
    const totals = { passed: 0, failed: 0, skipped: 0 }
    for (const suite of SUITE_NAMES) {
      if (SLICED_SUITES.includes(suite)) {
        log(`${suite}: run by name for the full run (its unit test runs CI's slice)`)
        continue
      }
      if (!isImplemented(suite)) {
        log(`${suite}: suite not implemented yet`)
        continue
      }
      const suiteArgs: CliArgs = {
        ...args,
        suite,
        paths: [],
        baseline: hasBaseline(suite) ? defaultBaselinePath(suite) : undefined,
        json: undefined,
      }
      const summary = await runSuite(suiteArgs, log)
      if (!summary) continue
      totals.passed += summary.passed
      totals.failed += summary.failed
      totals.skipped += summary.skipped
      if (!passes(suiteArgs, summary)) failures++
    }
    log(`all: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
    return failures === 0 ? 0 : 1
  }

  if (!(SUITE_NAMES as readonly string[]).includes(args.suite) && !/\.[jt]s$/.test(args.suite)) {
    process.stderr.write(`unknown suite ${args.suite}\n${USAGE}`)
    return 2
  }
  const summary = await runSuite(args, log)
  if (!summary) return 2
  return passes(args, summary) ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 2
  },
)
