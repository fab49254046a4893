export {
  type HaltReason,
  type InvalidTransactionCode,
  InvalidTransactionError,
  Outcome,
} from './errors.js'
export type {
  AccessListEntry,
  Authorization,
  BlockEnv,
  Host,
  Log,
  TransactionInput,
} from './host.js'
export { analyzeCode, type CodeAnalysis } from './interpreter/analysis.js'
export { Context } from './interpreter/context.js'
export { CallKind, type FrameState, Message } from './interpreter/frame.js'
export {
  type ForkTable,
  forkTable,
  OPCODE_NAMES,
  OPCODES,
  type OpcodeInfo,
  type StaticGas,
} from './interpreter/tables.js'
export { executeMessage, type MessageResult } from './message/driver.js'
export { Eip3155Tracer, type TraceSummary } from './tracing/eip3155.js'
export type { EnterInfo, ExitInfo, Inspector } from './tracing/inspector.js'
export {
  type ProcessTransactionOptions,
  processTransaction,
  type TransactionResult,
} from './transaction/process.js'
export { type ValidatedTransaction, validateTransaction } from './transaction/validate.js'
