import { loadAllowList, matchEvm } from '../allowlist.js'
import { budget, type Finding, type FuzzOptions, type Summary, writeReproducer } from '../options.js'
import { caseSeed } from '../random.js'
import { type ListPath, shrink } from '../shrink.js'
import { buildCase } from './build.js'
import { diffOutcomes } from './compare.js'
import { type Outcome, type Reach, runCrucible } from './crucible.js'
import { runEthereumjs } from './ethereumjs.js'
import { generateEvmCase, SENDER } from './generate.js'
import { EVM_FORKS, type EvmCase, type EvmFork, type Snippet } from './model.js'
import {
  countProgram,
  emptyTally,
  mergeTallies,
  newReach,
  type Shard,
  type ShardResult,
  tallyStats,
} from './tally.js'
import { runShardsInWorkers } from './workers.js'

const SENDER_ADDRESS = `0x${SENDER.toString(16).padStart(40, '0')}`

/** Both engines on one case, and the fields on which they differ. */
export async function runEvmCase(
  c: EvmCase,
  reach?: Reach,
): Promise<{ crucible: Outcome; ethereumjs: Outcome; fields: string[] }> {
  const built = buildCase(c)
  let crucible: Outcome
  try {
    crucible = runCrucible(built, c.block, c.fork, reach)
  } catch (error) {
    // An untyped throw is a Crucible crash: it never matches the reference.
    crucible = { valid: false, rejection: `CRASH: ${String(error)}`, stateRoot: 'crash' }
  }
  const ethereumjs = await runEthereumjs(built, c.block, c.fork)
  return { crucible, ethereumjs, fields: diffOutcomes(crucible, ethereumjs) }
}

/** The snippet kinds in a case (allow-list matching, generator statistics). */
export function snippetKinds(c: EvmCase): Set<string> {
  const kinds = new Set<string>()
  const walk = (list: Snippet[] | undefined) => {
    for (const s of list ?? []) {
      kinds.add(s.k)
      walk(s.c)
      walk(s.r)
    }
  }
  for (const a of c.accounts) walk(a.code)
  if (c.tx.init) walk([c.tx.init])
  kinds.add(`tx-${c.tx.type}`)
  return kinds
}

/** Every list the shrinker may cut: snippets (nested too), accounts but the sender, tx lists. */
export function shrinkableLists(c: EvmCase): ListPath[] {
  const paths: ListPath[] = []
  const walk = (list: Snippet[], path: ListPath) => {
    paths.push(path)
    list.forEach((s, i) => {
      if (s.c) walk(s.c, [...path, i, 'c'])
      if (s.r) walk(s.r, [...path, i, 'r'])
    })
  }
  // Accounts first: dropping a whole contract is the biggest cut.
  paths.push(['accounts'])
  c.accounts.forEach((a, i) => {
    if (a.code) walk(a.code, ['accounts', i, 'code'])
    paths.push(['accounts', i, 'storage'])
  })
  paths.push(['tx', 'accessList'], ['tx', 'authorizations'], ['tx', 'blobVersionedHashes'])
  if (c.tx.init) {
    if (c.tx.init.c) walk(c.tx.init.c, ['tx', 'init', 'c'])
    if (c.tx.init.r) walk(c.tx.init.r, ['tx', 'init', 'r'])
  }
  return paths
}

/** The sender stays: without it every transaction is refused, a different case. */
export const keepsSender = (c: EvmCase): boolean => c.accounts[0]?.address === SENDER_ADDRESS

/** Shrinks a diverging case to a minimal one that still diverges on the same first field. */
export async function shrinkEvmCase(c: EvmCase, field: string, maxMs: number) {
  return shrink(c, {
    lists: shrinkableLists,
    keep: keepsSender,
    fails: async (candidate) => {
      const r = await runEvmCase(candidate)
      return r.fields[0] === field
    },
    maxMs,
  })
}

export function forkList(options: FuzzOptions): readonly EvmFork[] {
  if (options.fork === undefined) return EVM_FORKS
  const fork = EVM_FORKS.find((f) => f.toLowerCase() === options.fork!.toLowerCase())
  if (fork === undefined) throw new Error(`--fork: the EVM target runs ${EVM_FORKS.join(', ')}`)
  return [fork]
}

/**
 * Runs the programs of one shard. Program `i` is generated from `caseSeed(seed, i)` at fork
 * `forks[i % forks.length]` whatever the shard, so a run split over workers covers exactly the
 * programs of the same run in one process (up to where the time bound stops each worker).
 */
export async function runEvmShard(
  options: FuzzOptions,
  shard: Shard,
  log: (line: string) => void,
  progress?: (done: number, failures: number) => void,
): Promise<ShardResult> {
  const forks = forkList(options)
  const allow = loadAllowList()
  const more = budget(options)
  const failures: Finding[] = []
  const explained: Finding[] = []
  const tally = emptyTally()
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  let lastReport = start
  const first = options.start ?? 0
  let i = first + shard.index
  for (; more(i - first); i += shard.of) {
    const fork = forks[i % forks.length]!
    const seed = caseSeed(options.seed, i)
    const c = generateEvmCase(seed, fork)
    const reach = newReach()
    const r = await runEvmCase(c, reach)
    countProgram(tally, fork, reach, r.crucible)

    if (r.fields.length > 0) {
      const field = r.fields[0]!
      log(`divergence: case ${i} (seed ${seed}, ${fork}) on ${r.fields.join(', ')}; shrinking`)
      const shrunk = await shrinkEvmCase(c, field, 120_000)
      const final = await runEvmCase(shrunk.value)
      const facts = {
        fork,
        fields: final.fields,
        kinds: snippetKinds(shrunk.value),
        txType: shrunk.value.tx.type,
      }
      const entry = matchEvm(allow, facts)
      const file = writeReproducer(options.out, `evm-${options.seed}-${i}-${fork}`, {
        target: 'evm',
        runSeed: options.seed,
        index: i,
        seed,
        fork,
        fields: final.fields,
        crucible: final.crucible,
        ethereumjs: final.ethereumjs,
        codes: buildCase(shrunk.value).codes,
        shrink: { trials: shrunk.trials, removed: shrunk.removed },
        case: shrunk.value,
      })
      const finding: Finding = {
        index: i,
        seed,
        kind: `evm:${final.fields.join(',')}`,
        message: `${fork} diverges on ${final.fields.join(', ')}`,
        file,
      }
      if (entry) explained.push({ ...finding, explained: `${entry.id}: ${entry.reason}` })
      else failures.push(finding)
      log(`  -> ${file}${entry ? ` (explained: ${entry.id})` : ' (UNEXPLAINED)'}`)
    }
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now()
      progress?.(tally.programs, failures.length)
      if (!options.quiet && progress === undefined) {
        const s = (lastReport - start) / 1000
        log(
          `  ${tally.programs} programs, ${(tally.programs / s).toFixed(1)}/s, ${failures.length} unexplained`,
        )
      }
    }
  }
  const cpu = process.cpuUsage(cpuStart)
  return {
    next: i,
    tally,
    failures,
    explained,
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }
}

/** The run's summary from its shards' results. */
export function evmSummary(options: FuzzOptions, results: readonly ShardResult[], seconds: number): Summary {
  const tally = mergeTallies(results.map((r) => r.tally))
  const cpuSeconds = results.reduce((sum, r) => sum + r.cpuSeconds, 0)
  return {
    target: 'evm',
    seed: options.seed,
    inputs: tally.programs,
    seconds,
    perSecond: tally.programs / seconds,
    cpuSeconds,
    perCpuSecond: tally.programs / cpuSeconds,
    failures: results.flatMap((r) => r.failures),
    explained: results.flatMap((r) => r.explained),
    stats: {
      workers: results.length,
      // Every program index in [start, through) ran (a time bound stops each worker where it
      // is, so up to workers - 1 programs past `through` ran too).
      indexes: { start: options.start ?? 0, through: Math.min(...results.map((r) => r.next)) },
      ...tallyStats(tally, forkList(options)),
    },
  }
}

export async function runEvmTarget(options: FuzzOptions, log: (line: string) => void): Promise<Summary> {
  const workers = options.workers ?? 1
  if (workers > 1) {
    const { results, seconds } = await runShardsInWorkers(options, workers, log)
    return evmSummary(options, results, seconds)
  }
  const result = await runEvmShard(options, { index: 0, of: 1 }, log)
  return evmSummary(options, [result], result.seconds)
}
