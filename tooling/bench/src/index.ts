export { type CliArgs, parseArgs, SUITES, type SuiteName } from './args.js'
export { type Engine, type RunResult, SENDER, SENDER_BALANCE } from './engine.js'
export { buildChain, type ChainShape, DEFAULT_SHAPE, type SyntheticChain } from './import/chain.js'
export {
  type BenchInput,
  type Benchmark,
  filterBenchmarks,
  inputId,
  loadManifest,
  parseHexFile,
  parseManifest,
  toHex,
} from './manifest.js'
export {
  DEFAULT_RUN_OPTIONS,
  type EngineTiming,
  type InputResult,
  type RunOptions,
  runBenchmarks,
  type Summary,
  speedupOf,
  summarize,
  toJson,
} from './runner.js'
export { geomean, median, mgasPerSecond, spread } from './stats.js'
export type { BenchRow, BenchTable, SuiteModule, SuiteOptions } from './types.js'
export { verifyRun } from './verify.js'
