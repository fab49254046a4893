export type { BreakpointSpec } from './breakpoints.js'
export type { SlotValues, StepCapture, TransientValues } from './capture.js'
export { captureStep } from './capture.js'
export { type Checkpoint, Engine, type EngineOptions, Pause, type RerunHooks } from './engine.js'
export { DebugSessionError, type DebugSessionErrorCode } from './errors.js'
export {
  type BytecodeInput,
  bytecodeCase,
  type StateTestSelector,
  stateTestCase,
  stateTestCases,
  type TransactionCase,
} from './input.js'
export type { CallView, Command, Request, Response, SessionInfo, StepSummary } from './protocol.js'
export { DebugSession, type SessionOptions } from './session.js'
export type { AccountDiff } from './state-diff.js'
export type {
  FrameView,
  LogView,
  ResultView,
  SlotView,
  StepView,
  TransferView,
  TransientView,
  ViewLimits,
} from './views.js'
