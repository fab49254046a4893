import { CrucibleError } from '@crucible/primitives'

/** JSON-RPC 2.0 and Ethereum error codes, by name. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  /** geth's catch-all for a request that is well formed but cannot be served. */
  Server: -32000,
  /** Execution reverted: `data` carries the revert output (EIP-1474 / geth). */
  Reverted: 3,
  /** The request is larger than the server accepts. */
  LimitExceeded: -32005,
} as const

/**
 * An error a method answers with: `rpcCode` and `message` go on the wire as they are,
 * `data` (hex revert output, for instance) beside them.
 */
export class RpcError extends CrucibleError<{ rpcCode: number; data?: unknown }> {
  override name = 'RpcError'
  readonly rpcCode: number
  readonly data: unknown
  constructor(rpcCode: number, message: string, data?: unknown) {
    super('RPC_ERROR', message, data === undefined ? { rpcCode } : { rpcCode, data })
    this.rpcCode = rpcCode
    this.data = data
  }
}

export const invalidParams = (message: string): RpcError => new RpcError(RpcErrorCode.InvalidParams, message)
export const serverError = (message: string, data?: unknown): RpcError =>
  new RpcError(RpcErrorCode.Server, message, data)
