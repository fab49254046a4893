import { CrucibleError } from '@crucible/primitives'
import { loadAllowList, matchDecoder } from '../allowlist.js'
import { budget, type Finding, type FuzzOptions, type Summary, writeReproducer } from '../options.js'
import { caseSeed, Random } from '../random.js'
import { shrink } from '../shrink.js'
import { toHex } from './inputs.js'

/** What a decoder target checks for one input: nothing (undefined) or a problem. */
export interface Problem {
  /** A stable name: 'crash', 'roundtrip', 'differential', ... */
  kind: string
  message: string
}

export interface DecoderTarget {
  name: 'rlp' | 'tx' | 'block' | 'proof' | 'rpc'
  /** Called once: loads the fixtures' valid inputs. */
  prepare(): Promise<void> | void
  /** The input of case `r` (its own PRNG). */
  input(r: Random): Uint8Array
  /** Checks one input; resolves to the first problem found. */
  check(input: Uint8Array): Promise<Problem | undefined> | Problem | undefined
  /** Statistics the target keeps (outcome counts). */
  stats(): Record<string, unknown>
}

/**
 * Runs `fn`, turning a throw into a problem unless it is a typed {@link CrucibleError}: the
 * decoders' promise is "a value or a CrucibleError", never a TypeError or a RangeError.
 */
export function typed<T>(
  what: string,
  fn: () => T,
): { value: T } | { error: CrucibleError } | { problem: Problem } {
  try {
    return { value: fn() }
  } catch (error) {
    if (error instanceof CrucibleError) return { error }
    const e = error as Error
    return {
      problem: {
        kind: 'crash',
        message: `${what}: untyped ${e?.name ?? typeof error}: ${String(e?.message ?? error).slice(0, 300)}`,
      },
    }
  }
}

/** Reproducers per finding kind and run (the rest are only counted). */
const MAX_REPRODUCERS_PER_KIND = 3
/** Inputs larger than this are written as they are, not shrunk. */
const MAX_SHRINK_BYTES = 4096

export async function runDecoderTarget(
  target: DecoderTarget,
  options: FuzzOptions,
  log: (line: string) => void,
): Promise<Summary> {
  await target.prepare()
  const allow = loadAllowList()
  const more = budget(options)
  const failures: Finding[] = []
  const explained: Finding[] = []
  const perKind = new Map<string, number>()
  const byKind: Record<string, number> = {}
  let slowest = 0
  let bytes = 0
  const start = performance.now()
  let lastReport = start
  let i = 0
  for (; more(i); i++) {
    if (!options.quiet && performance.now() - lastReport > 10_000) {
      lastReport = performance.now()
      log(
        `  ${i} inputs, ${(i / ((lastReport - start) / 1000)).toFixed(0)}/s, ${failures.length} unexplained`,
      )
    }
    const seed = caseSeed(options.seed, i)
    const input = target.input(new Random(seed))
    bytes += input.length
    const t0 = performance.now()
    let problem = await target.check(input)
    const ms = performance.now() - t0
    if (ms > slowest) slowest = ms
    if (problem === undefined && ms > options.inputMs)
      problem = {
        kind: 'hang',
        message: `${input.length} bytes took ${ms.toFixed(0)} ms (bound ${options.inputMs} ms)`,
      }
    if (problem === undefined) continue

    const entry = matchDecoder(allow, target.name, problem.kind, problem.message)
    byKind[problem.kind] = (byKind[problem.kind] ?? 0) + 1
    const finding: Finding = { index: i, seed, kind: problem.kind, message: problem.message }
    const seen = perKind.get(problem.kind) ?? 0
    perKind.set(problem.kind, seen + 1)
    if (seen < MAX_REPRODUCERS_PER_KIND) {
      let minimal = input
      if (input.length <= MAX_SHRINK_BYTES && problem.kind !== 'hang') {
        const kind = problem.kind
        const result = await shrink(
          { bytes: Array.from(input) },
          {
            lists: () => [['bytes']],
            fails: async (v) => (await target.check(Uint8Array.from(v.bytes)))?.kind === kind,
            maxMs: 20_000,
          },
        )
        minimal = Uint8Array.from(result.value.bytes)
      }
      finding.file = writeReproducer(options.out, `${target.name}-${options.seed}-${i}-${problem.kind}`, {
        target: target.name,
        runSeed: options.seed,
        index: i,
        seed,
        kind: problem.kind,
        message: (await target.check(minimal))?.message ?? problem.message,
        input: minimal.length <= 1 << 16 ? toHex(minimal) : undefined,
        inputLength: minimal.length,
        original: input.length <= 1 << 16 ? toHex(input) : undefined,
        explained: entry?.id,
      })
    }
    if (entry) explained.push({ ...finding, explained: `${entry.id}: ${entry.reason}` })
    else {
      failures.push(finding)
      if (!options.quiet) log(`  ${target.name}: ${problem.kind} at input ${i}: ${problem.message}`)
    }
  }
  const seconds = (performance.now() - start) / 1000
  return {
    target: target.name,
    seed: options.seed,
    inputs: i,
    seconds,
    perSecond: i / seconds,
    failures,
    explained,
    stats: {
      ...target.stats(),
      findings: byKind,
      slowestMs: Math.round(slowest),
      megabytes: Math.round(bytes / 1e5) / 10,
    },
  }
}
