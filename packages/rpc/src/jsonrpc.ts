import { CrucibleError } from '@crucible/primitives'
import { RpcError, RpcErrorCode } from './errors.js'
import { isStreamed, materialize, type ResultSink } from './stream.js'

export type JsonRpcId = string | number | null

export interface JsonRpcRequest {
  jsonrpc: '2.0'
  id?: JsonRpcId
  method: string
  params?: unknown
}

export interface JsonRpcErrorObject {
  code: number
  message: string
  data?: unknown
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: unknown }
  | { jsonrpc: '2.0'; id: JsonRpcId; error: JsonRpcErrorObject }

/** Calls one method; throws {@link RpcError} (or anything, which becomes -32603). */
export type Dispatch = (method: string, params: unknown[]) => unknown | Promise<unknown>

export interface FrameOptions {
  /** Most requests in one batch (default 1,000); a larger batch is answered with one error. */
  maxBatch?: number
  /**
   * Leave {@link StreamedResult}s in the responses for the caller to write out with
   * {@link writeResponse} (a transport that streams); otherwise they are materialized.
   */
  keepStreamed?: boolean
}

export function errorResponse(id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcResponse {
  const error: JsonRpcErrorObject = { code, message }
  if (data !== undefined) error.data = data
  return { jsonrpc: '2.0', id, error }
}

/** The error object of anything a handler threw. */
export function toErrorObject(error: unknown): JsonRpcErrorObject {
  if (error instanceof RpcError) {
    const out: JsonRpcErrorObject = { code: error.rpcCode, message: error.shortMessage }
    if (error.data !== undefined) out.data = error.data
    return out
  }
  if (error instanceof CrucibleError) return { code: RpcErrorCode.Server, message: error.shortMessage }
  return { code: RpcErrorCode.Internal, message: error instanceof Error ? error.message : String(error) }
}

function validId(id: unknown): id is JsonRpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

/** Answers one request object; `undefined` for a notification (no id). */
export async function handleOne(
  request: unknown,
  dispatch: Dispatch,
  options: FrameOptions = {},
): Promise<JsonRpcResponse | undefined> {
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return errorResponse(null, RpcErrorCode.InvalidRequest, 'invalid request')
  const r = request as Record<string, unknown>
  const hasId = 'id' in r
  const id = hasId && validId(r.id) ? r.id : null
  if (r.jsonrpc !== '2.0' || (hasId && !validId(r.id)) || typeof r.method !== 'string')
    return errorResponse(id, RpcErrorCode.InvalidRequest, 'invalid request')
  let params: unknown[]
  if (r.params === undefined || r.params === null) params = []
  else if (Array.isArray(r.params)) params = r.params
  else return errorResponse(id, RpcErrorCode.InvalidParams, 'non-array args')
  let response: JsonRpcResponse
  try {
    let result = await dispatch(r.method, params)
    // Notifications are not answered: their streamed work is never run.
    if (isStreamed(result) && !(options.keepStreamed && hasId)) result = hasId ? materialize(result) : null
    response = { jsonrpc: '2.0', id, result: result === undefined ? null : result }
  } catch (error) {
    response = { jsonrpc: '2.0', id, error: toErrorObject(error) }
  }
  return hasId ? response : undefined
}

/**
 * Answers a parsed JSON-RPC body: one request or a batch. Returns `undefined` when nothing
 * is to be sent back (only notifications).
 */
export async function handleBody(
  body: unknown,
  dispatch: Dispatch,
  options: FrameOptions = {},
): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
  if (!Array.isArray(body)) return handleOne(body, dispatch, options)
  if (body.length === 0) return errorResponse(null, RpcErrorCode.InvalidRequest, 'empty batch')
  const max = options.maxBatch ?? 1000
  if (body.length > max)
    return errorResponse(null, RpcErrorCode.LimitExceeded, `batch too large (${body.length} > ${max})`)
  const out: JsonRpcResponse[] = []
  // In order, one after another: later requests of a batch may depend on earlier ones.
  for (const request of body) {
    const response = await handleOne(request, dispatch, options)
    if (response) out.push(response)
  }
  return out.length > 0 ? out : undefined
}

/** Answers a JSON-RPC text body; malformed JSON is -32700. */
export async function handleText(
  text: string,
  dispatch: Dispatch,
  options: FrameOptions = {},
): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return errorResponse(null, RpcErrorCode.ParseError, 'parse error')
  }
  return handleBody(body, dispatch, options)
}

/**
 * Writes one response as JSON text to `sink`, a streamed result's text as it is made. What a
 * streamed result throws part-way is thrown on (the text written so far is then incomplete:
 * the transport decides whether it can still take it back).
 */
export function writeResponse(response: JsonRpcResponse, sink: ResultSink): void {
  if (!('result' in response) || !isStreamed(response.result)) {
    sink(JSON.stringify(response))
    return
  }
  sink(`{"jsonrpc":"2.0","id":${JSON.stringify(response.id)},"result":`)
  response.result.write(sink)
  sink('}')
}
