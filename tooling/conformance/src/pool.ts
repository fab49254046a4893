import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { FixtureFile } from './discover.js'
import type { FixtureFormat } from './formats.js'
import type { RunFileMessage, WorkerMessage } from './protocol.js'
import type { CaseResult, SuiteOptions } from './suite.js'

export interface PoolOptions {
  suite: string
  options: SuiteOptions
  /** Parallel workers (default: all cores). */
  workers?: number
  /** Time bound of one case in milliseconds. */
  caseTimeoutMs: number
  onResult(result: CaseResult): void
  /** What a file holds: its count of tests per format (once per file, before its results). */
  onFormats?(file: FixtureFile, tests: Partial<Record<FixtureFormat, number>>): void
}

interface Slot {
  worker: Worker
  job?: {
    file: FixtureFile
    reported: Set<string>
    /** The file's formats were reported (a restarted file reports them again). */
    classified?: boolean
    current?: { key: string; test: string; fork: string; index: number; since: number }
  }
}

/**
 * Runs files on worker threads, largest first. A case that passes its time bound is reported
 * failed, its worker is terminated and replaced, and the rest of the file runs on the new one.
 */
export async function runPool(files: FixtureFile[], pool: PoolOptions): Promise<void> {
  const queue = [...files].sort((a, b) => b.size - a.size)
  const count = Math.max(1, Math.min(pool.workers ?? availableParallelism(), queue.length))
  const workerUrl = new URL('./worker-entry.mjs', import.meta.url)

  await new Promise<void>((resolveAll, rejectAll) => {
    let active = 0
    const slots: Slot[] = []

    const spawn = (): Slot => {
      const slot: Slot = { worker: new Worker(workerUrl, { execArgv: workerExecArgv() }) }
      slot.worker.on('message', (message: WorkerMessage) => onMessage(slot, message))
      slot.worker.on('error', (error) => onCrash(slot, `worker error: ${error.message}`))
      slot.worker.on('exit', (code) => {
        if (slot.job && code !== 0) onCrash(slot, `worker exited with code ${code}`)
      })
      return slot
    }

    const next = (slot: Slot) => {
      const file = queue.shift()
      if (!file) {
        slot.job = undefined
        void slot.worker.terminate()
        active--
        if (active === 0) finish()
        return
      }
      slot.job = { file, reported: new Set() }
      send(slot)
    }

    const send = (slot: Slot) => {
      const job = slot.job!
      const message: RunFileMessage = {
        type: 'file',
        suite: pool.suite,
        path: job.file.path,
        file: job.file.file,
        options: pool.options,
        skip: [...job.reported],
      }
      slot.worker.postMessage(message)
    }

    const onMessage = (slot: Slot, message: WorkerMessage) => {
      const job = slot.job
      if (!job) return
      if (message.type === 'formats') {
        if (!job.classified) pool.onFormats?.(job.file, message.tests)
        job.classified = true
      } else if (message.type === 'begin') {
        job.current = {
          key: message.key,
          test: message.test,
          fork: message.fork,
          index: message.index,
          since: Date.now(),
        }
      } else if (message.type === 'result') {
        if (job.current) job.reported.add(job.current.key)
        job.current = undefined
        pool.onResult(message.result)
      } else if (message.type === 'done') {
        next(slot)
      }
    }

    // A crash or a time-out fails the case in flight, then the file resumes on a fresh worker.
    const onCrash = (slot: Slot, reason: string) => {
      const job = slot.job
      if (!job) return
      const current = job.current
      if (current) {
        job.reported.add(current.key)
        pool.onResult({
          file: job.file.file,
          test: current.test,
          fork: current.fork,
          index: current.index,
          ok: false,
          reason,
        })
      } else {
        pool.onResult({ file: job.file.file, test: '(file)', fork: '', index: 0, ok: false, reason })
        job.reported.add('(file)')
      }
      job.current = undefined
      const index = slots.indexOf(slot)
      slot.worker.removeAllListeners()
      void slot.worker.terminate()
      const fresh = spawn()
      fresh.job = current ? job : undefined
      slots[index] = fresh
      if (fresh.job) send(fresh)
      else next(fresh)
    }

    const timer = setInterval(() => {
      const now = Date.now()
      for (const slot of [...slots]) {
        const current = slot.job?.current
        if (current && now - current.since > pool.caseTimeoutMs) {
          onCrash(slot, `timed out after ${Math.round(pool.caseTimeoutMs / 1000)} s`)
        }
      }
    }, 250)

    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      clearInterval(timer)
      resolveAll()
    }

    if (queue.length === 0) return finish()
    try {
      for (let i = 0; i < count; i++) {
        const slot = spawn()
        slots.push(slot)
        active++
        next(slot)
      }
    } catch (error) {
      clearInterval(timer)
      rejectAll(error)
    }
  })
}

/** The worker's flags: the parent's, less `--conditions` (workers resolve through their own hook). */
function workerExecArgv(): string[] {
  return process.execArgv.filter((a) => !a.startsWith('--conditions') && a !== '-C')
}
