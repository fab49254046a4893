import { CrucibleError } from '@crucible/primitives'

/** Why a chain cannot be set up or read: not about one block (that is a `BlockError`). */
export type ChainErrorCode = 'GENESIS_MISMATCH' | 'NO_GENESIS_STATE' | 'STATE_NOT_KEPT'

/** A chain that cannot be opened as asked (a store holding another chain), or a state that is not kept. */
export class ChainError extends CrucibleError {
  override name = 'ChainError'
  declare readonly code: ChainErrorCode
  constructor(code: ChainErrorCode, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}
