import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const TARGETS = ['evm', 'rlp', 'tx', 'block', 'proof', 'rpc'] as const
export type Target = (typeof TARGETS)[number]

export interface FuzzOptions {
  seed: number
  /** Stop after this many inputs (default: 1000, or unbounded when `time` is given). */
  count: number
  /** `evm`: the first program index (default 0), so that a run can go on where another stopped. */
  start?: number
  /** Stop after this many seconds. */
  time: number
  /** EVM target: run only this fork (default: Cancun, Prague and Osaka in turn). */
  fork?: string
  /** Where reproducers are written. */
  out: string
  /** Where the summary is written as JSON. */
  json?: string
  quiet: boolean
  /** `evm`: run in this many worker processes (default 1: in this process). */
  workers?: number
  /** Per-input time bound of the decoder targets, in milliseconds (a slower input is a hang). */
  inputMs: number
}

/** A failure found by a target: what input, what went wrong, where its reproducer is. */
export interface Finding {
  index: number
  seed: number
  kind: string
  message: string
  explained?: string
  file?: string
}

export interface Summary {
  target: Target
  seed: number
  inputs: number
  seconds: number
  perSecond: number
  /** CPU time of the processes that ran the inputs (user + system), when measured. */
  cpuSeconds?: number
  /** Inputs per CPU-second. */
  perCpuSecond?: number
  /** Unexplained findings fail the run. */
  failures: Finding[]
  /** Findings matched by the allow-list (explained, with the reason). */
  explained: Finding[]
  /** Target-specific counters (coverage, outcome distribution). */
  stats: Record<string, unknown>
}

/** Writes a reproducer JSON file; returns its path. */
export function writeReproducer(dir: string, name: string, body: unknown): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${name}.json`)
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`)
  return path
}

/** A loop guard: true while the run may take another input. */
export function budget(options: FuzzOptions): (done: number) => boolean {
  const end = performance.now() + options.time * 1000
  return (done) => done < options.count && performance.now() < end
}
