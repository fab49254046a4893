export { type CallFrameJson, type CallLogJson, type CallTracerConfig, callTracer } from './call.js'
export { exitError, haltMessage, opcodeName, TracerConfigError, TraceTimeoutError } from './errors.js'
export { type PrestateAccountJson, type PrestateTracerConfig, prestateTracer } from './prestate.js'
export { unpackRevert } from './revert.js'
export { combineInspectors, fourByteTracer, muxTracer, noopTracer } from './simple.js'
export { type StructLoggerConfig, structLogger, type TraceSink } from './struct-logger.js'
export {
  type BlockTraceEntry,
  type BlockTraceWriter,
  type BlockTransactionInput,
  blockTraceWriter,
  createTracer,
  DEFAULT_TIMEOUT_MS,
  parseTimeout,
  TRACER_NAMES,
  type TraceBlockInput,
  type TraceConfig,
  type TracedTransaction,
  type TraceTransactionInput,
  traceBlock,
  traceTransaction,
  withDeadline,
} from './trace.js'
export type { Tracer, TracerConfig, TxContext } from './tracer.js'
