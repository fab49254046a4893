import type { FuzzOptions } from '../options.js'
import type { Shard } from './tally.js'
import { runEvmShard } from './target.js'
import type { WorkerMessage } from './workers.js'

/**
 * A worker process of `pnpm fuzz evm --workers N` (forked by `workers.ts`): receives the run's
 * options and its shard, runs it, and sends progress and its result back over IPC.
 */
const send = (m: WorkerMessage, then?: () => void) => process.send?.(m, undefined, {}, then)

// The parent is gone (interrupted): stop, do not run on unattended.
process.on('disconnect', () => process.exit(3))

process.once('message', (m: { options: FuzzOptions; shard: Shard }) => {
  const log = (line: string) => process.stdout.write(`[worker ${m.shard.index}] ${line}\n`)
  runEvmShard(m.options, m.shard, log, (done, failures) => send({ type: 'progress', done, failures })).then(
    (result) => send({ type: 'result', result }, () => process.exit(0)),
    (error) =>
      send({ type: 'error', message: (error as Error).stack ?? String(error) }, () => process.exit(2)),
  )
})
