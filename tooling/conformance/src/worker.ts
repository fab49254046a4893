import { parentPort } from 'node:worker_threads'
import { forkFromFixtureName } from '@crucible/forks'
import { loadSuite } from './load.js'
import { caseKey, type RunFileMessage, type WorkerMessage } from './protocol.js'
import { type FileContext, type Suite, selected } from './suite.js'

// A worker runs one file at a time. If the suite throws out of runFile, the case in flight
// fails and the file is run again from where it was, so one bad case never loses the rest.
const port = parentPort
if (!port) throw new Error('worker.ts must run in a worker thread')
const suites = new Map<string, Suite>()

port.on('message', async (message: RunFileMessage) => {
  let suite = suites.get(message.suite)
  if (!suite) {
    suite = await loadSuite(message.suite)
    suites.set(message.suite, suite)
  }
  const done = new Set(message.skip)
  let current: { key: string; test: string; fork: string; index: number } | undefined
  const send = (m: WorkerMessage) => port.postMessage(m)
  const context: FileContext = {
    path: message.path,
    file: message.file,
    options: message.options,
    begin(test, fork, index) {
      const key = caseKey(test, fork, index)
      if (done.has(key)) return false
      if (!selected(message.options, message.file, test, fork, canonical(fork))) return false
      done.add(key)
      current = { key, test, fork, index }
      send({ type: 'begin', key, test, fork, index })
      return true
    },
    report(result) {
      current = undefined
      send({ type: 'result', result: { ...result, file: message.file } })
    },
  }
  for (let attempt = 0; attempt < 10_000; attempt++) {
    try {
      await suite.runFile(context)
      break
    } catch (error) {
      const reason = `threw: ${error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 3).join(' | ') : String(error)}`
      if (current) {
        const { test, fork, index } = current
        current = undefined
        send({ type: 'result', result: { file: message.file, test, fork, index, ok: false, reason } })
      } else {
        send({
          type: 'result',
          result: { file: message.file, test: '(file)', fork: '', index: 0, ok: false, reason },
        })
        break
      }
    }
  }
  send({ type: 'done' })
})

function canonical(fork: string): string | undefined {
  try {
    return fork ? forkFromFixtureName(fork) : undefined
  } catch {
    return undefined
  }
}
