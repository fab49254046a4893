export {
  type BuildAttributes,
  type BuildOptions,
  type BuiltBlock,
  buildBlock,
  nextGasLimit,
} from './build.js'
export {
  type CallArgs,
  type CallLimits,
  callArgs,
  DEFAULT_LIMITS,
  execute,
  failureError,
  type PreparedCall,
  prepareCall,
  revertReason,
} from './call.js'
export {
  type ChainBlock,
  type ChainReader,
  type ChainState,
  type ChainWriter,
  type ImportOutcome,
  MemoryChain,
  type TransactionLocation,
} from './chain.js'
export type { RpcContext } from './context.js'
export { DatabaseChain, type DatabaseChainOptions, type ImportEvent } from './db-chain.js'
export { ENGINE_METHODS, EngineErrorCode, engineMethods } from './engine.js'
export { invalidParams, RpcError, RpcErrorCode, serverError } from './errors.js'
export { FILTER_TIMEOUT_MS, Filters } from './filters.js'
export { blockToJson, headerToJson, type LogContext, logToJson, receiptJson } from './format.js'
export {
  CLIENT_VERSION,
  createContext,
  createDispatch,
  type Handler,
  type HandlerOptions,
  METHODS,
} from './handlers.js'
export {
  type Dispatch,
  errorResponse,
  type FrameOptions,
  handleBody,
  handleOne,
  handleText,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcRequest,
  type JsonRpcResponse,
  toErrorObject,
  writeResponse,
} from './jsonrpc.js'
export { blockLogs, type LogFilter, parseFilter } from './logs.js'
export { findBlock, stateBlock } from './lookup.js'
export { getLogs } from './methods/blocks.js'
export { debugMethods, traceConfig, traceTransactionAt } from './methods/debug.js'
export { type AccountOverride, parseStateOverrides, type StateOverrides } from './overrides.js'
/** Parameter decoders with `-32602` errors naming the argument, for methods defined elsewhere. */
export * as params from './params.js'
export { type BlockRef, type BlockTag, blockRef } from './params.js'
export { blockToPayload, newPayloadRequest, type PayloadJson, payloadToBlock } from './payload.js'
export { type PooledTransaction, TxPool, type TxPoolOptions } from './pool.js'
export { type AccountProof, accountProof, type StorageProof } from './proof.js'
export { createProvider, type Eip1193Provider, ProviderRpcError, type RequestArguments } from './provider.js'
export { type ReplayedTransaction, type ReplayRunner, replayBlock, runUntraced } from './replay.js'
export { chainFromFiles, databaseChainFromFiles, importChain, splitBlocks } from './setup.js'
export { isStreamed, materialize, type ResultSink, type StreamedResult, streamed } from './stream.js'
export { Subscriptions } from './subscriptions.js'
