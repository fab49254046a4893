import { writeFileSync } from 'node:fs'
import { parseArgs, USAGE } from './args.js'
import { runTarget } from './targets.js'

/** `pnpm fuzz <target>`: exit 0 when the run found nothing unexplained, 1 otherwise, 2 on bad use. */
async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>
  try {
    // pnpm runs root scripts from the workspace root; INIT_CWD is where the user typed it.
    parsed = parseArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd())
  } catch (error) {
    const message = (error as Error).message
    if (message !== 'help') process.stderr.write(`${message}\n`)
    process.stderr.write(USAGE)
    return message === 'help' ? 0 : 2
  }
  const { target, options } = parsed
  const log = (line: string) => process.stdout.write(`${line}\n`)
  let summary: Awaited<ReturnType<typeof runTarget>>
  try {
    summary = await runTarget(target, options, log)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    return 2
  }
  log(
    `${target}: ${summary.inputs} inputs in ${summary.seconds.toFixed(1)} s (${summary.perSecond.toFixed(1)}/s` +
      (summary.cpuSeconds === undefined
        ? ''
        : `; ${summary.cpuSeconds.toFixed(1)} CPU-s, ${summary.perCpuSecond?.toFixed(1)}/CPU-s`) +
      `), seed ${summary.seed}; ` +
      `${summary.failures.length} unexplained, ${summary.explained.length} explained`,
  )
  const { tally: _tally, ...stats } = summary.stats
  log(JSON.stringify(stats))
  for (const f of summary.failures)
    log(`FAIL ${f.kind} (input ${f.index}, seed ${f.seed}): ${f.message}${f.file ? ` -> ${f.file}` : ''}`)
  if (options.json) writeFileSync(options.json, `${JSON.stringify(summary, null, 2)}\n`)
  return summary.failures.length === 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exit(2)
  },
)
