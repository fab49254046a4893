import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import { exec } from './helpers.js'

// [code, gas used, refund counter, original value] from each EIP's own test-case table.
const EIP2200: [string, number, number, bigint][] = [
  ['60006000556000600055', 1612, 0, 0n],
  ['60006000556001600055', 20812, 0, 0n],
  ['60016000556000600055', 20812, 19200, 0n],
  ['60016000556002600055', 20812, 0, 0n],
  ['60016000556001600055', 20812, 0, 0n],
  ['60006000556000600055', 5812, 15000, 1n],
  ['60006000556001600055', 5812, 4200, 1n],
  ['60006000556002600055', 5812, 0, 1n],
  ['60026000556000600055', 5812, 15000, 1n],
  ['60026000556003600055', 5812, 0, 1n],
  ['60026000556001600055', 5812, 4200, 1n],
  ['60016000556000600055', 5812, 15000, 1n],
  ['60016000556001600055', 1612, 0, 1n],
  ['600160005560006000556001600055', 40818, 19200, 0n],
  ['600060005560016000556000600055', 10818, 19200, 1n],
]

const EIP1283: [string, number, number, bigint][] = [
  ['60006000556000600055', 412, 0, 0n],
  ['60006000556001600055', 20212, 0, 0n],
  ['60016000556000600055', 20212, 19800, 0n],
  ['60016000556002600055', 20212, 0, 0n],
  ['60016000556001600055', 20212, 0, 0n],
  ['60006000556000600055', 5212, 15000, 1n],
  ['60006000556001600055', 5212, 4800, 1n],
  ['60006000556002600055', 5212, 0, 1n],
  ['60026000556000600055', 5212, 15000, 1n],
  ['60026000556003600055', 5212, 0, 1n],
  ['60026000556001600055', 5212, 4800, 1n],
  ['60016000556000600055', 5212, 15000, 1n],
  ['60016000556001600055', 412, 0, 1n],
  ['600160005560006000556001600055', 40218, 19800, 0n],
  ['600060005560016000556000600055', 10218, 19800, 1n],
]

// EIP-3529 (London), with the slot already warm.
const EIP3529: [string, number, number, bigint][] = [
  ['60006000556000600055', 212, 0, 0n],
  ['60006000556001600055', 20112, 0, 0n],
  ['60016000556000600055', 20112, 19900, 0n],
  ['60016000556002600055', 20112, 0, 0n],
  ['60016000556001600055', 20112, 0, 0n],
  ['60006000556000600055', 3012, 4800, 1n],
  ['60006000556001600055', 3012, 2800, 1n],
  ['60006000556002600055', 3012, 0, 1n],
  ['60026000556000600055', 3012, 4800, 1n],
  ['60026000556003600055', 3012, 0, 1n],
  ['60026000556001600055', 3012, 2800, 1n],
  ['60016000556000600055', 3012, 4800, 1n],
  ['60016000556001600055', 212, 0, 1n],
  ['600160005560006000556001600055', 40118, 19900, 0n],
  ['600060005560016000556000600055', 5918, 7600, 1n],
]

function check(fork: 'Istanbul' | 'Constantinople' | 'London', table: typeof EIP2200, warm: boolean) {
  for (const [code, gas, refund, original] of table) {
    it(`${code} (original ${original})`, () => {
      const { r, gasUsed } = exec(code, {
        fork,
        storage: { '0': original },
        warmSlots: warm ? [0n] : [],
      })
      expect(r.outcome).toBe(Outcome.Success)
      expect(gasUsed).toBe(gas)
      expect(r.refund).toBe(refund)
    })
  }
}

describe('SSTORE net gas metering, EIP-2200 table (Istanbul)', () => check('Istanbul', EIP2200, false))
describe('SSTORE net gas metering, EIP-1283 table (Constantinople)', () =>
  check('Constantinople', EIP1283, false))
describe('SSTORE with EIP-2929 and EIP-3529 refunds, EIP-3529 table (London)', () =>
  check('London', EIP3529, true))

describe('SSTORE rules', () => {
  it('Frontier: 20000 to set, 5000 otherwise, 15000 refund to clear', () => {
    expect(exec('6001 6000 55', { fork: 'Frontier' }).gasUsed).toBe(20006)
    const clear = exec('6000 6000 55', { fork: 'Frontier', storage: { '0': 1n } })
    expect(clear.gasUsed).toBe(5006)
    expect(clear.r.refund).toBe(15000)
  })
  it('Petersburg drops EIP-1283 again', () => {
    expect(exec('60006000556000600055', { fork: 'Petersburg' }).gasUsed).toBe(10012)
  })
  it('EIP-2200: fails when gas left is at most the 2300 stipend', () => {
    const { r } = exec('6001 6000 55', { fork: 'Istanbul', gas: 2306 })
    expect(r.outcome).not.toBe(Outcome.Success)
    expect(r.halt).toBe('OutOfGas')
  })
  it('is forbidden in a static context', () => {
    expect(exec('6001 6000 55', { isStatic: true }).r.halt).toBe('WriteInStaticContext')
  })
  it('charges cold SLOAD 2100 then warm 100 (EIP-2929)', () => {
    expect(exec('6000 54 50 6000 54 50', { fork: 'Berlin' }).gasUsed).toBe(3 + 2100 + 2 + 3 + 100 + 2)
  })
})
