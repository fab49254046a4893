import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import { CONTRACT, runCode, slot } from './helpers.js'

describe('basics', () => {
  it('adds and stores', () => {
    const { result, host } = runCode('6002 6003 01 6000 55 00')
    expect(result.status).toBe(1)
    expect(slot(host)).toBe(5n)
    // 21000 + 3+3+3+3 + 22100 (cold SSTORE set)
    expect(result.gasUsed).toBe(21000n + 12n + 22100n)
  })
  it('reverts with data', () => {
    const { result } = runCode('602a 6000 52 6020 6000 fd')
    expect(result.status).toBe(0)
    expect(result.outcome).toBe(Outcome.Revert)
    expect(result.output.length).toBe(32)
    expect(result.output[31]).toBe(42)
  })
  it('invalid opcode consumes all gas', () => {
    const { result } = runCode('fe', { gas: 100_000n })
    expect(result.status).toBe(0)
    expect(result.gasUsed).toBe(100_000n)
  })
  it('calls itself recursively to depth 1024 without blowing the JS stack', () => {
    // Counter in slot 0; each level increments, then CALLs itself with all gas.
    // 6000 54 6001 01 6000 55 : slot0 += 1
    // 6000 6000 6000 6000 6000 30 5a f1 00 : CALL(gas, address, 0,0,0,0,0)
    // Frontier has no 63/64 rule, so passing gas - 1024 reaches the depth limit.
    const { result, host } = runCode('600054 600101 600055 6000 6000 6000 6000 6000 30 610400 5a 03 f1 00', {
      gas: 30_000_000n,
      fork: 'Frontier',
    })
    expect(result.status).toBe(1)
    // Depths 0..1024 each increment; the CALL at depth 1024 fails softly.
    expect(slot(host, 0n, CONTRACT)).toBe(1025n)
  })
})
