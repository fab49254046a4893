import { CrucibleError } from '@crucible/primitives'

/**
 * Codes of {@link DebugSessionError}: `INVALID_TRANSACTION` (the EVM refuses the transaction,
 * so there is nothing to step through), `BAD_INPUT` (a case that cannot be built: unknown test
 * name, fork or index, bad hex), `BAD_COMMAND` (an unknown command or bad arguments),
 * `UNKNOWN_BREAKPOINT`, `NO_REVERT`, `INTERNAL` (a re-run that disagrees with the first pass: a
 * bug, reported rather than shown wrong).
 */
export type DebugSessionErrorCode =
  | 'INVALID_TRANSACTION'
  | 'BAD_INPUT'
  | 'BAD_COMMAND'
  | 'UNKNOWN_BREAKPOINT'
  | 'NO_REVERT'
  | 'INTERNAL'

export class DebugSessionError extends CrucibleError<Record<string, unknown>> {
  override name = 'DebugSessionError'
  declare readonly code: DebugSessionErrorCode
  constructor(code: DebugSessionErrorCode, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}
