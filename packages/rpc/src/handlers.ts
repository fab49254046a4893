import { type CallLimits, DEFAULT_LIMITS } from './call.js'
import type { ChainReader } from './chain.js'
import type { Handler, RpcContext } from './context.js'
import { RpcError, RpcErrorCode } from './errors.js'
import { Filters } from './filters.js'
import type { Dispatch } from './jsonrpc.js'
import { blockMethods } from './methods/blocks.js'
import { debugMethods } from './methods/debug.js'
import { execMethods } from './methods/exec.js'
import { filterMethods } from './methods/filters.js'
import { infoMethods } from './methods/info.js'
import { poolMethods } from './methods/pool.js'
import { stateMethods } from './methods/state.js'
import { witnessMethods } from './methods/witness.js'
import type { TxPool } from './pool.js'
import { simulateMethods } from './simulate.js'

export type { Handler }

/** Every standard (non-engine) method, by name. */
export const METHODS: Readonly<Record<string, Handler>> = {
  ...infoMethods,
  ...blockMethods,
  ...filterMethods,
  ...stateMethods,
  ...execMethods,
  ...poolMethods,
  ...simulateMethods,
  ...debugMethods,
  ...witnessMethods,
}

export interface HandlerOptions {
  chain: ChainReader
  pool?: TxPool
  limits?: Partial<CallLimits>
  clientVersion?: string
  /** Namespaces served (`eth`, `net`, `web3`, `debug`, `txpool`, `testing`); all when absent. */
  namespaces?: readonly string[]
  /** More methods (or replacements), e.g. the Engine API or a dev node's. */
  extra?: Readonly<Record<string, Handler>>
  maxLogBlocks?: number
  maxLogs?: number
  /** How long an unpolled filter lives (default 5 minutes). */
  filterTimeoutMs?: number
}

export const CLIENT_VERSION = 'crucible/v0.1.0/js'

/** The context handlers run with. */
export function createContext(options: HandlerOptions): RpcContext {
  const filters = new Filters(options.chain, options.filterTimeoutMs)
  options.pool?.addListener((p) => filters.pendingTransaction(p.hash))
  const ctx: RpcContext = {
    chain: options.chain,
    filters,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    clientVersion: options.clientVersion ?? CLIENT_VERSION,
    maxLogBlocks: options.maxLogBlocks ?? 10_000,
    maxLogs: options.maxLogs ?? 20_000,
  }
  if (options.pool) ctx.pool = options.pool
  return ctx
}

/** A {@link Dispatch} over the handlers: unknown or disabled methods are -32601. */
export function createDispatch(options: HandlerOptions): Dispatch {
  const ctx = createContext(options)
  const methods: Record<string, Handler> = { ...METHODS, ...options.extra }
  const namespaces = options.namespaces ? new Set(options.namespaces) : undefined
  return (method, params) => {
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined
    const namespace = method.split('_')[0]!
    if (!handler || (namespaces && !namespaces.has(namespace)))
      throw new RpcError(RpcErrorCode.MethodNotFound, `the method ${method} does not exist/is not available`)
    return handler(ctx, params)
  }
}
