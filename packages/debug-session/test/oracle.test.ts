import { captureMachine, type FrameState, type MachineSnapshot, processTransaction } from '@crucible/evm'
import type { WorldState } from '@crucible/state'
import { seededRandom } from '@crucible/test-support'
import { describe, expect, it } from 'vitest'
import {
  captureStep,
  DebugSession,
  type StepCapture,
  type StepView,
  type TransactionCase,
} from '../src/index.js'
import { stepView } from '../src/views.js'
import { randomCase } from './random-tx.js'

/**
 * The full recording: one straight run that captures every step as it happens (no
 * checkpoints, no re-runs, no host log), the slots touched so far kept by plain sets.
 */
function record(input: TransactionCase): StepCapture[] {
  const host: WorldState = input.state
  const out: StepCapture[] = []
  const storage: { address: bigint; key: bigint }[] = []
  const transient: { address: bigint; key: bigint }[] = []
  const seen = new Set<string>()
  const touch = (list: typeof storage, kind: string, address: bigint, key: bigint) => {
    const id = `${kind}:${address}:${key}`
    if (seen.has(id)) return
    seen.add(id)
    list.push({ address, key })
  }
  let n = 0
  let pending:
    | {
        machine: MachineSnapshot
        storage: { address: bigint; key: bigint; original: bigint; current: bigint }[]
        transient: { address: bigint; key: bigint; current: bigint }[]
      }
    | undefined
  processTransaction(host, input.tx, input.block, input.rules, {
    inspector: {
      step(frame: FrameState) {
        const op = frame.opcode()
        const items = frame.stackItems()
        if ((op === 0x54 && items.length >= 1) || (op === 0x55 && items.length >= 2))
          touch(storage, 's', frame.address, items[items.length - 1]!)
        if ((op === 0x5c && items.length >= 1) || (op === 0x5d && items.length >= 2))
          touch(transient, 't', frame.address, items[items.length - 1]!)
        pending = {
          machine: captureMachine(frame),
          storage: storage.map(({ address, key }) => ({
            address,
            key,
            original: host.getOriginalStorage(address, key),
            current: host.getStorage(address, key),
          })),
          transient: transient.map(({ address, key }) => ({
            address,
            key,
            current: host.getTransientStorage(address, key),
          })),
        }
      },
      stepEnd(frame, gasCost, halt) {
        const p = pending!
        out.push({
          step: n++,
          machine: p.machine,
          gasCost,
          halt,
          stackAfter: frame.stackItems(),
          storage: p.storage.map((s) => ({ ...s, next: host.getStorage(s.address, s.key) })),
          transient: p.transient.map((s) => ({ ...s, next: host.getTransientStorage(s.address, s.key) })),
        })
      },
    },
  })
  return out
}

const view = (r: { ok: boolean; result?: unknown }) => {
  expect(r.ok).toBe(true)
  return r.result as StepView
}

describe('oracle: the checkpointed engine against a full recording', () => {
  for (let seed = 1; seed <= 30; seed++) {
    it(`random transaction, seed ${seed}`, { timeout: 180_000 }, () => {
      const r = seededRandom(seed)
      const recorded = record(randomCase(seededRandom(seed)))
      const interval = r.pick([1, 2, 3, 7, 50])
      const session = new DebugSession(randomCase(seededRandom(seed)), {
        checkpointInterval: interval,
        // A tiny budget on some seeds: checkpoints get thinned while the first pass runs.
        checkpointBudget: seed % 3 === 0 ? 3000 : undefined,
      })
      const engine = session.engine
      expect(engine.totalSteps).toBe(recorded.length)
      // Every step, forwards then backwards, by the protocol's step commands.
      const expected = (n: number) => stepView(engine, recorded[n]!)
      expect(view(session.handle({ cmd: 'view' })).step).toBe(0)
      for (let n = 0; n < recorded.length; n++) {
        if (n > 0) expect(view(session.handle({ cmd: 'stepInto' }))).toEqual(expected(n))
        expect(captureStep(engine, n)).toEqual(recorded[n])
      }
      expect(view(session.handle({ cmd: 'stepInto' })).atEnd).toBe(true)
      for (let n = recorded.length - 1; n >= 0; n--) {
        expect(view(session.handle({ cmd: 'reverseStepInto' }))).toEqual(expected(n))
      }
      // Random jumps.
      for (let k = 0; k < 20 && recorded.length > 0; k++) {
        const n = r.int(recorded.length)
        expect(view(session.handle({ cmd: 'goto', step: n }))).toEqual(expected(n))
      }
    })
  }
})

/** Per recorded step: depth, opcode, pc, code address (for brute-force navigation). */
function facts(recorded: StepCapture[]) {
  return recorded.map((c) => {
    const f = c.machine.frames[c.machine.frames.length - 1]!
    const create = f.kind >= 4
    return {
      depth: f.depth,
      op: f.pc < f.code.length ? f.code[f.pc]! : 0,
      pc: f.pc,
      address: f.address,
      code: create ? f.address : f.codeAddress,
      create,
      stack: f.stack,
    }
  })
}

describe('oracle: navigation and breakpoints against brute force over the recording', () => {
  for (let seed = 1; seed <= 30; seed++) {
    it(`random transaction, seed ${seed}`, { timeout: 180_000 }, () => {
      const r = seededRandom(1000 + seed)
      const recorded = record(randomCase(seededRandom(seed)))
      const steps = facts(recorded)
      const total = steps.length
      const session = new DebugSession(randomCase(seededRandom(seed)), {
        checkpointInterval: r.pick([1, 4, 9]),
      })
      const at = (cmd: string, from: number) => {
        view(session.handle({ cmd: 'goto', step: from }))
        return view(session.handle({ cmd } as never)).step
      }
      const firstAfter = (n: number, test: (m: number) => boolean, none: number) => {
        for (let m = n + 1; m < total; m++) if (test(m)) return m
        return none
      }
      const lastBefore = (n: number, test: (m: number) => boolean, none: number) => {
        for (let m = n - 1; m >= 0; m--) if (test(m)) return m
        return none
      }
      for (let n = 0; n < total; n++) {
        const d = steps[n]!.depth
        const over =
          steps[n + 1] !== undefined && steps[n + 1]!.depth > d
            ? firstAfter(n, (m) => steps[m]!.depth <= d, total)
            : n + 1
        expect(at('stepOver', n), `stepOver from ${n}`).toBe(over)
        expect(at('stepOut', n), `stepOut from ${n}`).toBe(firstAfter(n, (m) => steps[m]!.depth < d, total))
        expect(at('reverseStepOut', n), `reverseStepOut from ${n}`).toBe(
          lastBefore(n, (m) => steps[m]!.depth < d, 0),
        )
        const back =
          n > 0 && steps[n - 1]!.depth > d
            ? lastBefore(n - 1, (m) => steps[m]!.depth <= d, 0)
            : Math.max(0, n - 1)
        expect(at('reverseStepOver', n), `reverseStepOver from ${n}`).toBe(back)
      }
      // Breakpoints, one kind at a time, from random positions both ways.
      const pick = steps[r.int(total)]!
      const specs: [Parameters<DebugSession['handle']>[0] & { cmd: 'break' }, (m: number) => boolean][] = [
        [{ cmd: 'break', breakpoint: { kind: 'opcode', opcode: pick.op } }, (m) => steps[m]!.op === pick.op],
        [
          {
            cmd: 'break',
            breakpoint: { kind: 'pc', address: hexAddress(pick.code), pc: pick.pc, initcode: pick.create },
          },
          (m) => steps[m]!.pc === pick.pc && steps[m]!.code === pick.code && steps[m]!.create === pick.create,
        ],
        [
          { cmd: 'break', breakpoint: { kind: 'sstore' } },
          (m) => steps[m]!.op === 0x55 && steps[m]!.stack.length >= 2,
        ],
        [
          { cmd: 'break', breakpoint: { kind: 'sstore', slot: '0x1' } },
          (m) => steps[m]!.op === 0x55 && steps[m]!.stack.length >= 2 && steps[m]!.stack.at(-1) === 1n,
        ],
        [
          { cmd: 'break', breakpoint: { kind: 'sload' } },
          (m) => steps[m]!.op === 0x54 && steps[m]!.stack.length >= 1,
        ],
        [
          { cmd: 'break', breakpoint: { kind: 'tstore' } },
          (m) => steps[m]!.op === 0x5d && steps[m]!.stack.length >= 2,
        ],
        [
          { cmd: 'break', breakpoint: { kind: 'log' } },
          (m) =>
            steps[m]!.op >= 0xa0 &&
            steps[m]!.op <= 0xa4 &&
            steps[m + 1] !== undefined &&
            recorded[m]!.halt === undefined,
        ],
      ]
      for (const [command, test] of specs) {
        const id = (session.handle(command) as { result: { id: number } }).result.id
        for (let k = 0; k < 8; k++) {
          const n = r.int(total + 1)
          expect(at('continue', n), `${JSON.stringify(command.breakpoint)} continue from ${n}`).toBe(
            firstAfter(n, test, total),
          )
          expect(at('reverseContinue', n), `${JSON.stringify(command.breakpoint)} reverse from ${n}`).toBe(
            lastBefore(n, test, 0),
          )
        }
        session.handle({ cmd: 'delete', id })
      }
    })
  }
})

const hexAddress = (a: bigint) => `0x${a.toString(16).padStart(40, '0')}`
