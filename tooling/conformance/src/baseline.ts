import { readFileSync, writeFileSync } from 'node:fs'
import type { CaseResult } from './suite.js'

/** One known failure: the case and why it fails. */
export interface KnownFailure {
  file: string
  test: string
  fork: string
  index: number
  reason: string
}

export function failureKey(c: { file: string; test: string; fork: string; index: number }): string {
  return `${c.file}\u0000${c.test}\u0000${c.fork}\u0000${c.index}`
}

/** Reads a known-failures file: a JSON array, or an object with a `cases` array. */
export function readBaseline(path: string): KnownFailure[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as unknown
  const list = Array.isArray(json) ? json : (json as { cases?: unknown }).cases
  if (!Array.isArray(list)) throw new Error(`${path}: expected a JSON array of known failures`)
  for (const entry of list as KnownFailure[]) {
    if (
      typeof entry.file !== 'string' ||
      typeof entry.test !== 'string' ||
      typeof entry.reason !== 'string' ||
      !entry.reason
    ) {
      throw new Error(
        `${path}: every known failure needs file, test, fork, index and a reason: ${JSON.stringify(entry)}`,
      )
    }
  }
  return list as KnownFailure[]
}

/** Writes the current failures as a known-failures file, sorted so diffs stay small. */
export function writeBaseline(path: string, failures: Array<CaseResult | KnownFailure>): void {
  const list: KnownFailure[] = failures
    .map((f) => ({ file: f.file, test: f.test, fork: f.fork, index: f.index, reason: f.reason ?? 'failed' }))
    .sort((a, b) => (failureKey(a) < failureKey(b) ? -1 : 1))
  writeFileSync(path, `${JSON.stringify(list, null, 1)}\n`)
}
