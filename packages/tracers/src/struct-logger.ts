import {
  type ExitInfo,
  type ForkTable,
  type FrameState,
  forkTable,
  type HaltReason,
  type Host,
  type Inspector,
  Outcome,
  type TransactionResult,
} from '@crucible/evm'
import { bytesToHex } from '@crucible/primitives'
import { haltMessage, opcodeName } from './errors.js'
import { bytes, quantity, word } from './hex.js'
import type { Tracer, TxContext } from './tracer.js'

/** The opcode logger's options (execution-apis `TraceConfig`). */
export interface StructLoggerConfig {
  disableStack?: boolean
  disableStorage?: boolean
  enableMemory?: boolean
  enableReturnData?: boolean
  /** Steps recorded at most (0: no limit); execution goes on past it. */
  limit?: number
}

/** Receives the trace's JSON text in order; the chunks joined are the whole result. */
export type TraceSink = (chunk: string) => void

/** Chunks are handed to the sink at about this size (one string per step would cost more). */
const CHUNK_CHARS = 1 << 16

/**
 * The default opcode logger (geth's struct logger, in execution-apis' `OpcodeTransactionTrace`
 * shape): one entry per opcode with `pc`, `op`, `gas`, `gasCost`, `depth`, `refund`, the stack
 * as minimal hex quantities, memory as 32-byte words, `storage` (the contract's slots seen so
 * far) only at SLOAD and SSTORE, `error` only when there is one.
 *
 * With a `sink` the entries are written to it as they are made, never held: the result is then
 * `undefined` and the sink has received `{"structLogs":[…],"gas":…,"failed":…,"returnValue":…}`.
 * Without one the entries are gathered and {@link Tracer.result} returns the object.
 */
export function structLogger(config: StructLoggerConfig = {}, sink?: TraceSink): Tracer {
  const disableStack = config.disableStack === true
  const disableStorage = config.disableStorage === true
  const enableMemory = config.enableMemory === true
  const enableReturnData = config.enableReturnData === true
  const limit = config.limit ?? 0
  const gathered: Record<string, unknown>[] = []
  let buffer = ''
  let count = 0
  let host: Host
  let table: ForkTable
  // Per contract, the slots seen so far (geth's logger keeps them per address).
  const storage = new Map<bigint, Map<bigint, bigint>>()
  // The entry of the step under way, finished by its stepEnd (gas cost, error).
  let pending: Record<string, unknown> | undefined

  const emit = (entry: Record<string, unknown>) => {
    if (sink === undefined) {
      gathered.push(entry)
      return
    }
    buffer += (count === 0 ? '' : ',') + JSON.stringify(entry)
    count++
    if (buffer.length >= CHUNK_CHARS) {
      sink(buffer)
      buffer = ''
    }
  }
  const flush = () => {
    if (pending === undefined) return
    const entry = pending
    pending = undefined
    emit(entry)
  }

  const inspector: Inspector = {
    step(frame: FrameState) {
      flush()
      if (limit !== 0 && (sink === undefined ? gathered.length : count) >= limit) return
      const op = frame.opcode()
      const entry: Record<string, unknown> = {
        pc: frame.pc,
        op: opcodeName(op, table),
        gas: frame.gas,
        gasCost: 0,
        depth: frame.depth + 1,
      }
      if (!disableStack) entry.stack = frame.stackItems().map(quantity)
      // As geth writes them: empty memory and return data, and a zero refund, are left out.
      if (enableMemory && frame.memoryBytes().length > 0) entry.memory = memoryWords(frame.memoryBytes())
      if (enableReturnData && frame.returnData.length > 0) entry.returnData = bytes(frame.returnData)
      const refund = frame.totalRefund()
      if (refund !== 0) entry.refund = refund
      if (!disableStorage && (op === 0x54 || op === 0x55) && frame.sp >= 1) {
        const items = frame.stackItems()
        const key = items[frame.sp - 1]!
        let slots = storage.get(frame.address)
        if (slots === undefined) storage.set(frame.address, (slots = new Map()))
        if (op === 0x54) slots.set(key, host.getStorage(frame.address, key))
        else if (frame.sp >= 2) slots.set(key, items[frame.sp - 2]!)
        const json: Record<string, string> = {}
        for (const [k, v] of slots) json[word(k)] = word(v)
        entry.storage = json
      }
      pending = entry
    },
    stepEnd(frame: FrameState, gasCost: number, halt: HaltReason | undefined) {
      const entry = pending
      if (entry === undefined) return
      entry.gasCost = Math.max(gasCost, 0)
      if (halt !== undefined) entry.error = haltMessage(halt, table, frame.opcode(), frame.sp, false)
    },
    enter() {
      flush()
    },
    exit(info: ExitInfo) {
      const entry = pending
      if (entry !== undefined && entry.error === undefined && info.outcome === Outcome.Halt && info.halt)
        entry.error = haltMessage(info.halt, table, info.haltOpcode, info.haltStackSize, info.inDeposit)
      flush()
    },
  }

  let summary: { gas: number; failed: boolean; returnValue: string } | undefined
  return {
    inspector,
    txStart(ctx: TxContext) {
      host = ctx.host
      table = forkTable(ctx.rules)
      // Held with the first steps: a transaction refused before it runs writes nothing.
      if (sink !== undefined) buffer = '{"structLogs":['
    },
    txEnd(result: TransactionResult) {
      flush()
      summary = {
        gas: Number(result.gasUsed),
        failed: result.outcome !== Outcome.Success,
        returnValue: bytesToHex(result.output),
      }
      if (sink === undefined) return
      const tail = JSON.stringify(summary)
      sink(`${buffer}],${tail.slice(1)}`)
      buffer = ''
    },
    result() {
      if (sink !== undefined || summary === undefined) return undefined
      return { ...summary, structLogs: gathered }
    },
  }
}

/** Memory as 0x-prefixed 32-byte words (its size is always a multiple of 32). */
function memoryWords(memory: Uint8Array): string[] {
  const words: string[] = []
  for (let i = 0; i < memory.length; i += 32) words.push(bytesToHex(memory.subarray(i, i + 32)))
  return words
}
