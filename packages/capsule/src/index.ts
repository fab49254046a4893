export {
  CAPSULE_MAGIC,
  CAPSULE_VERSION,
  capsuleHash,
  capsuleId,
  decodeCapsule,
  encodeCapsule,
  encodeDiff,
  encodeLogs,
} from './codec.js'
export {
  CapsuleError,
  type CapsuleErrorCode,
  findCapsuleError,
  findExecutionAborted,
  outsideCapsule,
} from './errors.js'
export { applyOverrides } from './execute.js'
export {
  type CapsuleTransaction,
  type CapsuleTransactionSelector,
  openCapsuleTransaction,
} from './prepare.js'
export {
  type RecordBlockOptions,
  type RecordCallOptions,
  type RecordSource,
  recordBlock,
  recordCall,
} from './record.js'
export {
  type Mismatch,
  type ReplayOptions,
  type ReplayReport,
  replayCapsule,
  replayVerifiedCapsule,
} from './replay.js'
export { capsuleRules, chainOfCapsule } from './rules.js'
export type {
  AccountEntry,
  AccountFields,
  BlockInput,
  BlockOutcome,
  CallInput,
  CallOutcome,
  CallOverride,
  Capsule,
  CapsuleInput,
  CapsuleMode,
  CapsuleOutcome,
  CapsuleRules,
  DiffEntry,
  PostAccount,
  PreState,
  SlotEntry,
  TransactionCapsuleInput,
} from './types.js'
export {
  type CapsuleFromWitnessOptions,
  capsuleFromWitness,
  type ExecutionWitness,
  type ExecutionWitnessJson,
  witnessFromJson,
  witnessOfCapsule,
  witnessToJson,
} from './witness.js'
