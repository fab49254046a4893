import type { FrameState } from '../interpreter/frame.js'

/** A message about to run (a call, a creation, or a precompile call). */
export interface EnterInfo {
  /** 'CALL' | 'CALLCODE' | 'DELEGATECALL' | 'STATICCALL' | 'CREATE' | 'CREATE2'. */
  readonly type: string
  readonly depth: number
  readonly from: bigint
  readonly to: bigint
  readonly codeAddress: bigint
  readonly value: bigint
  readonly input: Uint8Array
  readonly gas: number
  readonly isStatic: boolean
  /** True when a precompile handles it (no `step` events follow). */
  readonly precompile: boolean
}

/** A message's outcome. */
export interface ExitInfo {
  readonly depth: number
  readonly success: boolean
  readonly gasLeft: number
  readonly gasUsed: number
  readonly output: Uint8Array
  /** Halt reason when it failed ('Revert' for REVERT). */
  readonly error: string | undefined
  /** The created address, for a successful creation. */
  readonly createdAddress: bigint | undefined
}

/**
 * Observes execution. Every hook is optional; the interpreter checks once per opcode whether an
 * inspector is attached, so none costs nothing.
 */
export interface Inspector {
  /** Before each opcode; `frame.gas` is the gas before the opcode is charged. */
  step?(frame: FrameState): void
  /** A message starts (the transaction's own message at depth 0, then each CALL/CREATE). */
  enter?(info: EnterInfo): void
  /** A message ended. */
  exit?(info: ExitInfo): void
}
