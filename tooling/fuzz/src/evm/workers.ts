import { fork } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PACKAGE_DIR } from '../allowlist.js'
import type { FuzzOptions } from '../options.js'
import type { ShardResult } from './tally.js'

/** A message from a worker process (`worker.ts`). */
export type WorkerMessage =
  | { type: 'progress'; done: number; failures: number }
  | { type: 'result'; result: ShardResult }
  | { type: 'error'; message: string }

/**
 * Runs an EVM run in `n` worker processes, worker `w` taking program indexes `w`, `w + n`, ...
 * (each process has its own heap and both engines' caches; one per core at most). Resolves to
 * every shard's result once all have finished; a worker that dies without one fails the run.
 */
export async function runShardsInWorkers(
  options: FuzzOptions,
  n: number,
  log: (line: string) => void,
): Promise<{ results: ShardResult[]; seconds: number }> {
  const start = performance.now()
  const entry = fileURLToPath(new URL('./worker.ts', import.meta.url))
  // The workers run the TypeScript sources as this process does (tsx, the `@crucible/source` condition).
  const execArgv = process.execArgv.some((a) => a.includes('tsx'))
    ? process.execArgv
    : ['--conditions=@crucible/source', '--import', 'tsx']
  const shared: FuzzOptions = { ...options, out: resolve(options.out), workers: 1 }
  const done = new Array<number>(n).fill(0)
  const failing = new Array<number>(n).fill(0)
  let lastReport = start
  const report = () => {
    if (options.quiet || performance.now() - lastReport < 10_000) return
    lastReport = performance.now()
    const total = done.reduce((a, b) => a + b, 0)
    const s = (lastReport - start) / 1000
    const bad = failing.reduce((a, b) => a + b, 0)
    log(`  ${total} programs, ${(total / s).toFixed(1)}/s, ${bad} unexplained (${n} workers)`)
  }
  const runs = Array.from(
    { length: n },
    (_, index) =>
      new Promise<ShardResult>((resolvePromise, reject) => {
        const child = fork(entry, [], {
          cwd: PACKAGE_DIR,
          execArgv,
          // Structured clone, not JSON: the options hold Infinity (no count or no time bound).
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        })
        let result: ShardResult | undefined
        let failure: string | undefined
        child.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') {
            done[index] = m.done
            failing[index] = m.failures
            report()
          } else if (m.type === 'result') result = m.result
          else failure = m.message
        })
        child.on('error', reject)
        child.on('exit', (code, signal) => {
          if (result !== undefined) resolvePromise(result)
          else
            reject(
              new Error(`fuzz worker ${index}: ${failure ?? `exited (${code ?? signal}) without a result`}`),
            )
        })
        child.send({ options: shared, shard: { index, of: n } })
      }),
  )
  const results = await Promise.all(runs)
  return { results, seconds: (performance.now() - start) / 1000 }
}
