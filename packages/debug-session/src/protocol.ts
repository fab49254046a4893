import type { BreakpointSpec } from './breakpoints.js'
import type { DecodedArgument } from './source/abi.js'
import type { DecodedRevert } from './source/decode.js'
import type { ResultView } from './views.js'

/** Steps by opcode (the default) or by source line (needs sources). */
export type Granularity = 'opcode' | 'source'

/**
 * The command → view protocol. A client sends `{ id?, cmd, ...arguments }` and gets
 * `{ id, ok: true, result }` or `{ id, ok: false, error: { code, message, details? } }`.
 * Everything is plain JSON: numbers for steps, pcs and gas; 0x-hex strings for words,
 * addresses and bytes. Navigation commands answer with the {@link StepView} at the new position.
 */
export type Command =
  /** Session facts: total steps, result, calls, checkpoints, memory held → {@link SessionInfo}. */
  | { cmd: 'info' }
  /** The view at the current position. */
  | { cmd: 'view' }
  | { cmd: 'goto'; step: number }
  | { cmd: 'start' }
  | { cmd: 'end' }
  | { cmd: 'stepInto'; granularity?: Granularity }
  | { cmd: 'stepOver'; granularity?: Granularity }
  | { cmd: 'stepOut'; granularity?: Granularity }
  | { cmd: 'reverseStepInto'; granularity?: Granularity }
  | { cmd: 'reverseStepOver'; granularity?: Granularity }
  | { cmd: 'reverseStepOut'; granularity?: Granularity }
  /** To the next breakpoint match (or the end). */
  | { cmd: 'continue' }
  /** To the previous breakpoint match (or the start). */
  | { cmd: 'reverseContinue' }
  /** To the next / previous CALL or CREATE step. */
  | { cmd: 'nextCall' }
  | { cmd: 'previousCall' }
  /** To the step that caused the failure (see the README). */
  | { cmd: 'revert' }
  | { cmd: 'break'; breakpoint: BreakpointSpec }
  | { cmd: 'delete'; id: number }
  | { cmd: 'breakpoints' }
  /** Memory of the current frame: `{ offset, size, data }`. */
  | { cmd: 'memory'; offset: number; length: number }
  /** The current frame's code disassembled, instructions `from` .. `from + count`. */
  | { cmd: 'disassembly'; from?: number; count?: number }
  /** Every call with inclusive and exclusive gas → {@link CallView}[]. */
  | { cmd: 'callTree' }
  /** What the transaction changed, per account. */
  | { cmd: 'stateDiff' }
  /** EIP-3155 lines of steps [from, to). */
  | { cmd: 'trace'; from: number; to: number; memory?: boolean }
  /** Gas per step: {@link StepSummary} of steps from .. from + count. */
  | { cmd: 'steps'; from: number; count: number }
  /** The loaded sources: files (without text) and contracts → {@link SourcesInfo}. */
  | { cmd: 'sources' }
  /** One source file's text → {@link SourceText}. */
  | { cmd: 'source'; file: number }

export type Request = Command & { id?: number | string }

export type Response =
  | { id: number | string | null; ok: true; result: unknown }
  | {
      id: number | string | null
      ok: false
      error: { code: string; message: string; details?: Record<string, unknown> }
    }

export interface SessionInfo {
  label: string
  fork: string
  totalSteps: number
  calls: number
  checkpoints: number
  firstPassMs: number
  /** Estimated bytes held by the checkpoints, the index and the host log. */
  bytes: { checkpoints: number; index: number; hostLog: number }
  result: ResultView
}

/** One call or creation in the call tree (ids index the list; `children` are ids). */
export interface CallView {
  id: number
  parent: number
  depth: number
  kind: string
  from: string
  to: string
  codeAddress: string
  value: string
  gas: number
  /** Inclusive: everything it and its callees used. */
  gasUsed: number
  /** Its own share: `gasUsed` minus its callees' `gasUsed`. */
  exclusiveGas: number
  outcome: 'success' | 'revert' | 'halt'
  halt?: string
  precompile: boolean
  selector: string | undefined
  inputLength: number
  /** The first 1024 bytes of its output. */
  output: string
  outputLength: number
  createdAddress?: string
  /** Its CALL/CREATE step in the caller (-1 for the transaction's own). */
  callerStep: number
  firstStep: number
  endStep: number
  lastStep: number
  children: number[]
  /** The contract whose code ran (with sources). */
  contract?: string
  /** `name(types)` from the ABI selector, or `constructor`. */
  function?: string
  /** The arguments, by the ABI (when the whole input was kept). */
  args?: DecodedArgument[]
  /** Why it failed, decoded. */
  revert?: DecodedRevert
}

export interface SourcesInfo {
  files: { id: number; path: string; language: string; generated: boolean; lines: number }[]
  contracts: { name: string; path: string }[]
  /** Per call id: the contract its code matched, or why none did. */
  calls: { call: number; contract?: string; creation: boolean; reason?: string }[]
}

export interface SourceText {
  id: number
  path: string
  language: string
  generated: boolean
  content: string
}

export interface StepSummary {
  step: number
  depth: number
  pc: number
  op: number
  opName: string
  gas: number
  gasCost: number
}
