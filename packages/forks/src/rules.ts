import { CrucibleError } from '@crucible/primitives'
import { FORK_EIPS, FORK_REMOVED_EIPS } from './eips.js'
import { FORK_NAMES, type ForkId, type ForkName, isForkName } from './fork.js'
import { type BlobParams, FORK_PARAMS, type ForkParams } from './params.js'

/**
 * The rule set of one fork: an immutable value, built once per fork and shared. Behaviour an
 * EIP brought is gated by that EIP, `rules.isActive(2929)`; `rules.gte(Fork.Paris)` is for what
 * no EIP owns (the merge, block rewards, which header fields exist). Numbers come from
 * `rules.params`.
 */
export interface ForkRules {
  readonly name: ForkName
  /** Position in {@link FORK_NAMES}. */
  readonly id: ForkId
  /** Every EIP in force. */
  readonly eips: ReadonlySet<number>
  readonly params: ForkParams
  /** True when `eip` is in force. */
  isActive(eip: number): boolean
  /** True when this fork is `fork` or later (for what is not an EIP; see {@link ForkRules}). */
  gte(fork: ForkId): boolean
}

/** An unknown fork name, or a fork asked of a chain that does not define it. */
export class ForkError extends CrucibleError<{ fork: string; reason: string }> {
  override name = 'ForkError'
  constructor(reason: string, fork: string) {
    super('UNKNOWN_FORK', `Unknown fork: ${reason}`, { fork, reason })
  }
}

const RULES: readonly ForkRules[] = /* @__PURE__ */ (() => {
  const out: ForkRules[] = []
  const eips = new Set<number>()
  FORK_NAMES.forEach((name, id) => {
    for (const eip of FORK_EIPS[name]) eips.add(eip)
    for (const eip of FORK_REMOVED_EIPS[name] ?? []) eips.delete(eip)
    const own = new Set(eips)
    const rules: ForkRules = {
      name,
      id: id as ForkId,
      eips: own,
      params: FORK_PARAMS[id]!,
      isActive: (eip) => own.has(eip),
      gte: (fork) => id >= fork,
    }
    out.push(Object.freeze(rules))
  })
  return Object.freeze(out)
})()

/** The rules of a fork, by name or id. */
export function getForkRules(fork: ForkName | ForkId): ForkRules {
  if (typeof fork === 'number') {
    const rules = RULES[fork]
    if (!rules) throw new ForkError('no fork has this id', String(fork))
    return rules
  }
  if (!isForkName(fork)) throw new ForkError('not a fork name', String(fork))
  return RULES[FORK_NAMES.indexOf(fork)]!
}

/**
 * The same rules with the blob parameters replaced, for chains whose `blobSchedule` differs
 * from mainnet's. The result is a new frozen value; the shared rules are never changed.
 */
export function withBlobParams(rules: ForkRules, blob: BlobParams | undefined): ForkRules {
  const current = rules.params.blob
  if (
    blob === current ||
    (blob &&
      current &&
      blob.target === current.target &&
      blob.max === current.max &&
      blob.baseFeeUpdateFraction === current.baseFeeUpdateFraction)
  )
    return rules
  const params = Object.freeze({ ...rules.params, blob: blob && Object.freeze({ ...blob }) })
  return Object.freeze({ ...rules, params })
}
