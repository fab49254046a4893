import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { isStreamed, type JsonRpcResponse, toErrorObject, writeResponse } from '@crucible/rpc'

/**
 * Text held before a streamed response is committed to the wire. Below it the response is
 * an ordinary one with a length, and a result that fails (a trace's timeout) is answered with
 * its error, as geth does ("no partial result").
 */
export const COMMIT_CHARS = 1 << 20

/** The socket's libuv handle, whose writes can be made synchronous (Node does so for pipes). */
interface BlockingHandle {
  setBlocking?(blocking: boolean): number
}

/** Thrown into a streamed result's writer when the client has gone: the work stops. */
class ClientGone extends Error {}

/**
 * Sends a JSON-RPC answer. Responses without a streamed result are sent as they are. A
 * streamed result (a struct-log trace) is written as it is made: the first
 * {@link COMMIT_CHARS} are held; past that the response is committed, chunked, and every
 * chunk goes to the socket at once, never gathered. The interpreter is synchronous, so the
 * event loop cannot drain the socket while the trace runs: the socket is switched to
 * blocking writes for the time of the response (what Node does for stdout pipes), which
 * paces the trace by the client's reading and keeps the process's memory flat. The body is
 * written on the socket itself (node:http's `write` corks the socket until the next tick,
 * which would hold every chunk) and the connection is closed after it. A failure after the
 * commit cuts the connection before the last chunk, so the client sees a truncated response,
 * not a wrong one.
 */
export function respond(
  res: ServerResponse,
  response: JsonRpcResponse | JsonRpcResponse[],
  headers: Record<string, string>,
): void {
  const list = Array.isArray(response) ? response : [response]
  if (!list.some((one) => 'result' in one && isStreamed(one.result))) {
    sendText(res, JSON.stringify(response), headers)
    return
  }
  const body = new StreamedBody(res, headers)
  if (Array.isArray(response)) body.write('[')
  for (const [i, one] of list.entries()) {
    if (i > 0) body.write(',')
    const mark = body.mark()
    try {
      writeResponse(one, body.write)
    } catch (error) {
      if (!body.rewind(mark)) {
        body.abort()
        return
      }
      body.write(JSON.stringify({ jsonrpc: '2.0', id: one.id, error: toErrorObject(error) }))
    }
  }
  if (Array.isArray(response)) body.write(']')
  body.end()
}

/** Sends a whole body with its length. */
export function sendText(
  res: ServerResponse,
  text: string,
  headers: Record<string, string>,
  status = 200,
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

class StreamedBody {
  private held: string[] = []
  private heldChars = 0
  private socket: Socket | undefined
  private handle: BlockingHandle | undefined

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
  ) {}

  /** Takes the next piece of the body (bound: it is handed out as a sink). */
  readonly write = (chunk: string): void => {
    if (chunk.length === 0) return
    if (this.socket === undefined) {
      this.held.push(chunk)
      this.heldChars += chunk.length
      if (this.heldChars > COMMIT_CHARS) this.commit()
      return
    }
    if (this.socket.destroyed) throw new ClientGone('the client closed the connection')
    this.socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`)
  }

  /** Where the body is now, to {@link rewind} to; undefined once committed. */
  mark(): number | undefined {
    return this.socket === undefined ? this.held.length : undefined
  }

  /** Drops what was written since `mark`; false when it is already on the wire. */
  rewind(mark: number | undefined): boolean {
    if (mark === undefined || this.socket !== undefined) return false
    for (const dropped of this.held.splice(mark)) this.heldChars -= dropped.length
    return true
  }

  end(): void {
    if (this.socket === undefined) {
      sendText(this.res, this.held.join(''), this.headers)
      return
    }
    this.socket.write('0\r\n\r\n')
    this.release()
    this.socket.end()
  }

  /** Cuts the connection before the body's end: the client sees an incomplete response. */
  abort(): void {
    this.release()
    this.socket?.destroy()
  }

  private commit(): void {
    const socket = this.res.socket
    if (socket === null) throw new ClientGone('the client closed the connection')
    this.socket = socket
    this.handle = (socket as unknown as { _handle?: BlockingHandle })._handle
    this.handle?.setBlocking?.(true)
    const head = Object.entries({
      'content-type': 'application/json',
      ...this.headers,
      'transfer-encoding': 'chunked',
      connection: 'close',
    })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')
    socket.write(`HTTP/1.1 200 OK\r\n${head}\r\n`)
    const held = this.held.join('')
    this.held = []
    this.heldChars = 0
    this.write(held)
  }

  private release(): void {
    this.handle?.setBlocking?.(false)
    this.handle = undefined
  }
}
