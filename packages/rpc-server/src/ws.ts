import type { Server } from 'node:http'
import type { ChainReader, TxPool } from '@crucible/rpc'
import {
  type Dispatch,
  errorResponse,
  type FrameOptions,
  handleText,
  RpcErrorCode,
  Subscriptions,
} from '@crucible/rpc'
import { type WebSocket, WebSocketServer } from 'ws'

export interface WsOptions extends FrameOptions {
  /** Largest message in bytes (default 5 MiB). */
  maxMessageBytes?: number
  /** How often the head is checked for new blocks to push, in ms (default 250). */
  pollMs?: number
}

/**
 * JSON-RPC over WebSocket on the HTTP server's port: every method `dispatch` serves, plus
 * `eth_subscribe` / `eth_unsubscribe` with `eth_subscription` notifications.
 */
export function attachWebSocket(
  server: Server,
  dispatch: Dispatch,
  chain: ChainReader,
  pool: TxPool | undefined,
  options: WsOptions = {},
): { close(): Promise<void>; poll(): void } {
  const wss = new WebSocketServer({ server, maxPayload: options.maxMessageBytes ?? 5 * 1024 * 1024 })
  // The HTTP server's errors (a taken port) are re-emitted here; its listen() reports them.
  wss.on('error', () => {})
  const connections = new Set<Subscriptions>()
  wss.on('connection', (socket: WebSocket) => {
    const subs = new Subscriptions(chain)
    connections.add(subs)
    const notify = (subscription: string) => (result: unknown) => {
      if (socket.readyState === socket.OPEN)
        socket.send(
          JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result } }),
        )
    }
    const local: Dispatch = (method, params) => {
      if (method === 'eth_subscribe') {
        let id = ''
        const send = (result: unknown) => notify(id)(result)
        id = subs.subscribe(params, send)
        return id
      }
      if (method === 'eth_unsubscribe') return subs.unsubscribe(params[0])
      return dispatch(method, params)
    }
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString()
      handleText(text, local, options).then(
        (response) => {
          if (response !== undefined && socket.readyState === socket.OPEN)
            socket.send(JSON.stringify(response))
        },
        (error) => socket.send(JSON.stringify(errorResponse(null, RpcErrorCode.Internal, String(error)))),
      )
    })
    socket.on('error', () => {})
    socket.on('close', () => connections.delete(subs))
  })
  const listener = (p: Parameters<Subscriptions['pendingTransaction']>[0]) => {
    for (const subs of connections) subs.pendingTransaction(p)
  }
  pool?.addListener(listener)
  const poll = () => {
    for (const subs of connections) subs.poll()
  }
  const timer = setInterval(poll, options.pollMs ?? 250)
  timer.unref()
  return {
    poll,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer)
        pool?.removeListener(listener)
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}
