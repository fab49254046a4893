import { describe, expect, it } from 'vitest'
import { WorldState } from './world.js'

// Set-up code writes with setBalance/setCode, which are journaled like the EVM's writes: the
// error a whole-state operation throws then must say how to finish the set-up.
describe('whole-state operations after set-up writes', () => {
  it('snapshot() names the fix', () => {
    const state = new WorldState()
    state.setBalance(0x1n, 10n)
    state.setCode(0x2n, Uint8Array.of(0x00))
    expect(() => state.snapshot()).toThrow(
      /call endTransaction\(\[\], false\) after setting up, or set up with loadAlloc/,
    )
    state.endTransaction([], false)
    const snapshot = state.snapshot()
    state.setBalance(0x1n, 0n)
    state.endTransaction([], false)
    state.restore(snapshot)
    expect(state.getBalance(0x1n)).toBe(10n)
  })

  it('loadAlloc sets up without journaling', () => {
    const state = new WorldState()
    state.loadAlloc({ '0x0000000000000000000000000000000000000001': { balance: '0x0a' } })
    expect(() => state.snapshot()).not.toThrow()
  })
})
