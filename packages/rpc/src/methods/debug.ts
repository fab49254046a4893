import { type Block, decodeBlock } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import {
  blockTraceWriter,
  createTracer,
  parseTimeout,
  type TraceConfig,
  type TracedTransaction,
  type TraceSink,
  traceTransaction,
  withDeadline,
} from '@crucible/tracers'
import { callArgs, execute, prepareCall } from '../call.js'
import type { ChainBlock, ChainReader } from '../chain.js'
import type { Handler, RpcContext } from '../context.js'
import { serverError } from '../errors.js'
import { findBlock } from '../lookup.js'
import {
  applyBlockOverrides,
  applyStateOverrides,
  parseBlockOverrides,
  parseStateOverrides,
} from '../overrides.js'
import {
  argError,
  blockNumberOrTag,
  blockRef,
  boolean,
  bytes,
  hash,
  object,
  quantity,
  required,
} from '../params.js'
import { type ReplayedTransaction, replayBlock, runUntraced } from '../replay.js'
import { type ResultSink, streamed } from '../stream.js'

const LOGGER_FLAGS = ['disableStack', 'disableStorage', 'enableMemory', 'enableReturnData', 'debug'] as const

/**
 * The `TraceConfig` argument (execution-apis), checked up front: an unknown tracer or a bad
 * timeout is an error before anything runs.
 */
export function traceConfig(value: unknown, index: number): TraceConfig {
  if (value === undefined || value === null) return {}
  const o = object(value, index)
  const out: TraceConfig = {}
  for (const flag of LOGGER_FLAGS)
    if (o[flag] != null && flag !== 'debug') out[flag] = boolean(o[flag], index)
  if (o.limit != null) {
    if (typeof o.limit !== 'number' || !Number.isSafeInteger(o.limit) || o.limit < 0)
      throw argError(index, 'limit must be a non-negative integer')
    out.limit = o.limit
  }
  if (o.tracer != null) {
    if (typeof o.tracer !== 'string') throw argError(index, 'tracer must be a string')
    out.tracer = o.tracer
  }
  if (o.tracerConfig != null) out.tracerConfig = object(o.tracerConfig, index)
  if (o.timeout != null) {
    if (typeof o.timeout !== 'string') throw argError(index, 'timeout must be a duration string')
    out.timeout = o.timeout
  }
  parseTimeout(out.timeout)
  createTracer(out)
  return out
}

/** Whether the config names the opcode logger, whose output is streamed. */
const logsSteps = (config: TraceConfig): boolean => (config.tracer ?? '') === ''

/**
 * The handler's answer: the opcode logger's text streamed (never held whole; see
 * {@link streamed}), a named tracer's value at once.
 */
function answer(config: TraceConfig, run: (sink?: TraceSink) => unknown): unknown {
  return logsSteps(config) ? streamed((sink: ResultSink) => run(sink)) : run()
}

const outcome = (traced: TracedTransaction) => ({
  success: traced.transaction.status === 1,
  gasUsed: traced.transaction.gasUsed,
  logs: traced.transaction.logs,
})

/** The block a trace starts from: the parent's post-state (geth's wording when it is missing). */
function parentOf(chain: ChainReader, block: Block): ChainBlock {
  if (block.header.number === 0n) throw serverError('genesis is not traceable')
  const parent = chain.blockByHash(block.header.parentHash)
  if (!parent) throw serverError(`block ${bytesToHex(block.header.parentHash)} not found`)
  return parent
}

/** geth's `traceBlock`: every transaction of the block traced as it runs, the block run once. */
function traceBlock(ctx: RpcContext, block: Block, configValue: unknown): unknown {
  const parent = parentOf(ctx.chain, block)
  const config = traceConfig(configValue, 1)
  return answer(config, (sink) => {
    const writer = blockTraceWriter(config, sink)
    const trace = (t: ReplayedTransaction) =>
      outcome(writer.trace(t.hash, { host: t.host, tx: t.tx, block: t.env, rules: t.rules }))
    if (block.transactions.length > 0) replayBlock(ctx.chain, parent, block, block.transactions.length, trace)
    const entries = writer.end()
    return sink ? undefined : entries
  })
}

/**
 * The trace of transaction `index` of `block` (`debug_traceTransaction`, `crucible trace`):
 * the block's earlier transactions re-executed untraced, then this one with the tracer
 * `config` names. The opcode logger's answer is a {@link StreamedResult} (the trace runs as
 * it is written), a named tracer's a value.
 */
export function traceTransactionAt(
  chain: ChainReader,
  block: ChainBlock,
  index: number,
  config: TraceConfig,
): unknown {
  const parent = parentOf(chain, block.block)
  return answer(config, (sink) => {
    let result: unknown
    let logIndex = 0
    replayBlock(chain, parent, block.block, index + 1, (t) => {
      if (t.index < index) {
        const out = runUntraced(t)
        logIndex += out.logs.length
        return out
      }
      const traced = traceTransaction({
        host: t.host,
        tx: t.tx,
        block: t.env,
        rules: t.rules,
        config,
        logIndex,
        ...(sink ? { sink } : {}),
      })
      result = traced.result
      return outcome(traced)
    })
    return result
  })
}

export const debugMethods: Record<string, Handler> = {
  debug_traceTransaction(ctx, params) {
    const txHash = hash(required(params, 0), 0)
    const found = ctx.chain.transaction(txHash)
    if (!found) throw serverError('transaction not found')
    return traceTransactionAt(ctx.chain, found.block, found.index, traceConfig(params[1], 1))
  },

  debug_traceBlockByNumber(ctx, params) {
    const ref = blockNumberOrTag(required(params, 0), 0)
    const block = findBlock(ctx.chain, ref)
    if (!block) throw serverError('number' in ref ? `block #${ref.number} not found` : 'block not found')
    return traceBlock(ctx, block.block, params[1])
  },

  debug_traceBlockByHash(ctx, params) {
    const blockHash = hash(required(params, 0), 0)
    const block = ctx.chain.blockByHash(blockHash)
    if (!block) throw serverError(`block ${bytesToHex(blockHash)} not found`)
    return traceBlock(ctx, block.block, params[1])
  },

  /** A block given as RLP (it need not be in the chain; its parent must be). */
  debug_traceBlock(ctx, params) {
    const rlp = bytes(required(params, 0), 0)
    let block: Block
    try {
      block = decodeBlock(rlp)
    } catch (error) {
      throw serverError(`could not decode block: ${error instanceof Error ? error.message : String(error)}`)
    }
    return traceBlock(ctx, block, params[1])
  },

  /**
   * geth's `TraceCall`: a call on the state after a block (or before its transaction
   * `txIndex`), with state and block overrides as `eth_call` takes them.
   */
  debug_traceCall(ctx, params) {
    const args = callArgs(required(params, 0), 0)
    const ref = blockRef(params[1] ?? 'latest', 1)
    if ('tag' in ref && ref.tag === 'pending') throw serverError('tracing on top of pending is not supported')
    const found = findBlock(ctx.chain, ref)
    if (!found)
      throw serverError(
        'number' in ref
          ? `block #${ref.number} not found`
          : 'hash' in ref
            ? `block ${bytesToHex(ref.hash)} not found`
            : `${ref.tag} block not found`,
      )
    const o = params[2] == null ? {} : object(params[2], 2)
    const config = traceConfig(o, 2)
    const blockOverrides = parseBlockOverrides(o.blockOverrides, 2)
    const stateOverrides = parseStateOverrides(o.stateOverrides, 2)
    const txIndex = o.txIndex == null ? undefined : Number(quantity(o.txIndex, 2, 32))
    const block = found.block
    if (txIndex !== undefined && txIndex >= block.transactions.length)
      throw serverError(`transaction index ${txIndex} out of range for block ${found.key}`)
    return answer(config, (sink) => {
      const state =
        txIndex === undefined
          ? ctx.chain.stateAt(found)
          : replayBlock(ctx.chain, parentOf(ctx.chain, block), block, txIndex)
      applyStateOverrides(state, undefined, stateOverrides)
      const rules = ctx.chain.rules(block)
      const limits = { ...ctx.limits, timeoutMs: Number.POSITIVE_INFINITY }
      const call = prepareCall(args, state, block.header, rules, ctx.chain.config, limits, (env) =>
        applyBlockOverrides(env, blockOverrides),
      )
      const tracer = createTracer(config, sink)
      const inspector = withDeadline(tracer.inspector, parseTimeout(config.timeout))
      tracer.txStart({ host: state, tx: call.tx, block: call.env, rules })
      const result = execute(state, call, rules, limits, inspector)
      tracer.txEnd(result)
      return tracer.result()
    })
  },
}
