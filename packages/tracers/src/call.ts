import {
  CallKind,
  type EnterInfo,
  type ExitInfo,
  type ForkTable,
  forkTable,
  type Inspector,
  type Log,
  Outcome,
  type TransactionResult,
} from '@crucible/evm'
import { exitError } from './errors.js'
import { address, bytes, quantity, word } from './hex.js'
import { unpackRevert } from './revert.js'
import { flag, type Tracer, type TracerConfig, type TxContext } from './tracer.js'

/** geth's callTracer options. */
export interface CallTracerConfig {
  /** Only the transaction's own call, no sub-calls. */
  onlyTopCall?: boolean
  /** Collect the logs of each call (with `index` in the transaction and `position` among its calls). */
  withLog?: boolean
}

export interface CallLogJson {
  address: string
  topics: string[]
  data: string
  index: string
  position: string
}

/** One call as geth's callTracer writes it (eth/tracers/native/call.go). */
export interface CallFrameJson {
  type: string
  from: string
  gas: string
  gasUsed: string
  to?: string
  input: string
  output?: string
  error?: string
  revertReason?: string
  calls?: CallFrameJson[]
  logs?: CallLogJson[]
  value?: string
}

const TYPE_NAMES = ['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'CREATE2'] as const

/** geth's `callTracer`: the tree of calls of a transaction. */
export function callTracer(config: TracerConfig = {}): Tracer {
  const onlyTopCall = flag(config, 'onlyTopCall')
  const withLog = flag(config, 'withLog')
  // The open calls (only the top one with onlyTopCall), and for every open message, traced
  // or not, the log count when it started: a failed message's logs are undone, and geth's
  // next log index (the state's log count) goes back with them.
  const stack: CallFrameJson[] = []
  const logsAtEnter: number[] = []
  const failed = new WeakSet<CallFrameJson>()
  let top: CallFrameJson | undefined
  let table: ForkTable | undefined
  let gasLimit = 0n
  let logCount = 0

  const inspector: Inspector = {
    enter(info: EnterInfo) {
      logsAtEnter.push(logCount)
      if (onlyTopCall && info.depth > 0) return
      // geth names a DELEGATECALL or CALLCODE from the calling contract to the code it borrows.
      const borrowed = info.kind === CallKind.DelegateCall || info.kind === CallKind.CallCode
      const json: CallFrameJson = {
        type: TYPE_NAMES[info.kind],
        from: address(borrowed ? info.to : info.from),
        gas: quantity(info.depth === 0 ? gasLimit : info.gas),
        gasUsed: '0x0',
        to: address(borrowed ? info.codeAddress : info.to),
        input: bytes(info.input),
      }
      // geth passes no value for STATICCALL; DELEGATECALL carries the caller's.
      if (info.kind !== CallKind.StaticCall) json.value = quantity(info.value)
      if (info.depth === 0) top = json
      else {
        const parent = stack[stack.length - 1]!
        if (parent.calls === undefined) parent.calls = []
        parent.calls.push(json)
      }
      stack.push(json)
    },
    exit(info: ExitInfo) {
      const enteredWith = logsAtEnter.pop()!
      if (info.outcome !== Outcome.Success) logCount = enteredWith
      if (onlyTopCall && info.depth > 0) return
      const json = stack.pop()!
      json.gasUsed = quantity(info.gasUsed)
      const error = exitError(info, table!)
      if (error === undefined) {
        if (info.output.length > 0) json.output = bytes(info.output)
        return
      }
      json.error = error
      failed.add(json)
      if (info.kind === CallKind.Create || info.kind === CallKind.Create2) delete json.to
      if (info.outcome !== Outcome.Revert || info.output.length === 0) return
      json.output = bytes(info.output)
      const reason = unpackRevert(info.output)
      if (reason !== undefined) json.revertReason = reason
    },
  }
  if (withLog)
    inspector.log = (frame, log: Log) => {
      const index = logCount++
      if (onlyTopCall && frame.depth > 0) return
      const current = stack[stack.length - 1]!
      if (current.logs === undefined) current.logs = []
      current.logs.push({
        address: address(log.address),
        topics: log.topics.map(word),
        data: bytes(log.data),
        index: quantity(index),
        position: quantity(current.calls?.length ?? 0),
      })
    }
  else inspector.log = () => void logCount++

  return {
    inspector,
    txStart(ctx: TxContext) {
      gasLimit = ctx.tx.gasLimit
      table = forkTable(ctx.rules)
      logCount = ctx.logIndex ?? 0
    },
    txEnd(result: TransactionResult) {
      if (top === undefined) return
      top.gasUsed = quantity(result.gasUsed)
      if (withLog) clearFailedLogs(top, false, failed)
    },
    result() {
      return top
    },
  }
}

/** Drops the logs of failed calls and of every call under one (geth's clearFailedLogs). */
function clearFailedLogs(json: CallFrameJson, parentFailed: boolean, failed: WeakSet<CallFrameJson>): void {
  const isFailed = parentFailed || failed.has(json)
  if (isFailed) delete json.logs
  for (const call of json.calls ?? []) clearFailedLogs(call, isFailed, failed)
}
