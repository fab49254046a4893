export { type KnownFailure, readBaseline } from './baseline.js'
export type { CaseResult, FileContext, Suite, SuiteOptions } from './suite.js'
export { selected } from './suite.js'
