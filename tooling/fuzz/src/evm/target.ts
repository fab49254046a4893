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

function forkList(options: FuzzOptions): readonly EvmFork[] {
  if (options.fork === undefined) return EVM_FORKS
  const fork = EVM_FORKS.find((f) => f.toLowerCase() === options.fork!.toLowerCase())
  if (fork === undefined) throw new Error(`--fork: the EVM target runs ${EVM_FORKS.join(', ')}`)
  return [fork]
}

export async function runEvmTarget(options: FuzzOptions, log: (line: string) => void): Promise<Summary> {
  const forks = forkList(options)
  const allow = loadAllowList()
  const more = budget(options)
  const failures: Finding[] = []
  const explained: Finding[] = []
  const reached = { call: 0, create: 0, callOrCreate: 0, sstore: 0, log: 0, precompile: 0 }
  const outcomes: Record<string, number> = {}
  let steps = 0
  const start = performance.now()
  let i = 0
  let lastReport = start
  for (; more(i); i++) {
    const fork = forks[i % forks.length]!
    const seed = caseSeed(options.seed, i)
    const c = generateEvmCase(seed, fork)
    const reach: Reach = {
      call: false,
      create: false,
      sstore: false,
      log: false,
      precompile: false,
      steps: 0,
    }
    const r = await runEvmCase(c, reach)
    steps += reach.steps
    if (reach.call) reached.call++
    if (reach.create) reached.create++
    if (reach.call || reach.create) reached.callOrCreate++
    if (reach.sstore) reached.sstore++
    if (reach.log) reached.log++
    if (reach.precompile) reached.precompile++
    const o = r.crucible
    const key = o.valid ? (o.halt ?? 'Success') : `Rejected(${o.rejection?.split(':')[0]})`
    outcomes[key] = (outcomes[key] ?? 0) + 1

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
    if (!options.quiet && performance.now() - lastReport > 10_000) {
      lastReport = performance.now()
      const s = (lastReport - start) / 1000
      log(`  ${i + 1} programs, ${((i + 1) / s).toFixed(1)}/s, ${failures.length} unexplained`)
    }
  }
  const seconds = (performance.now() - start) / 1000
  const share = (n: number) => (i === 0 ? 0 : Math.round((1000 * n) / i) / 10)
  return {
    target: 'evm',
    seed: options.seed,
    inputs: i,
    seconds,
    perSecond: i / seconds,
    failures,
    explained,
    stats: {
      forks,
      reachPercent: {
        callOrCreate: share(reached.callOrCreate),
        call: share(reached.call),
        create: share(reached.create),
        sstore: share(reached.sstore),
        log: share(reached.log),
        precompile: share(reached.precompile),
      },
      outcomes,
      opcodesPerProgram: i === 0 ? 0 : Math.round(steps / i),
    },
  }
}
