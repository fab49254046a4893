import { CALL_KIND_NAMES, CallKind, OPCODE_NAMES, Outcome, type TransactionResult } from '@crucible/evm'
import type { StepCapture } from './capture.js'
import type { Engine } from './engine.js'
import { address, bytes, word } from './json.js'
import {
  disassemble,
  type Instruction,
  instructionIndex,
  type MemoryRange,
  memoryEffects,
  stackInputs,
} from './opcodes.js'
import type { DecodedArgument } from './source/abi.js'
import type { DecodedCall, DecodedEvent, DecodedRevert } from './source/decode.js'
import type { SourceView } from './source/level.js'
import { type CallRecord, lastAtOrBefore } from './trace-index.js'

/** How much of the big panes a view carries (clients ask for more with commands). */
export interface ViewLimits {
  /** Bytes of memory. Default 1024. */
  memory: number
  /** Instructions before and after the current one. Default 16. */
  disassembly: number
  /** Bytes of calldata and of return data. Default 4096. */
  data: number
  /** The most recent logs and transfers. Default 64. */
  events: number
}

export const DEFAULT_LIMITS: ViewLimits = { memory: 1024, disassembly: 16, data: 4096, events: 64 }

export interface SlotView {
  address: string
  key: string
  original: string
  current: string
  /** After this step (differs from `current` only at a write). */
  new: string
}

export interface TransientView {
  address: string
  key: string
  current: string
  new: string
}

export interface LogView {
  step: number
  call: number
  address: string
  topics: string[]
  data: string
  /** Undone: its frame or a caller failed (it is not in the receipt). */
  removed: boolean
  /** By the emitter's ABI (with sources). */
  decoded?: DecodedEvent
}

export interface TransferView {
  step: number
  call: number
  from: string
  to: string
  value: string
  kind: string
  removed: boolean
}

export interface FrameView {
  call: number
  depth: number
  kind: string
  address: string
  codeAddress: string
  caller: string
  value: string
  isStatic: boolean
  pc: number
}

export interface ResultView {
  status: 0 | 1
  outcome: 'success' | 'revert' | 'halt'
  halt?: string
  gasUsed: string
  gasRefund: string
  output: string
  createdAddress?: string
  /** The revert reason (`Error(string)`, `Panic(uint256)`, or a custom error of the sources). */
  revert?: DecodedRevert
  /** The output decoded by the called function's outputs (with sources). */
  decoded?: DecodedArgument[]
}

/** The whole picture at one position: what every pane shows. */
export interface StepView {
  /** The position: the step about to run, or `totalSteps` after the transaction. */
  step: number
  totalSteps: number
  atEnd: boolean
  /** The executing frame (absent at the end). */
  frame?: FrameView
  pc?: number
  op?: number
  opName?: string
  /** Gas left before the step. */
  gas?: number
  /** What the step charges. */
  gasCost?: number
  /** Exceptional halt caused by this step. */
  halt?: string
  /** Refund counter of the transaction so far. */
  refund?: number
  /** Bottom first; `operands` = how many of the top items the step consumes. */
  stack?: { items: string[]; operands: number; after: string[] }
  memory?: { size: number; offset: number; data: string; reads: MemoryRange[]; writes: MemoryRange[] }
  disassembly?: { address: string; initcode: boolean; current: number; lines: Instruction[] }
  /** Outermost first. */
  callStack?: FrameView[]
  /** `decoded`: by the frame's ABI (with sources); constructor arguments for creation code. */
  calldata?: { length: number; data: string; decoded?: DecodedCall }
  /** The output of the frame's last call: `decoded` by the callee's outputs, or its `revert` reason. */
  returnData?: { length: number; data: string; decoded?: DecodedArgument[]; revert?: DecodedRevert }
  /**
   * Where the step is in the sources (only with sources): file, line, range, function; or
   * `known: false` and why (no artifact has this code, no source for the instruction) — then
   * clients show the opcode view.
   */
  source?: SourceView
  storage: SlotView[]
  transient: TransientView[]
  /** Logs emitted before this position (the most recent `events`). */
  logs: LogView[]
  /** Value moved by calls, creations and self-destructs before this position. */
  transfers: TransferView[]
  result: ResultView
}

export function resultView(r: TransactionResult): ResultView {
  const out: ResultView = {
    status: r.status,
    outcome: r.outcome === Outcome.Success ? 'success' : r.outcome === Outcome.Revert ? 'revert' : 'halt',
    gasUsed: word(r.gasUsed),
    gasRefund: word(r.gasRefund),
    output: bytes(r.output),
  }
  if (r.halt !== undefined) out.halt = r.halt
  if (r.createdAddress !== undefined) out.createdAddress = address(r.createdAddress)
  return out
}

function frameView(call: CallRecord, f: StepCapture['machine']['frames'][number]): FrameView {
  return {
    call: call.id,
    depth: f.depth,
    kind: CALL_KIND_NAMES[f.kind],
    address: address(f.address),
    codeAddress: address(f.codeAddress),
    caller: address(f.caller),
    value: word(f.value),
    isStatic: f.isStatic,
    pc: f.pc,
  }
}

/** The calls enclosing `step`, outermost first (from the index). */
export function callChain(engine: Engine, step: number): CallRecord[] {
  const chain: CallRecord[] = []
  for (
    let c: CallRecord | undefined = engine.index.callAt(step);
    c !== undefined;
    c = engine.index.calls[c.parent]
  )
    chain.push(c)
  return chain.reverse()
}

/** Logs before `position` (steps < position), the most recent `limit`. */
export function logsBefore(engine: Engine, position: number, limit: number): LogView[] {
  const e = engine.index.logs
  const end = lastAtOrBefore(e.step, position - 1) + 1
  const out: LogView[] = []
  for (let i = Math.max(0, end - limit); i < end; i++)
    out.push({
      step: e.step[i]!,
      call: e.call[i]!,
      address: address(e.address[i]!),
      topics: e.topics[i]!.map(word),
      data: bytes(e.data[i]!),
      removed: engine.index.undone(e.call[i]!),
    })
  return out
}

/** Value transfers before `position`: calls and creations with value, self-destructs. */
export function transfersBefore(engine: Engine, position: number, limit: number): TransferView[] {
  const out: TransferView[] = []
  const { calls, selfdestructs: sd } = engine.index
  for (const c of calls) {
    // The root's value moves before step 0; a call's right after its CALL step.
    if (c.parent >= 0 && c.callerStep >= position) break
    // A DELEGATECALL carries its caller's value without moving it.
    if (c.value === 0n || c.kind === CallKind.DelegateCall) continue
    out.push({
      step: c.callerStep,
      call: c.id,
      from: address(c.from),
      to: address(c.to),
      value: word(c.value),
      kind: CALL_KIND_NAMES[c.kind],
      removed: engine.index.undone(c.id),
    })
  }
  for (let i = 0; i < sd.step.length && sd.step[i]! < position; i++) {
    if (sd.balance[i] === 0n) continue
    out.push({
      step: sd.step[i]!,
      call: sd.call[i]!,
      from: address(sd.address[i]!),
      to: address(sd.beneficiary[i]!),
      value: word(sd.balance[i]!),
      kind: 'SELFDESTRUCT',
      removed: engine.index.undone(sd.call[i]!),
    })
  }
  out.sort((a, b) => a.step - b.step)
  return out.slice(-limit)
}

/** The view at a step, from its capture and the index. */
export function stepView(
  engine: Engine,
  capture: StepCapture,
  limits: ViewLimits = DEFAULT_LIMITS,
): StepView {
  const frames = capture.machine.frames
  const f = frames[frames.length - 1]!
  const chain = callChain(engine, capture.step)
  const op = f.pc < f.code.length ? f.code[f.pc]! : 0
  const stack = f.stack
  const effects = memoryEffects(op, stack)
  const focus = effects.writes[0] ?? effects.reads[0]
  const memOffset =
    focus === undefined
      ? 0
      : Math.max(0, Math.min(focus.offset - (focus.offset % 32), f.memorySize - limits.memory))
  const index = instructionIndex(f.code, f.pc)
  const from = Math.max(0, index - limits.disassembly)
  const call = chain[chain.length - 1]!
  let refund = 0
  for (const fr of frames) refund += fr.refund
  const view: StepView = {
    step: capture.step,
    totalSteps: engine.totalSteps,
    atEnd: false,
    frame: frameView(call, f),
    pc: f.pc,
    op,
    opName: OPCODE_NAMES[op]!,
    gas: f.gas,
    gasCost: capture.gasCost,
    refund,
    stack: {
      items: stack.map(word),
      operands: Math.min(stack.length, stackInputs(engine.input.rules, op)),
      after: capture.stackAfter.map(word),
    },
    memory: {
      size: f.memorySize,
      offset: memOffset,
      data: bytes(f.readMemory(memOffset, Math.max(0, Math.min(limits.memory, f.memorySize - memOffset)))),
      reads: effects.reads,
      writes: effects.writes,
    },
    disassembly: {
      address: address(call.kind >= 4 ? f.address : f.codeAddress),
      initcode: call.kind >= 4,
      current: index - from,
      lines: disassemble(f.code, from, 2 * limits.disassembly + 1),
    },
    callStack: frames.map((fr, i) => frameView(chain[i] ?? call, fr)),
    calldata: { length: f.input.length, data: bytes(f.input, 0, limits.data) },
    returnData: { length: f.returnData.length, data: bytes(f.returnData, 0, limits.data) },
    storage: capture.storage.map((s) => ({
      address: address(s.address),
      key: word(s.key),
      original: word(s.original),
      current: word(s.current),
      new: word(s.next),
    })),
    transient: capture.transient.map((s) => ({
      address: address(s.address),
      key: word(s.key),
      current: word(s.current),
      new: word(s.next),
    })),
    logs: logsBefore(engine, capture.step, limits.events),
    transfers: transfersBefore(engine, capture.step, limits.events),
    result: resultView(engine.result),
  }
  if (capture.halt !== undefined) view.halt = capture.halt
  return view
}
