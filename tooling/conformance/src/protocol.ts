import type { FixtureFormat } from './formats.js'
import type { CaseResult, SuiteOptions } from './suite.js'

/** Main thread → worker: run one file, skipping the cases already reported. */
export interface RunFileMessage {
  type: 'file'
  suite: string
  path: string
  file: string
  options: SuiteOptions
  skip: string[]
}

/** Worker → main thread. */
export type WorkerMessage =
  /** What the file holds: how many tests of each format (sent before its cases run). */
  | { type: 'formats'; tests: Partial<Record<FixtureFormat, number>> }
  | { type: 'begin'; key: string; test: string; fork: string; index: number }
  | { type: 'result'; result: CaseResult }
  | { type: 'done' }

/** The identity of a case across restarts. */
export function caseKey(test: string, fork: string, index: number): string {
  return `${test}\u0000${fork}\u0000${index}`
}
