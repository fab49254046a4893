import { describe, expect, it } from 'vitest'
import type { FrameState } from '../src/interpreter/frame.js'
import { Eip3155Tracer } from '../src/tracing/eip3155.js'
import type { Inspector } from '../src/tracing/inspector.js'
import { runCode } from './helpers.js'

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
  it('writes the CALL line before the callee lines, with the gas handed over in its cost', async () => {
    const { MemoryHost } = await import('./memory-host.js')
    const { asm } = await import('./helpers.js')
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
