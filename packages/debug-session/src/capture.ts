import { captureMachine, type HaltReason, type MachineSnapshot } from '@crucible/evm'
import { type Engine, Pause } from './engine.js'
import { DebugSessionError } from './errors.js'
import { lastAtOrBefore, type TraceIndex } from './trace-index.js'

/** A storage slot as the views show it. */
export interface SlotValues {
  readonly address: bigint
  readonly key: bigint
  /** At the start of the transaction. */
  readonly original: bigint
  /** Before the step. */
  readonly current: bigint
  /** After the step. */
  readonly next: bigint
}

/** A transient storage slot before and after the step. */
export interface TransientValues {
  readonly address: bigint
  readonly key: bigint
  readonly current: bigint
  readonly next: bigint
}

/**
 * Everything about one step that comes from running it (the rest of a view comes from the
 * index): the machine before it, its gas cost and halt, and the storage slots touched so far.
 */
export interface StepCapture {
  readonly step: number
  readonly machine: MachineSnapshot
  /** What the step charged (dynamic part and gas handed to a callee included). */
  readonly gasCost: number
  readonly halt: HaltReason | undefined
  /** The executing frame's stack after the step (before a callee runs, for CALL/CREATE). */
  readonly stackAfter: readonly bigint[]
  readonly storage: readonly SlotValues[]
  readonly transient: readonly TransientValues[]
}

/** The most slots a capture reads (the most recently first touched are kept). */
export const MAX_SLOTS = 256

/** Distinct (address, key) pairs of the reads and writes, with the step of the first touch, in that order. */
function touchedSlotsAll(
  reads: { step: number[]; address: bigint[]; key: bigint[] },
  writes: { step: number[]; address: bigint[]; key: bigint[] },
): { address: bigint; key: bigint; first: number }[] {
  const seen = new Map<bigint, Set<bigint>>()
  const out: { address: bigint; key: bigint; first: number }[] = []
  let r = 0
  let w = 0
  for (;;) {
    const rs = r < reads.step.length ? reads.step[r]! : Number.POSITIVE_INFINITY
    const ws = w < writes.step.length ? writes.step[w]! : Number.POSITIVE_INFINITY
    const s = Math.min(rs, ws)
    if (s === Number.POSITIVE_INFINITY) break
    const list = rs <= ws ? reads : writes
    const i = rs <= ws ? r++ : w++
    const address = list.address[i]!
    const key = list.key[i]!
    let keys = seen.get(address)
    if (keys === undefined) seen.set(address, (keys = new Set()))
    if (keys.has(key)) continue
    keys.add(key)
    out.push({ address, key, first: s })
  }
  return out
}

/** Every distinct slot with the step that first touched it, in that order (built once per index). */
interface FirstTouches {
  step: number[]
  slots: { address: bigint; key: bigint }[]
}

const firstTouches = new WeakMap<TraceIndex, { storage: FirstTouches; transient: FirstTouches }>()

function firstTouchList(
  reads: { step: number[]; address: bigint[]; key: bigint[] },
  writes: { step: number[]; address: bigint[]; key: bigint[] },
): FirstTouches {
  const slots = touchedSlotsAll(reads, writes)
  return { step: slots.map((s) => s.first), slots: slots.map(({ address, key }) => ({ address, key })) }
}

/** The slots a capture at `step` reads: storage and transient, from the index. */
export function slotsAt(index: TraceIndex, step: number) {
  let lists = firstTouches.get(index)
  if (lists === undefined) {
    lists = {
      storage: firstTouchList(index.sload, index.sstore),
      transient: firstTouchList(index.tload, index.tstore),
    }
    firstTouches.set(index, lists)
  }
  const upTo = (l: FirstTouches) => {
    const n = lastAtOrBefore(l.step, step) + 1
    return l.slots.slice(Math.max(0, n - MAX_SLOTS), n)
  }
  return { storage: upTo(lists.storage), transient: upTo(lists.transient) }
}

/** Re-runs to `step` (< total) from the nearest checkpoint and captures it. */
export function captureStep(engine: Engine, step: number): StepCapture {
  const slots = slotsAt(engine.index, step)
  let capture: StepCapture | undefined
  let machine: MachineSnapshot | undefined
  let storage: { address: bigint; key: bigint; original: bigint; current: bigint }[] = []
  let transient: { address: bigint; key: bigint; current: bigint }[] = []
  const from = engine.checkpointFor(step)
  const base = engine.checkpoints[from]!.machine
  const outcome = engine.rerun(from, {
    step(frame, n, host) {
      if (n !== step) return
      // Pages unchanged since the checkpoint are shared with it.
      machine = captureMachine(frame, base)
      storage = slots.storage.map(({ address, key }) => ({
        address,
        key,
        original: host.getOriginalStorage(address, key),
        current: host.getStorage(address, key),
      }))
      transient = slots.transient.map(({ address, key }) => ({
        address,
        key,
        current: host.getTransientStorage(address, key),
      }))
    },
    stepEnd(frame, n, gasCost, halt, host) {
      if (n !== step) return
      capture = {
        step,
        machine: machine!,
        gasCost,
        halt,
        stackAfter: frame.stackItems(),
        storage: storage.map((s) => ({ ...s, next: host.getStorage(s.address, s.key) })),
        transient: transient.map((s) => ({ ...s, next: host.getTransientStorage(s.address, s.key) })),
      }
      throw new Pause('captured')
    },
  })
  if (capture === undefined)
    throw new DebugSessionError('INTERNAL', 'A re-run did not reach the step', {
      step,
      stopped: outcome instanceof Pause ? 'paused' : 'ended',
    })
  return capture
}
