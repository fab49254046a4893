export { DEFAULT_LIMITS, executeJob } from './execute.js'
export { Sandbox, type SandboxOptions, type SandboxStats } from './pool.js'
export type {
  CapsuleJob,
  EvmJob,
  JobResult,
  SandboxAbortReason,
  SandboxError,
  SandboxJob,
  SandboxLimits,
  SandboxResult,
} from './types.js'
