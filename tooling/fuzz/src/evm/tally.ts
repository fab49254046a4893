import type { Finding } from '../options.js'
import type { Outcome, Reach } from './crucible.js'
import type { EvmFork } from './model.js'

/**
 * What an EVM run counted, as plain numbers so that the tallies of parallel workers add up
 * exactly (`mergeTallies`); the shares in the summary are computed from the sums.
 */
export interface EvmTally {
  programs: number
  perFork: Record<string, number>
  /** Programs in which each behaviour was reached (Crucible's inspector hooks). */
  reached: {
    call: number
    create: number
    callOrCreate: number
    sstore: number
    log: number
    precompile: number
  }
  /** Top-level outcome: the halt reason, Success, Revert or Rejected(code). */
  outcomes: Record<string, number>
  /** Executed transactions whose top-level frame halted exceptionally (not STOP/RETURN/REVERT). */
  exceptionalHalts: number
  /** ... of which with fewer than {@link EARLY_HALT_STEPS} opcodes executed in the whole transaction. */
  earlyHalts: number
  /** Opcodes executed, all programs. */
  steps: number
}

/** An exceptional halt before this many opcodes ran counts as early: the program did little. */
export const EARLY_HALT_STEPS = 100

export function emptyTally(): EvmTally {
  return {
    programs: 0,
    perFork: {},
    reached: { call: 0, create: 0, callOrCreate: 0, sstore: 0, log: 0, precompile: 0 },
    outcomes: {},
    exceptionalHalts: 0,
    earlyHalts: 0,
    steps: 0,
  }
}

export function newReach(): Reach {
  return { call: false, create: false, sstore: false, log: false, precompile: false, steps: 0 }
}

/** Counts one program: what it reached and how Crucible's run of it ended. */
export function countProgram(t: EvmTally, fork: EvmFork, reach: Reach, o: Outcome): void {
  t.programs++
  t.perFork[fork] = (t.perFork[fork] ?? 0) + 1
  t.steps += reach.steps
  if (reach.call) t.reached.call++
  if (reach.create) t.reached.create++
  if (reach.call || reach.create) t.reached.callOrCreate++
  if (reach.sstore) t.reached.sstore++
  if (reach.log) t.reached.log++
  if (reach.precompile) t.reached.precompile++
  const key = o.valid ? (o.halt ?? 'Success') : `Rejected(${o.rejection?.split(':')[0]})`
  t.outcomes[key] = (t.outcomes[key] ?? 0) + 1
  if (o.valid && o.halt !== undefined && o.halt !== 'Revert') {
    t.exceptionalHalts++
    if (reach.steps < EARLY_HALT_STEPS) t.earlyHalts++
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
}

export function mergeTallies(tallies: readonly EvmTally[]): EvmTally {
  const t = emptyTally()
  for (const x of tallies) {
    t.programs += x.programs
    addCounts(t.perFork, x.perFork)
    addCounts(t.reached, x.reached)
    addCounts(t.outcomes, x.outcomes)
    t.exceptionalHalts += x.exceptionalHalts
    t.earlyHalts += x.earlyHalts
    t.steps += x.steps
  }
  return t
}

/** The summary's `stats`: shares in percent of all programs (one decimal), and the raw tally. */
export function tallyStats(t: EvmTally, forks: readonly EvmFork[]): Record<string, unknown> {
  const share = (n: number) => (t.programs === 0 ? 0 : Math.round((1000 * n) / t.programs) / 10)
  return {
    forks,
    perFork: t.perFork,
    reachPercent: {
      callOrCreate: share(t.reached.callOrCreate),
      call: share(t.reached.call),
      create: share(t.reached.create),
      sstore: share(t.reached.sstore),
      log: share(t.reached.log),
      precompile: share(t.reached.precompile),
    },
    haltPercent: { exceptional: share(t.exceptionalHalts), early: share(t.earlyHalts) },
    outcomes: t.outcomes,
    opcodesPerProgram: t.programs === 0 ? 0 : Math.round(t.steps / t.programs),
    tally: t,
  }
}

/** Which programs of a run this process runs: indexes `index`, `index + of`, `index + 2 * of`, ... */
export interface Shard {
  index: number
  of: number
}

/** What one shard of a run found and counted (workers send it to the parent as it is). */
export interface ShardResult {
  /** The next program index this shard would have run. */
  next: number
  tally: EvmTally
  failures: Finding[]
  explained: Finding[]
  seconds: number
  cpuSeconds: number
}
