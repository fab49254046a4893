export const SUITES = [
  'evm',
  'keccak',
  'trie',
  'tx',
  'precompiles',
  'dispatch',
  'rlp',
  'import',
  'tracers',
  'rpc-load',
  'devnode',
] as const
/** What `--suite all` runs: everything but the slow block import, tracing cost and RPC load (minutes). */
const ALL_SUITES: readonly SuiteName[] = SUITES.filter(
  (s) => s !== 'import' && s !== 'tracers' && s !== 'rpc-load' && s !== 'devnode',
)
export type SuiteName = (typeof SUITES)[number]

export type CliArgs = {
  manifestDir: string | undefined
  filter: RegExp | undefined
  runs: number | undefined
  json: string | undefined
  markdown: string | undefined
  suites: SuiteName[]
  engines: string[] | undefined
  quick: boolean
  help: boolean
}

export const USAGE = `usage: pnpm bench [MANIFEST_DIR] [options]

  MANIFEST_DIR        benchmark data folder with manifest.json (default: ../shared/bench from the repo root)
  --suite NAME        evm | keccak | trie | tx | precompiles | dispatch | rlp | import | tracers | rpc-load |
                      devnode | all (all but import, tracers, rpc-load, devnode; default: evm)
  --filter RE         only EVM inputs whose "benchmark/input" matches RE
  --runs N            timed samples per engine per input (default 7; 3 with --quick)
  --engines LIST      comma-separated EVM engines: crucible,ethereumjs (default: both),
                      crucible-metered (under the sandbox's execution limits)
  --json FILE         write the EVM results as JSON
  --markdown FILE     write the EVM table as a Markdown table
  --quick             fewer/shorter samples (smoke run)
  -h, --help          this text`

/** Parses the command line (without node and the script). Throws on bad input. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    manifestDir: undefined,
    filter: undefined,
    runs: undefined,
    json: undefined,
    markdown: undefined,
    suites: ['evm'],
    engines: undefined,
    quick: false,
    help: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag = arg, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined]
    const value = () => {
      if (inline !== undefined) return inline
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--filter':
        args.filter = new RegExp(value())
        break
      case '--runs': {
        const n = Number(value())
        if (!Number.isInteger(n) || n < 1) throw new Error('--runs must be a positive integer')
        args.runs = n
        break
      }
      case '--json':
        args.json = value()
        break
      case '--markdown':
        args.markdown = value()
        break
      case '--suite': {
        const v = value()
        if (v === 'all') args.suites = [...ALL_SUITES]
        else {
          const names = v.split(',')
          for (const n of names)
            if (!(SUITES as readonly string[]).includes(n))
              throw new Error(`unknown suite ${n} (${SUITES.join(', ')}, all)`)
          args.suites = names as SuiteName[]
        }
        break
      }
      case '--engines':
        args.engines = value().split(',')
        break
      case '--quick':
        args.quick = true
        break
      case '-h':
      case '--help':
        args.help = true
        break
      case '--':
        break
      default:
        if (flag.startsWith('-')) throw new Error(`unknown option ${flag}`)
        if (args.manifestDir !== undefined) throw new Error(`unexpected argument ${flag}`)
        args.manifestDir = flag
    }
  }
  return args
}
