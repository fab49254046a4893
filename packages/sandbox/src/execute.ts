import { findCapsuleError, findExecutionAborted, replayCapsule } from '@crucible/capsule'
import {
  ExecutionAbortedError,
  type ExecutionLimits,
  type Inspector,
  type RunOptions,
  runCall,
  runCode,
} from '@crucible/evm'
import { CrucibleError } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import type { EvmJob, JobResult, SandboxError, SandboxJob, SandboxLimits, SandboxResult } from './types.js'

/** The defaults of {@link SandboxLimits} (geth's 50M gas cap and 5 s EVM timeout). */
export const DEFAULT_LIMITS = {
  gasCap: 50_000_000n,
  timeoutMs: 5_000,
  graceMs: 250,
  memoryBytes: 64 << 20,
  outputBytes: 16 << 20,
  logBytes: 16 << 20,
  heapMb: 256,
} as const satisfies Required<Omit<SandboxLimits, 'steps'>>

/** Counts opcodes and aborts past `cap` (only when a step cap is asked for: it costs a call per opcode). */
function stepCounter(cap: number): Inspector & { steps: number } {
  const counter = {
    steps: 0,
    step(frame: { pc: number; depth: number }) {
      if (++counter.steps > cap)
        throw new ExecutionAbortedError({ reason: 'steps', pc: frame.pc, depth: frame.depth, limit: cap })
    },
  }
  return counter
}

function errorOf(error: unknown): SandboxError {
  if (error instanceof CrucibleError)
    return {
      name: error.name,
      code: error.code,
      message: error.shortMessage,
      details: JSON.parse(
        JSON.stringify(error.details, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)),
      ) as Record<string, unknown>,
    }
  const e = error instanceof Error ? error : new Error(String(error))
  return { name: e.name, code: 'INTERNAL', message: e.message, details: {} }
}

function runEvm(job: EvmJob, limits: ExecutionLimits, gasCap: bigint, inspector: Inspector | undefined) {
  const state = job.alloc === undefined ? new WorldState() : WorldState.fromAlloc(job.alloc)
  const gas = job.gas === undefined || job.gas > gasCap ? gasCap : job.gas
  const options: RunOptions = { gas, limits }
  if (job.fork !== undefined) options.fork = job.fork
  if (job.caller !== undefined) options.caller = job.caller
  if (job.value !== undefined) options.value = job.value
  if (job.data !== undefined) options.data = job.data
  if (inspector !== undefined) options.inspector = inspector
  if (job.code !== undefined)
    return runCode(
      state,
      job.code,
      job.address === undefined ? options : { ...options, address: job.address },
    )
  return runCall(state, job.to === undefined ? options : { ...options, to: job.to })
}

/**
 * Runs one job in this thread under `limits` (the interpreter's share of them: deadline,
 * memory, output, logs, steps, gas cap) and says how it ended. Never throws for anything the
 * input does: that is a `failed` or `aborted` result. The worker threads of {@link Sandbox}
 * call this; it needs no Node built-ins, so a Web Worker can too.
 */
export async function executeJob(
  job: SandboxJob,
  limits: SandboxLimits = {},
  now: () => number = () => performance.now(),
): Promise<SandboxResult> {
  const started = now()
  const deadline = started + (limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs)
  const execution: ExecutionLimits = {
    memoryBytes: limits.memoryBytes ?? DEFAULT_LIMITS.memoryBytes,
    outputBytes: limits.outputBytes ?? DEFAULT_LIMITS.outputBytes,
    logBytes: limits.logBytes ?? DEFAULT_LIMITS.logBytes,
    interrupt: () => (now() > deadline ? 'timeout' : undefined),
  }
  const counter = limits.steps === undefined ? undefined : stepCounter(limits.steps)
  const steps = () => (counter === undefined ? {} : { steps: Math.min(counter.steps, limits.steps!) })
  try {
    let result: JobResult
    if (job.kind === 'capsule') {
      const report = await replayCapsule(
        job.capsule,
        counter === undefined ? { limits: execution } : { limits: execution, inspector: counter },
      )
      result = { kind: 'capsule', report }
    } else
      result = {
        kind: 'evm',
        result: runEvm(job, execution, limits.gasCap ?? DEFAULT_LIMITS.gasCap, counter),
      }
    return { status: 'completed', result, elapsedMs: now() - started, ...steps() }
  } catch (error) {
    const elapsedMs = now() - started
    const aborted = error instanceof ExecutionAbortedError ? error : findExecutionAborted(error)
    if (aborted !== undefined) {
      const d = aborted.details
      return {
        status: 'aborted',
        reason: d.reason,
        elapsedMs,
        ...steps(),
        pc: d.pc,
        depth: d.depth,
        ...(d.bytes === undefined ? {} : { bytes: d.bytes }),
        ...(d.limit === undefined ? {} : { limit: d.limit }),
      }
    }
    return { status: 'failed', error: errorOf(findCapsuleError(error) ?? error), elapsedMs }
  }
}
