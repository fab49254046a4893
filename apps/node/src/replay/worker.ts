import { parentPort } from 'node:worker_threads'
import { replayVerifiedCapsule } from '@crucible/capsule'
import { bytesToHex, CrucibleError } from '@crucible/primitives'
import type { ReplayJob, ReplayResult } from './pool.js'

// Replays capsules with no database: everything it needs is in the bytes it is sent.
parentPort!.on('message', (job: ReplayJob) => {
  const started = performance.now()
  let result: ReplayResult
  try {
    const report = replayVerifiedCapsule(job.bytes)
    const outcome = report.outcome
    result = {
      id: job.id,
      ok: report.ok,
      mismatches: report.mismatches.map((m) => `${m.field}: ${m.actual} (expected ${m.expected})`),
      stateRoot: outcome.kind === 'block' ? bytesToHex(outcome.stateRoot) : '',
      receiptsRoot: outcome.kind === 'block' ? bytesToHex(outcome.receiptsRoot) : '',
      ms: performance.now() - started,
    }
  } catch (error) {
    result = {
      id: job.id,
      ok: false,
      mismatches: [error instanceof CrucibleError ? `${error.code}: ${error.message}` : String(error)],
      stateRoot: '',
      receiptsRoot: '',
      ms: performance.now() - started,
    }
  }
  parentPort!.postMessage(result)
})
