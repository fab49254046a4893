export type { BreakpointSpec } from './breakpoints.js'
export { capsuleCase } from './capsule-input.js'
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
export { bindingOfKey, KEYS, type KeyBinding, STEP_COMMANDS } from './keys.js'
export type { Instruction, MemoryRange } from './opcodes.js'
export type {
  CallView,
  Command,
  Granularity,
  Request,
  Response,
  SessionInfo,
  SourcesInfo,
  SourceText,
  StepSummary,
} from './protocol.js'
export { DebugSession, type SessionOptions } from './session.js'
export type { AbiItem, AbiParameter, AbiValue, DecodedArgument } from './source/abi.js'
export { decodeEvent, decodeParameters, selectorOf, signature, topicOf } from './source/abi.js'
export type { CodeArtifact, CodeMatch, ContractInfo, FunctionRange, SourceFile } from './source/artifacts.js'
export { loadSources, matchCode, type Sources, type SourcesJson } from './source/artifacts.js'
export type { DecodedCall, DecodedEvent, DecodedRevert } from './source/decode.js'
export { decodeRevert } from './source/decode.js'
export type { SourceView } from './source/level.js'
export { decodeSourceMap, JUMP_IN, JUMP_NONE, JUMP_OUT, type SourceMap } from './source/source-map.js'
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
