import type { Outcome } from './crucible.js'

/**
 * The fields compared, in the order a divergence is named by: validity first (both accept or
 * both refuse), then, for an executed transaction, status, gas used, output, logs and the
 * post-state root; a refused transaction must leave the pre-state root on both sides.
 */
export const COMPARED = ['valid', 'status', 'gasUsed', 'output', 'logs', 'stateRoot'] as const
export type ComparedField = (typeof COMPARED)[number]

/** The fields on which two outcomes differ (empty when they agree). */
export function diffOutcomes(a: Outcome, b: Outcome): ComparedField[] {
  const out: ComparedField[] = []
  for (const f of COMPARED) if (a[f] !== b[f]) out.push(f)
  return out
}
