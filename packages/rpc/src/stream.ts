/** Receives a result's JSON text in order; the chunks joined are the whole value. */
export type ResultSink = (chunk: string) => void

const STREAMED: unique symbol = Symbol('crucible.rpc.streamed')

/**
 * A result too large to hold (a struct-log trace of millions of steps): instead of a value,
 * a handler returns a writer of its JSON text. A transport that can send text as it is made
 * (the HTTP server) calls {@link StreamedResult.write} with its response as the sink; every
 * other caller (the in-process provider, WebSocket, batches over `handleText`) gets the value
 * back through {@link materialize}. `write` runs the work itself (the trace), so what it throws
 * (a timeout, say) is the method's error; it may be called once.
 */
export interface StreamedResult {
  readonly [STREAMED]: true
  write(sink: ResultSink): void
}

export function streamed(write: (sink: ResultSink) => void): StreamedResult {
  return { [STREAMED]: true, write }
}

export function isStreamed(value: unknown): value is StreamedResult {
  return typeof value === 'object' && value !== null && STREAMED in value
}

/** The value a result stands for: a streamed one written out whole and parsed. */
export function materialize(value: unknown): unknown {
  if (!isStreamed(value)) return value
  const chunks: string[] = []
  value.write((chunk) => chunks.push(chunk))
  return JSON.parse(chunks.join(''))
}
