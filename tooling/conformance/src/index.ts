export { type KnownFailure, readBaseline } from './baseline.js'
export { FIXTURES_ROOT } from './paths.js'
export type { CaseResult, FileContext, Suite, SuiteOptions } from './suite.js'
export { selected } from './suite.js'
