import { join } from 'node:path'
import type { FuzzOptions, Target } from './options.js'
import { TARGETS } from './options.js'

export const USAGE = `usage: pnpm fuzz <target> [options]

targets: evm, rlp, tx, block, proof, rpc

--seed N        run seed (default 1); input i is generated from (seed, i) alone
--count N       stop after N inputs (default 1000; unbounded when only --time is given)
--time S        stop after S seconds
--fork NAME     evm: only this fork (Cancun, Prague or Osaka; default all three in turn)
--out DIR       where reproducers of failures are written (default .cache/fuzz/<target>)
--start N       evm: first program index (default 0): go on where a run stopped
--workers N     evm: run in N worker processes (one per core at most), indexes split among them
--json FILE     write the run's summary as JSON
--input-ms N    decoder targets: an input slower than N ms is a hang (default 5000)
--quiet         no progress lines
`

export function parseArgs(argv: string[], cwd: string): { target: Target; options: FuzzOptions } {
  let target: string | undefined
  let count: number | undefined
  let time: number | undefined
  const options: Partial<FuzzOptions> = { seed: 1, quiet: false, inputMs: 5000 }
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1]
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`)
    return v
  }
  const integer = (text: string, flag: string): number => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: not a non-negative integer: ${text}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    switch (arg) {
      case '--seed':
        options.seed = integer(value(i++, arg), arg) >>> 0
        break
      case '--count':
        count = integer(value(i++, arg), arg)
        break
      case '--time':
        time = Number(value(i++, arg))
        if (!(time > 0)) throw new Error(`--time: not a positive number of seconds`)
        break
      case '--fork':
        options.fork = value(i++, arg)
        break
      case '--out':
        options.out = value(i++, arg)
        break
      case '--json':
        options.json = value(i++, arg)
        break
      case '--start':
        options.start = integer(value(i++, arg), arg)
        break
      case '--workers':
        options.workers = integer(value(i++, arg), arg)
        if (options.workers < 1) throw new Error('--workers: at least 1')
        break
      case '--input-ms':
        options.inputMs = integer(value(i++, arg), arg)
        break
      case '--quiet':
        options.quiet = true
        break
      case '--help':
      case '-h':
        throw new Error('help')
      default:
        if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`)
        if (target !== undefined) throw new Error(`one target only (got ${target} and ${arg})`)
        target = arg
    }
  }
  if (target === undefined) throw new Error('missing target')
  if (!(TARGETS as readonly string[]).includes(target)) throw new Error(`unknown target ${target}`)
  options.count = count ?? (time === undefined ? 1000 : Number.POSITIVE_INFINITY)
  options.time = time ?? Number.POSITIVE_INFINITY
  options.out ??= join(cwd, '.cache', 'fuzz', target)
  return { target: target as Target, options: options as FuzzOptions }
}
