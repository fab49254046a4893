import { Worker } from 'node:worker_threads'
import { DEFAULT_LIMITS } from './execute.js'
import type { SandboxJob, SandboxLimits, SandboxResult } from './types.js'
import type { WorkerRequest } from './worker.js'

export interface SandboxOptions {
  /** Worker threads, hence runs at once; default 1. Runs beyond it wait their turn. */
  concurrency?: number
  /** Limits of every run that does not bring its own (per field). */
  limits?: SandboxLimits
  /** A worker is replaced after this many runs, so nothing accumulates in a thread; default 1,000. */
  recycleAfter?: number
}

/** What the pool has done so far. */
export interface SandboxStats {
  /** Worker threads started, replacements included. */
  workersStarted: number
  completed: number
  aborted: number
  failed: number
  /** Workers terminated because a run overstayed its deadline plus grace. */
  terminated: number
}

interface Pending {
  id: number
  job: SandboxJob
  limits: SandboxLimits
  done: (result: SandboxResult) => void
}

interface Slot {
  worker: Worker
  /** The worker has loaded and can take a run. */
  ready: boolean
  runs: number
  current: (Pending & { started: number; timer: NodeJS.Timeout }) | undefined
}

// From source (the workspace, tests) the worker needs tsx; a built package starts worker.js.
const ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './worker-source.mjs' : './worker.js',
  import.meta.url,
)

/**
 * Untrusted runs in worker threads, each under {@link SandboxLimits}: the main thread never
 * executes the code, so it stays responsive whatever the code does. A run that overstays its
 * deadline (a precompile that does not return, a stuck thread) has its worker terminated; a
 * worker that dies (heap limit, crash) is replaced; either way the run resolves as `aborted`.
 */
export class Sandbox {
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private readonly limits: SandboxLimits
  private readonly recycleAfter: number
  private nextId = 0
  private closed = false
  /** Workers in a row that ended before they loaded (a broken install): past 3, runs fail instead. */
  private failedStarts = 0
  readonly stats: SandboxStats = { workersStarted: 0, completed: 0, aborted: 0, failed: 0, terminated: 0 }

  constructor(options: SandboxOptions = {}) {
    this.limits = options.limits ?? {}
    this.recycleAfter = options.recycleAfter ?? 1000
    const n = Math.max(1, Math.floor(options.concurrency ?? 1))
    for (let i = 0; i < n; i++) this.slots.push(this.spawn())
  }

  private static readonly START_FAILED: SandboxResult = {
    status: 'failed',
    error: {
      name: 'SandboxError',
      code: 'WORKER_START',
      message: 'sandbox workers fail to start',
      details: {},
    },
    elapsedMs: 0,
  }

  /** Runs a job under the pool's limits, each field of `limits` replacing the pool's. */
  run(job: SandboxJob, limits: SandboxLimits = {}): Promise<SandboxResult> {
    if (this.closed) return Promise.reject(new Error('the sandbox is closed'))
    if (this.failedStarts > 3) return Promise.resolve(Sandbox.START_FAILED)
    return new Promise((done) => {
      this.queue.push({ id: this.nextId++, job, limits: { ...this.limits, ...limits }, done })
      this.dispatch()
    })
  }

  /** Terminates the workers; runs still waiting are dropped. */
  async close(): Promise<void> {
    this.closed = true
    this.queue.length = 0
    await Promise.all(
      this.slots.map((s) => {
        if (s.current) clearTimeout(s.current.timer)
        return s.worker.terminate()
      }),
    )
  }

  private spawn(): Slot {
    const heapMb = this.limits.heapMb ?? DEFAULT_LIMITS.heapMb
    const worker = new Worker(ENTRY, {
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, heapMb) },
    })
    this.stats.workersStarted++
    const slot: Slot = { worker, ready: false, runs: 0, current: undefined }
    worker.on('message', (message: { id: number; result: SandboxResult } | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true
        this.failedStarts = 0
        this.dispatch()
        return
      }
      const current = slot.current
      if (current === undefined || current.id !== message.id) return
      this.finish(slot, message.result)
      if (slot.runs >= this.recycleAfter) this.replace(slot)
      this.dispatch()
    })
    // A worker that dies mid-run (heap limit, a crash) fails only the run it had.
    worker.on('error', (error: Error & { code?: string }) => {
      this.lost(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'heap' : 'crashed')
    })
    worker.on('exit', () => this.lost(slot, 'crashed'))
    return slot
  }

  private finish(slot: Slot, result: SandboxResult): void {
    const current = slot.current!
    clearTimeout(current.timer)
    slot.current = undefined
    slot.runs++
    this.stats[result.status]++
    current.done(result)
  }

  /** The slot's worker stopped or must go: its run (if any) ends as `reason`; a new worker takes the slot. */
  private lost(slot: Slot, reason: 'heap' | 'crashed' | 'timeout', terminated = false): void {
    if (this.closed || !this.slots.includes(slot)) return
    if (!slot.ready && ++this.failedStarts > 3) {
      // Respawning would fail the same way: say so to every waiting run.
      for (const waiting of this.queue.splice(0)) waiting.done(Sandbox.START_FAILED)
      return
    }
    const current = slot.current
    if (current !== undefined)
      this.finish(slot, {
        status: 'aborted',
        reason,
        elapsedMs: performance.now() - current.started,
        ...(terminated ? { terminated: true } : {}),
      })
    this.replace(slot)
    this.dispatch()
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot)
    if (i < 0) return
    slot.worker.removeAllListeners()
    // Listeners are gone, so its end reports nothing; an error while ending is of no interest.
    slot.worker.on('error', () => {})
    void slot.worker.terminate()
    this.slots[i] = this.spawn()
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.current !== undefined) continue
      const next = this.queue.shift()
      if (next === undefined) return
      const wait =
        (next.limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs) + (next.limits.graceMs ?? DEFAULT_LIMITS.graceMs)
      const timer = setTimeout(() => {
        this.stats.terminated++
        this.lost(slot, 'timeout', true)
      }, wait)
      slot.current = { ...next, started: performance.now(), timer }
      const request: WorkerRequest = { id: next.id, job: next.job, limits: next.limits }
      slot.worker.postMessage(request)
    }
  }
}
