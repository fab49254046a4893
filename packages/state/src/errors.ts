import { CrucibleError } from '@crucible/primitives'

/** Misuse of the world state (an unknown checkpoint, a snapshot mid-transaction) or bad input. */
export class StateError extends CrucibleError {
  override name = 'StateError'
  constructor(code: string, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}
