import {
  type Capsule,
  type CapsuleTransactionSelector,
  findCapsuleError,
  openCapsuleTransaction,
} from '@crucible/capsule'
import { bytesToHex } from '@crucible/primitives'
import { DebugSessionError } from './errors.js'
import type { TransactionCase } from './input.js'

/**
 * A case from an execution capsule (its bytes, or decoded): a call capsule's call, a
 * transaction capsule's transaction, or one transaction of a block capsule picked by `index`
 * or `hash` (needed when the block has several). The block's opening system calls and the
 * transactions before it run here, once; the session starts right before the chosen one. The
 * state is the capsule's, as strict as in replay: a read outside the capsule fails the first
 * pass with the capsule's `OUTSIDE_CAPSULE` error.
 */
export async function capsuleCase(
  capsule: Capsule | Uint8Array,
  select: CapsuleTransactionSelector = {},
): Promise<TransactionCase> {
  try {
    const t = await openCapsuleTransaction(capsule, select)
    const label =
      t.index === undefined
        ? `capsule call at block ${t.env.number}`
        : `capsule block ${t.env.number} tx ${t.index} of ${t.count} ${bytesToHex(t.hash!).slice(0, 10)}`
    return { state: t.state, tx: t.tx, block: t.env, rules: t.rules, fork: t.rules.name, label }
  } catch (error) {
    const found = findCapsuleError(error)
    if (found)
      throw new DebugSessionError('BAD_INPUT', `Capsule: ${found.shortMessage}`, {
        capsuleError: found.code,
        ...(found.details as Record<string, unknown>),
      })
    throw error
  }
}
