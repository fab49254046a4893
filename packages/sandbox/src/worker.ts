import { parentPort } from 'node:worker_threads'
import { executeJob } from './execute.js'
import type { SandboxJob, SandboxLimits } from './types.js'

/** A job as the pool sends it to a worker. */
export interface WorkerRequest {
  id: number
  job: SandboxJob
  limits: SandboxLimits
}

// One job at a time: the pool sends the next only after this one's answer.
parentPort!.on('message', async (request: WorkerRequest) => {
  const result = await executeJob(request.job, request.limits)
  parentPort!.postMessage({ id: request.id, result })
})
// Loaded: the pool starts a run's clock only from here (loading is not the run's time).
parentPort!.postMessage({ ready: true })
