import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Dispatch, errorResponse, type FrameOptions, handleText, RpcErrorCode } from '@crucible/rpc'
import { respond, sendText } from './respond.js'

export interface HttpOptions extends FrameOptions {
  host: string
  port: number
  /** Origins allowed by CORS (`*` for any); none by default. */
  corsDomains?: readonly string[]
  /** Largest request body in bytes (default 5 MiB). */
  maxBodyBytes?: number
  /** Refuses a request unless this returns undefined (the Engine API's JWT check). */
  authorize?: (request: IncomingMessage) => string | undefined
}

function corsHeaders(
  request: IncomingMessage,
  domains: readonly string[] | undefined,
): Record<string, string> {
  const origin = request.headers.origin
  if (!origin || !domains || domains.length === 0) return {}
  if (!domains.includes('*') && !domains.includes(origin)) return {}
  return {
    'access-control-allow-origin': domains.includes('*') ? '*' : origin,
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization',
    'access-control-max-age': '600',
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  sendText(res, body === undefined ? '' : JSON.stringify(body), headers, status)
}

/** The HTTP JSON-RPC transport: POST bodies answered by `dispatch`, never a crash. */
export function createHttpServer(dispatch: Dispatch, options: HttpOptions): Server {
  const maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024
  const server = createServer((req, res) => {
    const cors = corsHeaders(req, options.corsDomains)
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors)
      res.end()
      return
    }
    if (req.method === 'GET' && (req.url === '/' || req.url === '/health')) {
      send(res, 200, { ok: true }, cors)
      return
    }
    if (req.method !== 'POST') {
      send(res, 405, errorResponse(null, RpcErrorCode.InvalidRequest, 'method not allowed'), cors)
      return
    }
    if (options.authorize) {
      const refused = options.authorize(req)
      if (refused) {
        send(res, 401, errorResponse(null, RpcErrorCode.InvalidRequest, refused), cors)
        req.resume()
        return
      }
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > maxBody) {
        tooLarge = true
        send(
          res,
          413,
          errorResponse(null, RpcErrorCode.LimitExceeded, `request body too large (max ${maxBody} bytes)`),
          cors,
        )
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('error', () => {})
    req.on('end', () => {
      if (tooLarge) return
      const text = Buffer.concat(chunks).toString('utf8')
      handleText(text, dispatch, { ...options, keepStreamed: true }).then(
        (response) => {
          if (response === undefined) send(res, 200, undefined, cors)
          else respond(res, response, cors)
        },
        (error) => send(res, 500, errorResponse(null, RpcErrorCode.Internal, String(error)), cors),
      )
    })
  })
  // An idle keep-alive connection lives 120 s, as geth's: Node's 5 s default runs out while a
  // block import holds the event loop, and a client that reuses the connection just then
  // gets it reset under its next request.
  server.keepAliveTimeout = IDLE_TIMEOUT_MS
  server.headersTimeout = IDLE_TIMEOUT_MS + 10_000
  return server
}

const IDLE_TIMEOUT_MS = 120_000

/** Starts listening; resolves with the bound address. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}
