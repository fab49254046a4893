import { createDispatch, type HandlerOptions } from './handlers.js'
import { toErrorObject } from './jsonrpc.js'
import { materialize } from './stream.js'

export interface RequestArguments {
  readonly method: string
  readonly params?: readonly unknown[] | object
}

/** An EIP-1193 provider error: `code` and `data` as the JSON-RPC error carried them. */
export class ProviderRpcError extends Error {
  override name = 'ProviderRpcError'
  readonly code: number
  readonly data: unknown
  constructor(code: number, message: string, data?: unknown) {
    super(message)
    this.code = code
    this.data = data
  }
}

export interface Eip1193Provider {
  request(args: RequestArguments): Promise<unknown>
  on(event: string, listener: (...args: unknown[]) => void): Eip1193Provider
  removeListener(event: string, listener: (...args: unknown[]) => void): Eip1193Provider
}

/**
 * An in-process EIP-1193 provider over the handlers: what viem's `custom(provider)`
 * transport and ethers' `BrowserProvider` take. Results are the JSON values a server would
 * send (copied through JSON, so callers never share objects with the node).
 */
export function createProvider(options: HandlerOptions): Eip1193Provider {
  const dispatch = createDispatch(options)
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const provider: Eip1193Provider = {
    async request({ method, params }) {
      if (typeof method !== 'string') throw new ProviderRpcError(-32600, 'invalid request')
      const list = params === undefined ? [] : Array.isArray(params) ? params : [params]
      try {
        const result = materialize(await dispatch(method, list as unknown[]))
        return result === undefined ? null : JSON.parse(JSON.stringify(result))
      } catch (error) {
        const e = toErrorObject(error)
        throw new ProviderRpcError(e.code, e.message, e.data)
      }
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return provider
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener)
      return provider
    },
  }
  return provider
}
