import type { Server } from 'node:http'
import {
  type CallLimits,
  type ChainWriter,
  CLIENT_VERSION,
  createDispatch,
  engineMethods,
  type Handler,
  type TxPool,
} from '@crucible/rpc'
import { createHttpServer, listen } from './http.js'
import { verifyJwt } from './jwt.js'
import { attachWebSocket } from './ws.js'

export interface ServerOptions {
  chain: ChainWriter
  pool?: TxPool
  /** HTTP (and WebSocket) JSON-RPC; defaults 127.0.0.1:8545. */
  http?: {
    addr?: string
    port?: number
    corsDomains?: readonly string[]
    /** Namespaces served (`eth`, `net`, `web3`, `debug`, `txpool`, `testing`); all by default. */
    api?: readonly string[]
    maxBodyBytes?: number
    maxBatch?: number
    /** JSON-RPC over WebSocket on the same port, with eth_subscribe (default on). */
    ws?: boolean
  }
  /** The Engine API; defaults 127.0.0.1:8551. Off without a JWT secret. */
  authrpc?: { addr?: string; port?: number; jwtSecret: Uint8Array }
  limits?: Partial<CallLimits>
  /** Most blocks one `eth_getLogs` may scan (default 10,000) and most logs it may return (20,000). */
  maxLogBlocks?: number
  maxLogs?: number
  clientVersion?: string
  /** More methods on the JSON-RPC endpoint (or replacements), e.g. a dev node's. */
  extra?: Readonly<Record<string, Handler>>
}

export interface RunningServer {
  /** `http://host:port` of the JSON-RPC endpoint. */
  url: string
  port: number
  /** `http://host:port` of the Engine API, when it runs. */
  engineUrl?: string
  enginePort?: number
  close(): Promise<void>
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/**
 * Starts the JSON-RPC server (and the Engine API when a JWT secret is given), as
 * `crucible node` runs it. Port 0 picks a free port.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const http = options.http ?? {}
  const common = {
    chain: options.chain,
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.maxLogBlocks !== undefined ? { maxLogBlocks: options.maxLogBlocks } : {}),
    ...(options.maxLogs !== undefined ? { maxLogs: options.maxLogs } : {}),
    clientVersion: options.clientVersion ?? CLIENT_VERSION,
  }
  const dispatch = createDispatch({
    ...common,
    ...(http.api ? { namespaces: http.api } : {}),
    ...(options.extra ? { extra: options.extra } : {}),
  })
  const host = http.addr ?? '127.0.0.1'
  const server = createHttpServer(dispatch, {
    host,
    port: http.port ?? 8545,
    ...(http.corsDomains ? { corsDomains: http.corsDomains } : {}),
    ...(http.maxBodyBytes !== undefined ? { maxBodyBytes: http.maxBodyBytes } : {}),
    ...(http.maxBatch !== undefined ? { maxBatch: http.maxBatch } : {}),
  })
  const servers: Server[] = [server]
  const ws =
    http.ws === false
      ? undefined
      : attachWebSocket(server, dispatch, options.chain, options.pool, {
          ...(http.maxBatch !== undefined ? { maxBatch: http.maxBatch } : {}),
          ...(http.maxBodyBytes !== undefined ? { maxMessageBytes: http.maxBodyBytes } : {}),
        })
  const address = await listen(server, host, http.port ?? 8545)
  const running: RunningServer = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: async () => {
      await ws?.close()
      await Promise.all(servers.map(closeServer))
    },
  }
  if (options.authrpc) {
    const secret = options.authrpc.jwtSecret
    const inner = createDispatch({ ...common, extra: engineMethods(options.chain) })
    // A payload or forkchoice update may move the head: push it to subscribers at once.
    const engineDispatch: typeof inner = async (method, params) => {
      const result = await inner(method, params)
      if (method.startsWith('engine_')) ws?.poll()
      return result
    }
    const engineHost = options.authrpc.addr ?? '127.0.0.1'
    const engine = createHttpServer(engineDispatch, {
      host: engineHost,
      port: options.authrpc.port ?? 8551,
      maxBodyBytes: 128 * 1024 * 1024,
      authorize(req) {
        const header = req.headers.authorization
        if (!header?.startsWith('Bearer ')) return 'missing token'
        return verifyJwt(header.slice(7), secret)
      },
    })
    servers.push(engine)
    let a: Awaited<ReturnType<typeof listen>>
    try {
      a = await listen(engine, engineHost, options.authrpc.port ?? 8551)
    } catch (error) {
      // The JSON-RPC port is open already: close it, or the process would not exit.
      await running.close()
      throw error
    }
    running.engineUrl = `http://${engineHost}:${a.port}`
    running.enginePort = a.port
  }
  return running
}
