import { CallKind } from '@crucible/evm'
import { bigIntToBytes, hexToBytes } from '@crucible/primitives'
import type { StepCapture } from '../capture.js'
import type { Engine } from '../engine.js'
import type { CallView } from '../protocol.js'
import type { LogView, ResultView, StepView } from '../views.js'
import type { ContractInfo } from './artifacts.js'
import { decodeCalldata, decodeConstructor, decodeLog, decodeReturn, decodeRevert } from './decode.js'
import type { SourceLevel } from './level.js'

const isCreate = (kind: CallKind) => kind === CallKind.Create || kind === CallKind.Create2

function contractOf(level: SourceLevel | undefined, call: number): ContractInfo | undefined {
  const s = level?.calls[call]
  return s !== undefined && !s.creation ? s.match.artifact?.contract : undefined
}

function decorateLogs(level: SourceLevel | undefined, logs: LogView[]): void {
  if (level === undefined) return
  for (const log of logs) {
    const topics = log.topics.map((t) => bigIntToBytes(BigInt(t), 32))
    const decoded = decodeLog(topics, hexToBytes(log.data), contractOf(level, log.call), level.sources)
    if (decoded !== undefined) log.decoded = decoded
  }
}

/** The transaction's result: revert reason (always), outputs by the ABI (with sources). */
export function decorateResult(level: SourceLevel | undefined, engine: Engine, result: ResultView): void {
  const output = engine.result.output
  const root = engine.index.calls[0]
  const contract = root === undefined ? undefined : contractOf(level, root.id)
  if (result.status === 0) {
    const revert = decodeRevert(output, contract, level?.sources)
    if (revert !== undefined) result.revert = revert
  } else if (contract !== undefined && root !== undefined) {
    const decoded = decodeReturn(contract, root.input, output)
    if (decoded !== undefined) result.decoded = decoded
  }
}

/** Adds the source location and the ABI decodings to a view (revert reasons need no sources). */
export function decorateStep(
  level: SourceLevel | undefined,
  engine: Engine,
  view: StepView,
  capture: StepCapture | undefined,
): void {
  decorateResult(level, engine, view.result)
  decorateLogs(level, view.logs)
  if (capture === undefined || view.frame === undefined) return
  const frames = capture.machine.frames
  const f = frames[frames.length - 1]!
  const callId = view.frame.call
  const creation = isCreate(f.kind)
  if (level !== undefined) {
    view.source = level.locate(callId, f.code, creation, f.pc)
    const s = level.calls[callId]
    const contract = s?.match.artifact?.contract
    if (contract !== undefined && view.calldata !== undefined) {
      const decoded =
        creation && s!.match.artifact !== undefined
          ? decodeConstructor(contract, f.code.subarray(s!.match.argsOffset))
          : decodeCalldata(contract, f.input)
      if (decoded !== undefined) view.calldata.decoded = decoded
    }
  }
  // Return data: the output of the last call this frame made.
  if (view.returnData !== undefined && f.returnData.length > 0) {
    const call = engine.index.calls[callId]!
    let child: (typeof engine.index.calls)[number] | undefined
    for (let k = call.children.length - 1; k >= 0; k--) {
      const c = engine.index.calls[call.children[k]!]!
      if (c.endStep <= view.step) {
        child = c
        break
      }
    }
    if (child !== undefined) {
      const callee = contractOf(level, child.id)
      if (child.outcome !== 0) {
        const revert = decodeRevert(f.returnData, callee, level?.sources)
        if (revert !== undefined) view.returnData.revert = revert
      } else if (callee !== undefined && !isCreate(child.kind)) {
        const decoded = decodeReturn(callee, child.input, f.returnData)
        if (decoded !== undefined) view.returnData.decoded = decoded
      }
    }
  }
}

/** Function names and decodings in the call tree. */
export function decorateCalls(level: SourceLevel | undefined, engine: Engine, calls: CallView[]): void {
  for (const view of calls) {
    const record = engine.index.calls[view.id]!
    const s = level?.calls[view.id]
    const contract = s?.match.artifact?.contract
    if (contract !== undefined) {
      view.contract = contract.name
      if (s!.creation) view.function = 'constructor'
      else {
        const decoded = decodeCalldata(contract, record.input)
        if (decoded !== undefined) {
          view.function = decoded.function
          if (record.inputLength === record.input.length) view.args = decoded.args
        }
      }
    }
    if (record.outcome !== 0) {
      const revert = decodeRevert(record.output, contract, level?.sources)
      if (revert !== undefined) view.revert = revert
    }
  }
}
