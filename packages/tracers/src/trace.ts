import {
  type BlockEnv,
  type Host,
  type Inspector,
  processTransaction,
  type TransactionInput,
  type TransactionResult,
} from '@crucible/evm'
import type { ForkRules } from '@crucible/forks'
import { callTracer } from './call.js'
import { TracerConfigError, TraceTimeoutError } from './errors.js'
import { prestateTracer } from './prestate.js'
import { fourByteTracer, muxTracer, noopTracer } from './simple.js'
import { type StructLoggerConfig, structLogger, type TraceSink } from './struct-logger.js'
import type { Tracer, TracerConfig } from './tracer.js'

/** The `debug_trace*` options object (execution-apis `TraceConfig`). */
export interface TraceConfig extends StructLoggerConfig {
  /** A named tracer; absent or empty: the opcode logger. */
  tracer?: string
  tracerConfig?: TracerConfig
  /** A Go duration string (`"5s"`, `"300ms"`) or milliseconds; default 5 s. */
  timeout?: string | number
}

/** The tracers by geth's names. */
export const TRACER_NAMES = [
  'callTracer',
  'prestateTracer',
  '4byteTracer',
  'noopTracer',
  'muxTracer',
] as const

export const DEFAULT_TIMEOUT_MS = 5_000

/**
 * A tracer for one transaction from `debug_trace*` options: the named tracer with its
 * `tracerConfig`, or the opcode logger (streamed to `sink` when one is given).
 */
export function createTracer(config: TraceConfig = {}, sink?: TraceSink): Tracer {
  const name = config.tracer ?? ''
  const options = config.tracerConfig ?? {}
  switch (name) {
    case '':
      return structLogger(config, sink)
    case 'callTracer':
      return callTracer(options)
    case 'prestateTracer':
      return prestateTracer(options)
    case '4byteTracer':
      return fourByteTracer()
    case 'noopTracer':
      return noopTracer()
    case 'muxTracer': {
      const tracers: Record<string, Tracer> = {}
      for (const [inner, innerConfig] of Object.entries(options)) {
        if (inner === 'muxTracer') throw new TracerConfigError('muxTracer cannot hold a muxTracer')
        tracers[inner] = createTracer({ tracer: inner, tracerConfig: (innerConfig ?? {}) as TracerConfig })
      }
      return muxTracer(tracers)
    }
    default:
      throw new TracerConfigError(`tracer ${name} not found`, { tracer: name })
  }
}

/** A Go duration (`"5s"`, `"1m30s"`, `"300ms"`, `"1.5h"`) or a number of milliseconds, in ms. */
export function parseTimeout(timeout: string | number | undefined): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS
  if (typeof timeout === 'number') return timeout
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5 }
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let consumed = 0
  for (let m = re.exec(timeout); m !== null; m = re.exec(timeout)) {
    total += Number(m[1]) * units[m[2]!]!
    consumed = re.lastIndex
  }
  if (timeout.length === 0 || consumed !== timeout.length)
    throw new TracerConfigError(`invalid timeout ${timeout}`, { timeout })
  return total
}

/** How many steps pass between two looks at the clock. */
const STEPS_PER_CHECK = 1024

/**
 * `inspector` with a deadline: past it the next hook throws {@link TraceTimeoutError}, which
 * abandons the run. The clock is read at every call boundary and once every
 * `STEPS_PER_CHECK` (1024) steps, and only where the inspector already has a hook: a tracer
 * with no step hook (callTracer) is not slowed down per opcode.
 */
export function withDeadline(inspector: Inspector, timeoutMs: number, now = Date.now): Inspector {
  const deadline = now() + timeoutMs
  const check = () => {
    if (now() > deadline) throw new TraceTimeoutError(timeoutMs)
  }
  const out: Inspector = { ...inspector }
  const { step, enter, exit } = inspector
  if (step) {
    let countdown = STEPS_PER_CHECK
    out.step = (frame) => {
      if (--countdown === 0) {
        countdown = STEPS_PER_CHECK
        check()
      }
      step.call(inspector, frame)
    }
  }
  out.enter = (info) => {
    check()
    enter?.call(inspector, info)
  }
  out.exit = (info) => {
    exit?.call(inspector, info)
    check()
  }
  return out
}

export interface TraceTransactionInput {
  /** The state the transaction runs on; it is changed as by executing the transaction. */
  host: Host
  tx: TransactionInput
  block: BlockEnv
  rules: ForkRules
  config?: TraceConfig
  /** Where the opcode logger writes its JSON (no effect on named tracers). */
  sink?: TraceSink
  /** Logs of the block's earlier transactions (callTracer numbers logs across the block). */
  logIndex?: number
}

export interface TracedTransaction {
  /** geth's result for the transaction (undefined when streamed to a sink). */
  result: unknown
  transaction: TransactionResult
}

/**
 * Runs one transaction with a tracer and returns geth's result. Throws what
 * `processTransaction` throws for an invalid transaction, {@link TraceTimeoutError} past the
 * timeout (no partial result; the host is then left mid-transaction: trace on a copy).
 */
export function traceTransaction(input: TraceTransactionInput): TracedTransaction {
  const config = input.config ?? {}
  const tracer = createTracer(config, input.sink)
  const inspector = withDeadline(tracer.inspector, parseTimeout(config.timeout))
  tracer.txStart({
    host: input.host,
    tx: input.tx,
    block: input.block,
    rules: input.rules,
    logIndex: input.logIndex ?? 0,
  })
  const transaction = processTransaction(input.host, input.tx, input.block, input.rules, { inspector })
  tracer.txEnd(transaction)
  return { result: tracer.result(), transaction }
}

export interface TraceBlockInput {
  host: Host
  block: BlockEnv
  rules: ForkRules
  /** The block's transactions in order, with their hashes (0x-prefixed). */
  transactions: readonly { hash: string; tx: TransactionInput }[]
  config?: TraceConfig
  /** With the opcode logger: the whole `[{txHash, result}, …]` array is written here. */
  sink?: TraceSink
}

/** One entry of a block trace: geth's `txTraceResult`. */
export interface BlockTraceEntry {
  txHash: string
  result?: unknown
  error?: string
}

/** The transaction {@link BlockTraceWriter.trace} runs: what `traceTransaction` takes of it. */
export type BlockTransactionInput = Pick<TraceTransactionInput, 'host' | 'tx' | 'block' | 'rules'>

/**
 * A block trace made as the block's transactions run, for callers that drive the execution
 * themselves (a node replaying a block through its own block executor). Each
 * {@link BlockTraceWriter.trace} traces the next transaction with a fresh tracer and numbers
 * its logs after the earlier ones; with a `sink` and the opcode logger the array is written
 * to it as it is made.
 */
export interface BlockTraceWriter {
  trace(hash: string, input: BlockTransactionInput): TracedTransaction
  /** The transaction could not run: `{txHash, error}` is its entry. */
  fail(hash: string, message: string): void
  /** Closes the array and returns the entries (results undefined when streamed). */
  end(): BlockTraceEntry[]
}

export function blockTraceWriter(config: TraceConfig = {}, sink?: TraceSink): BlockTraceWriter {
  const entries: BlockTraceEntry[] = []
  const streamsSteps = sink !== undefined && (config.tracer ?? '') === ''
  let logIndex = 0
  sink?.('[')
  const open = (hash: string) => {
    if (sink !== undefined)
      sink(`${entries.length === 0 ? '' : ','}{"txHash":${JSON.stringify(hash)},"result":`)
  }
  return {
    trace(hash, input) {
      open(hash)
      const traced = traceTransaction({ ...input, config, logIndex, ...(streamsSteps ? { sink } : {}) })
      logIndex += traced.transaction.logs.length
      if (sink !== undefined) sink(streamsSteps ? '}' : `${JSON.stringify(traced.result)}}`)
      entries.push({ txHash: hash, result: traced.result })
      return traced
    },
    fail(hash, message) {
      open(hash)
      sink?.(`null,"error":${JSON.stringify(message)}}`)
      entries.push({ txHash: hash, error: message })
    },
    end() {
      sink?.(']')
      return entries
    },
  }
}

/**
 * Traces a block's transactions, executing them once, in order, on `host` (a state after the
 * block's system calls: the caller applies EIP-4788/2935 before calling). Returns geth's
 * `[{txHash, result}]`; a transaction the EVM refuses gives `{txHash, error}` and stops the
 * block. The timeout applies to each transaction.
 */
export function traceBlock(input: TraceBlockInput): BlockTraceEntry[] {
  const writer = blockTraceWriter(input.config, input.sink)
  for (const { hash, tx } of input.transactions) {
    try {
      writer.trace(hash, { host: input.host, tx, block: input.block, rules: input.rules })
    } catch (error) {
      if (error instanceof TraceTimeoutError) throw error
      writer.fail(hash, error instanceof Error ? error.message : String(error))
      break
    }
  }
  return writer.end()
}
