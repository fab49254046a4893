/// <reference lib="dom" />
// The debugger's engine in a Web Worker: the page posts what to open (a capsule's bytes, or a
// bytecode / state-test descriptor, with an optional sources file) and then protocol requests;
// every answer is the session's JSON response. Nothing here touches the DOM.
import {
  bytecodeCase,
  capsuleCase,
  DebugSession,
  type Request,
  stateTestCase,
  type TransactionCase,
} from '@crucible/debug-session'
import type { OpenMessage, WorkerAnswer } from './messages.js'

const scope = self as unknown as {
  postMessage(message: WorkerAnswer): void
  onmessage: ((event: MessageEvent) => void) | null
}
let session: DebugSession | undefined

async function caseOf(m: OpenMessage): Promise<TransactionCase> {
  const input = m.input
  switch (input.kind) {
    case 'capsule':
      return capsuleCase(new Uint8Array(input.bytes), input.select ?? {})
    case 'bytecode':
      return bytecodeCase(input.bytecode)
    case 'stateTest':
      return stateTestCase(JSON.parse(input.json), input.selector)
  }
}

function errorAnswer(error: unknown): WorkerAnswer {
  const e = error as { code?: unknown; shortMessage?: unknown; message?: unknown; details?: unknown }
  return {
    type: 'error',
    code: typeof e.code === 'string' ? e.code : 'INTERNAL',
    message: String(e.shortMessage ?? e.message ?? error),
    details: JSON.parse(
      JSON.stringify(e.details ?? {}, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)),
    ),
  }
}

scope.onmessage = async (event: MessageEvent) => {
  const m = event.data as OpenMessage | { type: 'request'; id: number; request: Request }
  if (m.type === 'open') {
    try {
      const started = performance.now()
      const input = await caseOf(m)
      const sources = m.sources === undefined ? undefined : JSON.parse(m.sources)
      session = new DebugSession(input, sources === undefined ? {} : { sources })
      const listed = session.source === undefined ? undefined : session.handle({ cmd: 'sources' })
      scope.postMessage({
        type: 'opened',
        info: session.info(),
        sources: listed?.ok ? (listed.result as never) : undefined,
        ms: Math.round(performance.now() - started),
      })
    } catch (error) {
      session = undefined
      scope.postMessage(errorAnswer(error))
    }
    return
  }
  const response =
    session === undefined
      ? { id: m.id, ok: false as const, error: { code: 'NOT_OPEN', message: 'Nothing is open' } }
      : session.handle({ ...m.request, id: m.id })
  scope.postMessage({ type: 'response', response })
}
