/** Parsed command line of `pnpm conformance`. */
export interface CliArgs {
  suite: string
  paths: string[]
  fork?: string
  filter?: string
  json?: string
  baseline?: string
  writeBaseline?: string
  /** Let --write-baseline add failures that are not in the file yet. */
  acceptNewFailures?: boolean
  trace?: string
  store?: 'memory' | 'level'
  workers?: number
  timeoutSeconds: number
  quiet: boolean
}

export const USAGE = `usage: pnpm conformance <suite|all> [PATH...] [options]

suites: rlp, trie, tx, state, blockchain, rpc, tracers, capsule; "all" runs every implemented
suite with its committed baseline (tooling/conformance/baselines/<suite>.json), but capsule
(the capsule round trip of every blockchain fixture block: run it by name).

PATH            fixture files, folders or .tar.gz archives (default: the suite's part of ../shared/fixtures);
                each file is told by its content, and files of another format are counted
                and reported as set aside, never run as this suite nor dropped unsaid
--fork NAME     only cases of this fork (fixture spelling, e.g. ConstantinopleFix, or canonical, e.g. Petersburg)
--filter TEXT   only cases whose file or test name contains TEXT
--json FILE     write {suite, passed, failed, skipped, cases: [...]} to FILE
--baseline FILE exit 0 when every failure is listed in this known-failures file and every
                listed case that ran still fails (a baseline only shrinks)
--write-baseline FILE   rewrite this known-failures file: drop the entries that pass now, keep
                those that did not run; refuses to add a failure without --accept-new-failures
--accept-new-failures   let --write-baseline add failures (say why in each reason)
--trace FILE    write the EIP-3155 trace of the selected cases (state suite)
--store KIND    blockchain and rpc suites: memory (default) or level (the chain imported into a LevelDB
                database, reopened, and served from there)
--workers N     worker threads (default: all cores)
--timeout S     time bound of one case in seconds (default 120)
--quiet         no progress line
`

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { suite: '', paths: [], timeoutSeconds: 120, quiet: false }
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1]
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`)
    return v
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    switch (arg) {
      case '--fork':
        args.fork = value(i++, arg)
        break
      case '--filter':
        args.filter = value(i++, arg)
        break
      case '--json':
        args.json = value(i++, arg)
        break
      case '--baseline':
        args.baseline = value(i++, arg)
        break
      case '--write-baseline':
        args.writeBaseline = value(i++, arg)
        break
      case '--accept-new-failures':
        args.acceptNewFailures = true
        break
      case '--trace':
        args.trace = value(i++, arg)
        break
      case '--store': {
        const store = value(i++, arg)
        if (store !== 'memory' && store !== 'level') throw new Error('--store takes memory or level')
        args.store = store
        break
      }
      case '--workers':
        args.workers = Number.parseInt(value(i++, arg), 10)
        if (!(args.workers > 0)) throw new Error('--workers takes a positive number')
        break
      case '--timeout':
        args.timeoutSeconds = Number(value(i++, arg))
        if (!(args.timeoutSeconds > 0)) throw new Error('--timeout takes a positive number of seconds')
        break
      case '--quiet':
        args.quiet = true
        break
      case '-h':
      case '--help':
        throw new Error('help')
      default:
        if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`)
        if (!args.suite) args.suite = arg
        else args.paths.push(arg)
    }
  }
  if (!args.suite) throw new Error('no suite given')
  return args
}
