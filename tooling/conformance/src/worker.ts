import { readFileSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { forkFromFixtureName } from '@crucible/forks'
import { type FixtureFormat, fileFormats } from './formats.js'
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
  const send = (m: WorkerMessage) => port.postMessage(m)
  const fileFailure = (reason: string) =>
    send({
      type: 'result',
      result: { file: message.file, test: '(file)', fork: '', index: 0, ok: false, reason },
    })
  // The file's format is told by its content: its tests of the suite's format run, the rest
  // are counted (the main thread reports them as set aside).
  const tests: Record<string, unknown> = {}
  if (message.path.endsWith('.json')) {
    let content: Record<string, unknown>
    try {
      content = JSON.parse(readFileSync(message.path, 'utf8')) as Record<string, unknown>
    } catch (error) {
      fileFailure(`not a JSON fixture: ${error instanceof Error ? error.message : String(error)}`)
      send({ type: 'done' })
      return
    }
    const formats = fileFormats(content)
    const counts: Partial<Record<FixtureFormat, number>> = {}
    for (const [format, names] of Object.entries(formats)) counts[format as FixtureFormat] = names.length
    send({ type: 'formats', tests: counts })
    for (const name of formats[suite.format] ?? []) tests[name] = content[name]
    if (Object.keys(tests).length === 0) {
      send({ type: 'done' })
      return
    }
  } else {
    send({ type: 'formats', tests: { [suite.format]: 1 } })
  }
  const done = new Set(message.skip)
  let current: { key: string; test: string; fork: string; index: number } | undefined
  const context: FileContext = {
    path: message.path,
    file: message.file,
    tests,
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
        fileFailure(reason)
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
