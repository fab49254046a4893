import { KECCAK256_RLP_EMPTY } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import type { BaseAccount, StateBase } from './backend.js'
import { MemoryStateDatabase } from './database.js'
import { StateError } from './errors.js'
import { WorldState } from './world.js'

const CONTRACT = 0xc0n
const EOA = 0xe0n
const UNKNOWN = 0xeeeen

/** A base as a forked chain's cache is: what it holds, and a miss for anything else. */
function base(): StateBase & { reads: number } {
  const accounts = new Map<bigint, BaseAccount | undefined>([
    [CONTRACT, { nonce: 1n, balance: 5n, code: Uint8Array.of(0x60, 0x00) }],
    [EOA, { nonce: 3n, balance: 100n, code: new Uint8Array(0) }],
    [0xabn, undefined],
  ])
  const slots = new Map<bigint, bigint>([
    [1n, 11n],
    [2n, 22n],
    [3n, 0n],
  ])
  return {
    reads: 0,
    account(address) {
      this.reads++
      if (!accounts.has(address))
        throw new StateError('STATE_MISS', 'not fetched', { kind: 'account', address })
      return accounts.get(address)
    },
    storage(address, key) {
      this.reads++
      if (address !== CONTRACT) return 0n
      const v = slots.get(key)
      if (v === undefined)
        throw new StateError('STATE_MISS', 'not fetched', { kind: 'storage', address, key })
      return v
    },
  }
}

function persist(db: MemoryStateDatabase, state: WorldState): Uint8Array {
  const changes = state.persistChanges()
  db.apply(changes)
  return changes.root
}

describe('WorldState over a base (a forked chain)', () => {
  it('reads what its trie does not hold from the base, and misses loudly', () => {
    const db = new MemoryStateDatabase()
    const state = WorldState.open(db, KECCAK256_RLP_EMPTY, { base: base() })
    expect(state.getBalance(EOA)).toBe(100n)
    expect(state.getNonce(CONTRACT)).toBe(1n)
    expect(state.getCode(CONTRACT)).toEqual(Uint8Array.of(0x60, 0x00))
    expect(state.getStorage(CONTRACT, 1n)).toBe(11n)
    expect(state.exists(0xabn)).toBe(false)
    expect(() => state.getBalance(UNKNOWN)).toThrow(expect.objectContaining({ code: 'STATE_MISS' }))
    expect(() => state.getStorage(CONTRACT, 9n)).toThrow(expect.objectContaining({ code: 'STATE_MISS' }))
    // Reading changes nothing: the trie is still empty.
    expect(state.stateRoot()).toEqual(KECCAK256_RLP_EMPTY)
  })

  it('keeps changes in its trie: an emptied slot stays empty, untouched slots and code stay the base', () => {
    const db = new MemoryStateDatabase()
    const b = base()
    const state = WorldState.open(db, KECCAK256_RLP_EMPTY, { base: b })
    state.beginTransaction()
    state.setStorage(CONTRACT, 1n, 0n)
    state.setStorage(CONTRACT, 3n, 33n)
    state.setBalance(CONTRACT, 6n)
    state.setBalance(EOA, 0n)
    state.endTransaction([], true)
    const root = persist(db, state)
    expect(root).not.toEqual(KECCAK256_RLP_EMPTY)

    const again = WorldState.open(db, root, { base: b })
    expect(again.getStorage(CONTRACT, 1n)).toBe(0n) // emptied here: not the base's 11
    expect(again.getStorage(CONTRACT, 2n)).toBe(22n) // never written: the base's
    expect(again.getStorage(CONTRACT, 3n)).toBe(33n)
    expect(again.getBalance(CONTRACT)).toBe(6n)
    expect(again.getCode(CONTRACT)).toEqual(Uint8Array.of(0x60, 0x00)) // code from the base
    expect(again.getNonce(EOA)).toBe(3n)
    expect(again.getBalance(EOA)).toBe(0n)

    // The next change over a reopened state keeps the same rules.
    again.beginTransaction()
    again.setStorage(CONTRACT, 2n, 0n)
    again.endTransaction([], true)
    const third = WorldState.open(db, persist(db, again), { base: b })
    expect(third.getStorage(CONTRACT, 2n)).toBe(0n)
    expect(third.getStorage(CONTRACT, 1n)).toBe(0n)
    // The older root still sees the older values.
    expect(WorldState.open(db, root, { base: b }).getStorage(CONTRACT, 2n)).toBe(22n)
  })
})
