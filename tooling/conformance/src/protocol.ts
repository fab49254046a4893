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
  | { type: 'begin'; key: string; test: string; fork: string; index: number }
  | { type: 'result'; result: CaseResult }
  | { type: 'done' }

/** The identity of a case across restarts. */
export function caseKey(test: string, fork: string, index: number): string {
  return `${test}\u0000${fork}\u0000${index}`
}
