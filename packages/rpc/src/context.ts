import type { CallLimits } from './call.js'
import type { ChainReader } from './chain.js'
import type { Filters } from './filters.js'
import type { TxPool } from './pool.js'

/** What every handler is given. */
export interface RpcContext {
  chain: ChainReader
  limits: CallLimits
  /** The transaction pool, when the node keeps one. */
  pool?: TxPool
  /** Installed `eth_newFilter` / `eth_newBlockFilter` / pending-transaction filters. */
  filters: Filters
  clientVersion: string
  /** Most blocks one `eth_getLogs` may scan (default 10,000) and most logs it may return. */
  maxLogBlocks: number
  maxLogs: number
}

/** A method: decoded parameters in, a JSON value (or a promise of one) out. */
export type Handler = (ctx: RpcContext, params: unknown[]) => unknown
