import { getForkRules } from '@crucible/forks'
import { bytesToWord, createAddress, wordToAddress } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import type { FrameState } from '../src/interpreter/frame.js'
import { OPCODE_NAMES } from '../src/interpreter/tables.js'
import { CallKind } from '../src/message/message.js'
import { Eip3155Tracer } from '../src/tracing/eip3155.js'
import type { Inspector } from '../src/tracing/inspector.js'
import { processTransaction } from '../src/transaction/process.js'
import { asm, block, CONTRACT, runCode, SENDER } from './helpers.js'
import { MemoryHost } from './memory-host.js'

describe('inspector', () => {
  it('an inspector-free run calls no hook', () => {
    let calls = 0
    const spy: Inspector = {
      step: () => calls++,
      enter: () => calls++,
      exit: () => calls++,
    }
    runCode('6001 6002 01 00')
    expect(calls).toBe(0)
    runCode('6001 6002 01 00', { inspector: spy })
    // enter + 4 steps + exit
    expect(calls).toBe(6)
  })
  it('sees the frame state before each opcode', () => {
    const seen: [number, number, bigint[]][] = []
    runCode('6001 6002 01 00', {
      inspector: { step: (f: FrameState) => seen.push([f.pc, f.opcode(), f.stackItems()]) },
    })
    expect(seen).toEqual([
      [0, 0x60, []],
      [2, 0x60, [1n]],
      [4, 0x01, [1n, 2n]],
      [5, 0x00, [3n]],
    ])
  })
})

describe('EIP-3155 tracer', () => {
  it('prints one line per step and a summary', () => {
    const lines: string[] = []
    const tracer = new Eip3155Tracer((l) => lines.push(l))
    const { result } = runCode('6001 6002 01 00', { inspector: tracer, fork: 'Cancun' })
    tracer.writeSummary({ stateRoot: '0x1234', output: result.output, gasUsed: result.gasUsed, pass: true })
    const parsed = lines.map((l) => JSON.parse(l))
    expect(parsed).toHaveLength(5)
    expect(parsed[0]).toEqual({
      pc: 0,
      op: 0x60,
      gas: '0xef038', // 1_000_000 - 21000
      gasCost: '0x3',
      memSize: 0,
      stack: [],
      depth: 1,
      refund: 0,
      opName: 'PUSH1',
    })
    expect(parsed[2]).toMatchObject({ pc: 4, opName: 'ADD', stack: ['0x1', '0x2'], gasCost: '0x3' })
    expect(parsed[3]).toMatchObject({ opName: 'STOP', gasCost: '0x0' })
    expect(parsed[4]).toEqual({ stateRoot: '0x1234', output: '0x', gasUsed: '0x5211', pass: true })
  })
  it('marks the failing step with the error', () => {
    const lines: string[] = []
    runCode('6001 fe', { inspector: new Eip3155Tracer((l) => lines.push(l)) })
    expect(JSON.parse(lines[1]!)).toMatchObject({ opName: 'INVALID', error: 'InvalidOpcode' })
  })
})

describe('EIP-3155 tracer across calls', () => {
  it('writes the CALL line before the callee lines, with the gas handed over in its cost', () => {
    const host = new MemoryHost()
    host.put(0xbbn, { code: asm('6001 00') })
    const lines: string[] = []
    runCode('6000 6000 6000 6000 6000 60bb 61ffff f1 00', {
      host,
      inspector: new Eip3155Tracer((l) => lines.push(l)),
    })
    const steps = lines.map((l) => JSON.parse(l))
    expect(steps.map((s) => [s.opName, s.depth])).toEqual([
      ['PUSH1', 1],
      ['PUSH1', 1],
      ['PUSH1', 1],
      ['PUSH1', 1],
      ['PUSH1', 1],
      ['PUSH1', 1],
      ['PUSH2', 1],
      ['CALL', 1],
      ['PUSH1', 2],
      ['STOP', 2],
      ['STOP', 1],
    ])
    // CALL: cold access 2600 plus the 0xffff handed to the callee.
    expect(BigInt(steps[7].gasCost)).toBe(2600n + 0xffffn)
    expect(BigInt(steps[8].gas)).toBe(0xffffn)
  })
})

/** Records every hook as a compact event. */
function recorder() {
  const events: unknown[] = []
  const inspector: Inspector = {
    step: (f) => events.push(['step', f.depth, OPCODE_NAMES[f.opcode()]]),
    stepEnd: (f, gasCost, halt) =>
      events.push(['stepEnd', f.depth, OPCODE_NAMES[f.opcode()], gasCost, ...(halt ? [halt] : [])]),
    log: (f, log) => events.push(['log', f.depth, log.address, log.topics]),
    enter: (i) => events.push(['enter', i.depth, i.kind, i.to, ...(i.precompile ? ['precompile'] : [])]),
    exit: (i) => events.push(['exit', i.depth, i.kind, i.outcome, ...(i.halt ? [i.halt] : [])]),
  }
  return { events, inspector }
}

describe('inspector: after-step, log, enter/exit', () => {
  it('stepEnd reports the whole cost of each step, dynamic part included', () => {
    const costs: [string, number][] = []
    // PUSH1 1, PUSH1 0, MSTORE (3 + 3 memory), PUSH1 1, PUSH1 0, SSTORE (cold 2100 + set 20000), STOP
    runCode('6001 6000 52 6001 6000 55 00', {
      inspector: { stepEnd: (f, gasCost) => costs.push([OPCODE_NAMES[f.opcode()]!, gasCost]) },
    })
    expect(costs).toEqual([
      ['PUSH1', 3],
      ['PUSH1', 3],
      ['MSTORE', 6],
      ['PUSH1', 3],
      ['PUSH1', 3],
      ['SSTORE', 22100],
      ['STOP', 0],
    ])
  })
  it('stepEnd sees the frame after the opcode, with pc still at the opcode', () => {
    const seen: [number, bigint[], number][] = []
    runCode('6001 6002 01 00', {
      inspector: { stepEnd: (f) => seen.push([f.pc, f.stackItems(), f.memorySize]) },
    })
    expect(seen).toEqual([
      [0, [1n], 0],
      [2, [1n, 2n], 0],
      [4, [3n], 0],
      [5, [3n], 0],
    ])
  })
  it('a halting step carries its reason and consumes the gas left', () => {
    const ends: unknown[] = []
    const { result } = runCode('6001 fe', {
      gas: 100_000n,
      inspector: { stepEnd: (f, gasCost, halt) => ends.push([f.opcode(), gasCost, halt]) },
    })
    expect(result.outcome).toBe(Outcome.Halt)
    expect(result.halt).toBe('InvalidOpcode')
    expect(ends).toEqual([
      [0x60, 3, undefined],
      [0xfe, 100_000 - 21_000 - 3, 'InvalidOpcode'],
    ])
  })
  it('orders hooks: CALL ends before the callee enters; LOG fires in the emitting frame', () => {
    const host = new MemoryHost()
    // callee: LOG1(offset 0, size 0, topic 0xaa), then REVERT(0, 0)
    host.put(0xbbn, { code: asm('60aa 6000 6000 a1 6000 6000 fd') })
    const { events, inspector } = recorder()
    const { result } = runCode('6000 6000 6000 6000 6000 60bb 61ffff f1 00', { host, inspector })
    expect(result.outcome).toBe(Outcome.Success)
    const calls = events.slice(events.findIndex((e) => (e as unknown[])[2] === 'CALL'))
    expect(calls).toEqual([
      ['step', 0, 'CALL'],
      ['stepEnd', 0, 'CALL', 2600 + 0xffff],
      ['enter', 1, CallKind.Call, 0xbbn],
      ['step', 1, 'PUSH1'],
      ['stepEnd', 1, 'PUSH1', 3],
      ['step', 1, 'PUSH1'],
      ['stepEnd', 1, 'PUSH1', 3],
      ['step', 1, 'PUSH1'],
      ['stepEnd', 1, 'PUSH1', 3],
      ['step', 1, 'LOG1'],
      ['log', 1, 0xbbn, [0xaan]],
      ['stepEnd', 1, 'LOG1', 750],
      ['step', 1, 'PUSH1'],
      ['stepEnd', 1, 'PUSH1', 3],
      ['step', 1, 'PUSH1'],
      ['stepEnd', 1, 'PUSH1', 3],
      ['step', 1, 'REVERT'],
      ['stepEnd', 1, 'REVERT', 0],
      ['exit', 1, CallKind.Call, Outcome.Revert],
      ['step', 0, 'STOP'],
      ['stepEnd', 0, 'STOP', 0],
      ['exit', 0, CallKind.Call, Outcome.Success],
    ])
  })
  it('types each call kind, and a refused precompile input as PrecompileError', () => {
    const host = new MemoryHost()
    host.put(0xbbn, { code: asm('00') })
    const { events, inspector } = recorder()
    // STATICCALL 0xbb, DELEGATECALL 0xbb, CALLCODE 0xbb, then CALL the BN254 pairing (0x08) with 1 byte.
    const args = '6000 6000 6000 6000'
    runCode(
      `${args} 60bb 61ffff fa 50 ${args} 60bb 61ffff f4 50 ${args} 6000 60bb 61ffff f2 50` +
        ` 6000 6000 6001 6000 6000 6008 62ffffff f1 00`,
      { host, inspector },
    )
    const frames = events.filter((e) => ['enter', 'exit'].includes((e as unknown[])[0] as string))
    expect(frames).toEqual([
      ['enter', 0, CallKind.Call, CONTRACT],
      ['enter', 1, CallKind.StaticCall, 0xbbn],
      ['exit', 1, CallKind.StaticCall, Outcome.Success],
      ['enter', 1, CallKind.DelegateCall, CONTRACT],
      ['exit', 1, CallKind.DelegateCall, Outcome.Success],
      ['enter', 1, CallKind.CallCode, CONTRACT],
      ['exit', 1, CallKind.CallCode, Outcome.Success],
      ['enter', 1, CallKind.Call, 0x08n, 'precompile'],
      ['exit', 1, CallKind.Call, Outcome.Halt, 'PrecompileError'],
      ['exit', 0, CallKind.Call, Outcome.Success],
    ])
  })
  it('a creation collision gives the same enter/exit at the top level and nested', () => {
    // Nested: CREATE2 of empty initcode twice with the same salt; the second collides.
    const { events, inspector } = recorder()
    runCode('6000 6000 6000 6000 f5 50 6000 6000 6000 6000 f5 00', { inspector })
    const frames = events.filter((e) => ['enter', 'exit'].includes((e as unknown[])[0] as string))
    // The created addresses are left out of the enter events.
    expect(frames.map((e) => ((e as unknown[])[0] === 'enter' ? (e as unknown[]).slice(0, 3) : e))).toEqual([
      ['enter', 0, CallKind.Call],
      ['enter', 1, CallKind.Create2],
      ['exit', 1, CallKind.Create2, Outcome.Success],
      ['enter', 1, CallKind.Create2],
      ['exit', 1, CallKind.Create2, Outcome.Halt, 'AddressCollision'],
      ['exit', 0, CallKind.Call, Outcome.Success],
    ])
    // Top level: a creation transaction onto an account with storage.
    const host = new MemoryHost()
    host.put(SENDER, { balance: 10n ** 20n })
    const target = bytesToWord(createAddress(wordToAddress(SENDER), 0n))
    host.put(target, { storage: { '1': 1n } })
    const top = recorder()
    const result = processTransaction(
      host,
      {
        type: 0,
        sender: SENDER,
        to: undefined,
        nonce: 0n,
        value: 0n,
        data: asm('00'),
        gasLimit: 100_000n,
        gasPrice: 10n,
      },
      block(),
      getForkRules('Cancun'),
      { inspector: top.inspector },
    )
    expect(result.halt).toBe('AddressCollision')
    expect(top.events).toEqual([
      ['enter', 0, CallKind.Create, target],
      ['exit', 0, CallKind.Create, Outcome.Halt, 'AddressCollision'],
    ])
  })
})
