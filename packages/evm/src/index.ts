// Defined in @crucible/evm-types (so a Host implementation needs no interpreter); re-exported
// for users of this package.
export type {
  AccessListEntry,
  Authorization,
  BlockEnv,
  Host,
  Log,
  TransactionInput,
} from '@crucible/evm-types'
export { type HaltReason, MachineSnapshotError, Outcome } from './errors.js'
export { analyzeCode, type CodeAnalysis } from './interpreter/analysis.js'
export { Context } from './interpreter/context.js'
export { type FrameSnapshot, type FrameState, MEMORY_PAGE } from './interpreter/frame.js'
export {
  type AbortReason,
  type ExecutionAbortedDetails,
  ExecutionAbortedError,
  type ExecutionLimits,
} from './interpreter/limits.js'
export type { GasParam } from './interpreter/tables.js'
export {
  type ForkTable,
  forkTable,
  OPCODE_NAMES,
  OPCODES,
  type OpcodeInfo,
  type StaticGas,
} from './interpreter/tables.js'
export { executeMessage, type MessageResult } from './message/driver.js'
export { captureMachine, type MachineSnapshot } from './message/machine.js'
export {
  CALL_KIND_NAMES,
  CallKind,
  type CallMessageFields,
  type CreateMessageFields,
  callMessage,
  createMessage,
  type Message,
} from './message/message.js'
export {
  DEFAULT_BLOCK,
  DEFAULT_FORK,
  DEFAULT_GAS,
  type RunOptions,
  type RunResult,
  runCall,
  runCode,
} from './run.js'
export { Eip3155Tracer, type TraceSummary } from './tracing/eip3155.js'
export type { EnterInfo, ExitInfo, Inspector } from './tracing/inspector.js'
export { type BlockUsage, type CheckedTransaction, checkTransaction } from './transaction/check.js'
export {
  type PreparedTransaction,
  type ProcessTransactionOptions,
  prepareTransaction,
  processTransaction,
  type RunPreparedOptions,
  runPreparedTransaction,
  type TransactionResult,
} from './transaction/process.js'
export { processSystemCall, type SystemCallOptions, type SystemCallResult } from './transaction/system.js'
