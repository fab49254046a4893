import { Worker } from 'node:worker_threads'

/** One capsule to replay. */
export interface ReplayJob {
  id: number
  bytes: Uint8Array
}

/** What a worker found. */
export interface ReplayResult {
  id: number
  ok: boolean
  mismatches: string[]
  stateRoot: string
  receiptsRoot: string
  /** Time the worker spent on it. */
  ms: number
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url)

/**
 * Worker threads that replay capsules. Jobs go to the least busy worker; `run` resolves with
 * the worker's result. Capsule bytes are transferred, not copied.
 */
export class ReplayPool {
  private readonly workers: Array<{ worker: Worker; busy: number }>
  private readonly pending = new Map<number, { done: (r: ReplayResult) => void; fail: (e: Error) => void }>()
  private nextId = 0

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(ENTRY)
      const slot = { worker, busy: 0 }
      worker.on('message', (result: ReplayResult) => {
        slot.busy--
        const p = this.pending.get(result.id)
        this.pending.delete(result.id)
        p?.done(result)
      })
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.fail(error)
        this.pending.clear()
      })
      return slot
    })
  }

  /** Jobs sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size
  }

  run(bytes: Uint8Array): Promise<ReplayResult> {
    const id = this.nextId++
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a))
    slot.busy++
    return new Promise((done, fail) => {
      this.pending.set(id, { done, fail })
      const job: ReplayJob = { id, bytes }
      slot.worker.postMessage(job, [bytes.buffer as ArrayBuffer])
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()))
  }
}
