import type { TransactionInput } from '@crucible/evm-types'
import { getForkRules } from '@crucible/forks'
import { describe, expect, it } from 'vitest'
import {
  captureMachine,
  Eip3155Tracer,
  type FrameState,
  type MachineSnapshot,
  MachineSnapshotError,
  prepareTransaction,
  processTransaction,
  runPreparedTransaction,
} from '../src/index.js'
import { asm, block, CONTRACT, SENDER } from './helpers.js'
import { MemoryHost } from './memory-host.js'

const CHILD = 0xaaaan
const REVERTER = 0xbbbbn
const MAIN = [
  'PUSH2 0x1234 PUSH1 0 MSTORE',
  'PUSH1 32 PUSH1 0x40 PUSH1 32 PUSH1 0 PUSH1 1 PUSH2 0xaaaa GAS CALL POP',
  'PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH2 0xbbbb GAS CALL POP',
  'PUSH10 0x600160005560006000f3 PUSH1 0x80 MSTORE',
  'PUSH1 10 PUSH1 150 PUSH1 0 CREATE PUSH1 3 SSTORE',
  'PUSH1 7 PUSH1 1 TSTORE PUSH1 1 TLOAD PUSH1 4 SSTORE PUSH1 0 PUSH1 6 SSTORE',
  'RETURNDATASIZE PUSH1 5 SSTORE PUSH1 0x60 PUSH1 0 RETURN',
].join(' ')

function freshHost(): MemoryHost {
  const host = new MemoryHost()
  host.put(SENDER, { balance: 10n ** 24n })
  host.put(CONTRACT, { code: asm(MAIN), balance: 100n, storage: { '6': 1n } })
  host.put(CHILD, {
    code: asm(
      'CALLVALUE PUSH1 5 ADD PUSH1 1 SSTORE PUSH1 0xaa PUSH1 32 PUSH1 0 LOG1 PUSH1 0x42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN',
    ),
  })
  host.put(REVERTER, {
    code: asm('PUSH1 9 PUSH1 2 SSTORE PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT'),
  })
  return host
}

const tx: TransactionInput = {
  type: 0,
  sender: SENDER,
  to: CONTRACT,
  nonce: 0n,
  value: 0n,
  data: new Uint8Array(0),
  gasLimit: 1_000_000n,
  gasPrice: 10n,
}
const rules = getForkRules('Cancun')

function dump(host: MemoryHost): string {
  const out: string[] = []
  for (const [address, a] of [...host.accounts].sort((x, y) => (x[0] < y[0] ? -1 : 1)))
    out.push(`${address}:${a.balance}:${a.nonce}:${a.code.length}:${[...a.storage].join(';')}`)
  return out.join('\n')
}

class Stop extends Error {}

describe('machine snapshots', () => {
  it('resuming at any step gives the rest of the run exactly', () => {
    const lines: string[] = []
    const fullHost = freshHost()
    const full = processTransaction(fullHost, tx, block(), rules, {
      inspector: new Eip3155Tracer((l) => lines.push(l)),
    })
    expect(full.status).toBe(1)
    expect(lines.length).toBeGreaterThan(60)
    for (let k = 0; k < lines.length; k++) {
      // Run to step k, copy the machine and stop there: the host is left as it was at step k.
      const host = freshHost()
      const prepared = prepareTransaction(host, tx, block(), rules)
      let n = 0
      let machine: MachineSnapshot | undefined
      expect(() =>
        runPreparedTransaction(host, prepared, {
          inspector: {
            step(frame: FrameState) {
              if (n++ === k) {
                machine = captureMachine(frame)
                throw new Stop()
              }
            },
          },
        }),
      ).toThrow(Stop)
      const rest: string[] = []
      const resumed = runPreparedTransaction(host, prepared, {
        inspector: new Eip3155Tracer((l) => rest.push(l)),
        resume: machine!,
      })
      expect(resumed).toEqual(full)
      expect(rest).toEqual(lines.slice(k))
      expect(dump(host)).toBe(dump(fullHost))
    }
  })

  it('a snapshot resumes more than once and shows the machine', () => {
    let machine: MachineSnapshot | undefined
    let n = 0
    const host = freshHost()
    const prepared = prepareTransaction(host, tx, block(), rules)
    const inspector = {
      step(frame: FrameState) {
        // The child's SSTORE: two frames, the caller's memory holds 0x1234.
        if (frame.depth === 1 && frame.opcode() === 0x55 && machine === undefined) {
          machine = captureMachine(frame)
          n++
        }
      },
    }
    runPreparedTransaction(host, prepared, { inspector })
    expect(n).toBe(1)
    const m = machine!
    expect(m.frames.map((f) => f.address)).toEqual([CONTRACT, CHILD])
    expect(m.frames[1]!.stack).toEqual([6n, 1n])
    expect(m.frames[1]!.input.length).toBe(32)
    expect(m.frames[0]!.readMemory(31, 1)[0]).toBe(0x34)
    expect(m.frames[0]!.memorySize).toBe(0x60)
    expect(m.frames[1]!.value).toBe(1n)
    expect(m.frames[1]!.code[0]).toBe(0x34)
    const again = () => {
      const h = freshHost()
      const p = prepareTransaction(h, tx, block(), rules)
      let i = 0
      try {
        runPreparedTransaction(h, p, {
          inspector: {
            step(f: FrameState) {
              if (f.depth === 1 && f.opcode() === 0x55 && i++ === 0) throw new Stop()
            },
          },
        })
      } catch (e) {
        if (!(e instanceof Stop)) throw e
      }
      return { result: runPreparedTransaction(h, p, { resume: m }), host: h }
    }
    const a = again()
    const b = again()
    const plainHost = freshHost()
    const plain = processTransaction(plainHost, tx, block(), rules)
    expect(a.result).toEqual(plain)
    expect(b.result).toEqual(plain)
    expect(dump(b.host)).toBe(dump(plainHost))
  })

  it('refuses what is not a frame or a snapshot', () => {
    expect(() => captureMachine({} as FrameState)).toThrow(MachineSnapshotError)
    const host = freshHost()
    const prepared = prepareTransaction(host, tx, block(), rules)
    expect(() => runPreparedTransaction(host, prepared, { resume: { frames: [] } })).toThrow(
      MachineSnapshotError,
    )
  })

  it('shares unchanged memory pages with a previous snapshot', () => {
    // Grow memory to 3 pages (MSTORE at 0x2fe0), then change one byte of the middle page.
    const code = asm('PUSH1 1 PUSH2 0x2fe0 MSTORE PUSH1 7 PUSH2 0x1800 MSTORE8 PUSH1 0 PUSH1 0 RETURN')
    const host = new MemoryHost()
    host.put(SENDER, { balance: 10n ** 24n })
    host.put(CONTRACT, { code })
    const snaps: MachineSnapshot[] = []
    processTransaction(host, tx, block(), rules, {
      inspector: {
        step(frame: FrameState) {
          // Before MSTORE8 (memory grown) and before the RETURN's pushes (one byte changed).
          if (frame.pc === 11 || frame.pc === 12) snaps.push(captureMachine(frame, snaps[snaps.length - 1]))
        },
      },
    })
    const [a, b] = snaps.map((s) => s.frames[0]! as unknown as { pages: Uint8Array[] } & (typeof s.frames)[0])
    expect(a!.memorySize).toBe(0x3000)
    expect(a!.pages.length).toBe(3)
    expect(b!.pages[0]).toBe(a!.pages[0])
    expect(b!.pages[1]).not.toBe(a!.pages[1])
    expect(b!.pages[2]).toBe(a!.pages[2])
    expect(b!.readMemory(0x1800, 1)[0]).toBe(7)
    expect(a!.readMemory(0x1800, 1)[0]).toBe(0)
    // Reads across page ends and past the memory's end.
    const across = b!.readMemory(0x2fe0 - 8, 48)
    expect(across[8 + 31]).toBe(1)
    expect(across.length).toBe(48)
  })
})
