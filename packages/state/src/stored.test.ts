import { KECCAK256_RLP_EMPTY, keccak256 } from '@crucible/primitives'
import { MissingNodeError } from '@crucible/trie'
import { describe, expect, it } from 'vitest'
import type { Alloc } from './alloc.js'
import { MemoryStateDatabase } from './database.js'
import { StateError } from './errors.js'
import { WorldState } from './world.js'

/** A small deterministic generator (xorshift32), so failures reproduce. */
function random(seed: number): () => number {
  let x = seed | 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

const hex = (n: bigint) => `0x${n.toString(16)}`
const addr = (i: number) => BigInt(0x1000 + i * 7919)

/** 60 accounts, a third with code and up to 40 slots each. */
function sampleAlloc(rand: () => number): Alloc {
  const alloc: Alloc = {}
  for (let i = 0; i < 60; i++) {
    const storage: Record<string, string> = {}
    if (i % 3 === 0)
      for (let k = 0; k < 1 + Math.floor(rand() * 40); k++)
        storage[hex(BigInt(k * 3))] = hex(BigInt(1 + Math.floor(rand() * 1e9)))
    alloc[`0x${addr(i).toString(16).padStart(40, '0')}`] = {
      nonce: hex(BigInt(i)),
      balance: hex(BigInt(Math.floor(rand() * 1e12))),
      code: i % 3 === 0 ? `0x6000${i.toString(16).padStart(2, '0')}` : '0x',
      storage,
    }
  }
  return alloc
}

/** Applies the same random changes to every state given, in one transaction each. */
function mutate(states: WorldState[], rand: () => number): void {
  const ops: Array<(s: WorldState) => void> = []
  for (let n = 0; n < 120; n++) {
    const a = addr(Math.floor(rand() * 70)) // some addresses are new
    const r = rand()
    const key = BigInt(Math.floor(rand() * 50) * 3)
    const value = rand() < 0.3 ? 0n : BigInt(Math.floor(rand() * 1e6))
    // SSTORE runs in an existing account (a slot write alone leaves a new one out of the trie).
    if (r < 0.5)
      ops.push((s) => {
        s.setBalance(a, s.getBalance(a) + 1n)
        s.setStorage(a, key, value)
      })
    else if (r < 0.7) ops.push((s) => s.setBalance(a, s.getBalance(a) + 1n))
    else if (r < 0.8) ops.push((s) => s.setCode(a, Uint8Array.of(0x60, n & 0xff)))
    else if (r < 0.9) ops.push((s) => s.setNonce(a, s.getNonce(a) + 1n))
    else ops.push((s) => void s.getStorage(a, key))
  }
  const destroyed = [addr(Math.floor(rand() * 60))]
  for (const s of states) {
    s.beginTransaction()
    for (const op of ops) op(s)
    s.endTransaction(destroyed, true)
  }
}

/** Every account and slot of `reference` reads the same from `state`. */
function expectSameState(state: WorldState, reference: WorldState): void {
  for (let i = 0; i < 70; i++) {
    const a = addr(i)
    expect(state.exists(a), `exists ${i}`).toBe(reference.exists(a))
    expect(state.getBalance(a)).toBe(reference.getBalance(a))
    expect(state.getNonce(a)).toBe(reference.getNonce(a))
    expect(state.getCode(a)).toEqual(reference.getCode(a))
    for (let k = 0; k < 50; k++)
      expect(state.getStorage(a, BigInt(k * 3))).toBe(reference.getStorage(a, BigInt(k * 3)))
  }
}

describe('a WorldState over stored state', () => {
  it('persists, reopens by root, changes slots of stored accounts, and keeps old roots (archive)', () => {
    const rand = random(7)
    const db = new MemoryStateDatabase()
    const alloc = sampleAlloc(rand)
    const reference = WorldState.fromAlloc(alloc)
    const first = WorldState.open(db, KECCAK256_RLP_EMPTY)
    first.loadAlloc(alloc)
    const changes = first.persistChanges()
    expect(changes.root).toEqual(reference.stateRoot())
    expect(changes.code.length).toBe(20)
    db.apply(changes)

    const roots = [changes.root]
    const snapshots = [reference.snapshot()]
    for (let round = 0; round < 5; round++) {
      // A fresh state each round: everything it reads comes from the database.
      const state = WorldState.open(db, roots.at(-1)!)
      mutate([state, reference], rand)
      const next = state.persistChanges()
      expect(next.root).toEqual(reference.stateRoot())
      db.apply(next)
      roots.push(next.root)
      snapshots.push(reference.snapshot())
      expectSameState(WorldState.open(db, next.root), reference)
    }
    // Every earlier root still opens and reads as it was.
    const old = new WorldState()
    for (let i = 0; i < roots.length; i++) {
      old.restore(snapshots[i]!)
      expectSameState(WorldState.open(db, roots[i]!), old)
    }
  })

  it('carries changes across blocks in one instance, with reverts and snapshots', () => {
    const rand = random(11)
    const db = new MemoryStateDatabase()
    const alloc = sampleAlloc(rand)
    const reference = WorldState.fromAlloc(alloc)
    const seed = WorldState.open(db, KECCAK256_RLP_EMPTY)
    seed.loadAlloc(alloc)
    db.apply(seed.persistChanges())
    const state = WorldState.open(db, reference.stateRoot())
    for (let block = 0; block < 4; block++) {
      mutate([state, reference], rand)
      // A reverted transaction leaves nothing behind.
      const before = state.stateRoot()
      state.beginTransaction()
      const cp = state.checkpoint()
      state.setStorage(addr(0), 3n, 999n)
      state.setBalance(addr(1), 1n)
      state.revert(cp)
      state.endTransaction([], true)
      expect(state.stateRoot()).toEqual(before)
      const snap = state.snapshot()
      mutate([state], rand)
      state.restore(snap)
      expect(state.stateRoot()).toEqual(reference.stateRoot())
      db.apply(state.persistChanges())
    }
    expectSameState(WorldState.open(db, reference.stateRoot()), reference)
  })

  it('releases its memory after a persist and reads everything back from the database', () => {
    const rand = random(5)
    const db = new MemoryStateDatabase()
    const alloc = sampleAlloc(rand)
    const reference = WorldState.fromAlloc(alloc)
    const state = WorldState.open(db, KECCAK256_RLP_EMPTY)
    state.loadAlloc(alloc)
    db.apply(state.persistChanges())
    for (let block = 0; block < 3; block++) {
      state.releaseMemory()
      expect(state.accountsInMemory).toBe(0)
      mutate([state, reference], rand)
      expect(() => state.releaseMemory()).toThrow(StateError) // changes not persisted yet
      db.apply(state.persistChanges())
      expect(state.stateRoot()).toEqual(reference.stateRoot())
    }
    state.releaseMemory()
    expectSameState(state, reference)
  })

  it('reads a missing trie node as a MissingNodeError, never as an empty account', () => {
    const db = new MemoryStateDatabase()
    const state = WorldState.open(db, new Uint8Array(32).fill(1))
    expect(() => state.getBalance(1n)).toThrow(MissingNodeError)
  })

  it('refuses persistChanges without a database', () => {
    expect(() => new WorldState().persistChanges()).toThrow(StateError)
  })
})

describe('state misses are loud with a backend', () => {
  const code = Uint8Array.of(0x60, 0x01)
  const backend = {
    getAccount: async (address: bigint) =>
      address === 1n
        ? { nonce: 1n, balance: 5n, codeHash: keccak256(code), storageRoot: new Uint8Array(32).fill(9) }
        : undefined,
    getStorage: async (_address: bigint, key: bigint) => (key === 1n ? 9n : 0n),
    getCode: async () => code,
  }

  function missOf(fn: () => unknown): Record<string, unknown> {
    try {
      fn()
    } catch (error) {
      expect(error).toBeInstanceOf(StateError)
      expect((error as StateError).code).toBe('STATE_MISS')
      return (error as StateError).details
    }
    throw new Error('expected a state miss')
  }

  it('names an account that was not prefetched, for every read and write', async () => {
    const s = new WorldState({ backend })
    await s.prefetch([1n, 2n], [[1n, 1n]])
    expect(s.getBalance(1n)).toBe(5n)
    expect(s.exists(2n)).toBe(false) // prefetched, known absent
    const miss = missOf(() => s.getBalance(3n))
    expect(miss).toEqual({ kind: 'account', address: '0x0000000000000000000000000000000000000003' })
    for (const read of [
      () => s.exists(3n),
      () => s.getNonce(3n),
      () => s.getCode(3n),
      () => s.getCodeHash(3n),
      () => s.getStorage(3n, 0n),
      () => s.isEmpty(3n),
    ])
      expect(missOf(read).kind).toBe('account')
    s.beginTransaction()
    expect(missOf(() => s.setBalance(3n, 1n)).kind).toBe('account')
    s.setBalance(2n, 1n) // a known-absent account can be created
    expect(s.getBalance(2n)).toBe(1n)
  })

  it('names a slot that was not prefetched', async () => {
    const s = new WorldState({ backend })
    await s.prefetch(
      [1n],
      [
        [1n, 1n],
        [1n, 2n],
      ],
    )
    expect(s.getStorage(1n, 1n)).toBe(9n)
    expect(s.getStorage(1n, 2n)).toBe(0n)
    expect(missOf(() => s.getStorage(1n, 5n))).toEqual({
      kind: 'storage',
      address: '0x0000000000000000000000000000000000000001',
      key: '0x5',
    })
    s.beginTransaction()
    expect(missOf(() => s.setStorage(1n, 6n, 1n)).kind).toBe('storage')
    // A slot set to zero stays known (not read again from the backend).
    s.setStorage(1n, 1n, 0n)
    expect(s.getStorage(1n, 1n)).toBe(0n)
  })
})

describe('the read observer', () => {
  const stored = () => {
    const db = new MemoryStateDatabase()
    const state = WorldState.open(db, KECCAK256_RLP_EMPTY)
    state.loadAlloc({
      '0x00000000000000000000000000000000000000aa': { balance: '0x5', storage: { '0x1': '0x7' } },
    })
    const changes = state.persistChanges()
    db.apply(changes)
    return { db, root: changes.root }
  }

  it('is told of each account and slot loaded, once, and of absent accounts', () => {
    const { db, root } = stored()
    const seen: string[] = []
    const state = WorldState.open(db, root, {
      observer: {
        account: (a) => seen.push(`account ${a}`),
        storage: (a, k) => seen.push(`storage ${a} ${k}`),
      },
    })
    expect(state.getBalance(0xaan)).toBe(5n)
    expect(state.getStorage(0xaan, 1n)).toBe(7n)
    expect(state.getStorage(0xaan, 2n)).toBe(0n)
    state.getStorage(0xaan, 1n)
    state.getBalance(0xaan)
    expect(state.exists(0xbbn)).toBe(false)
    expect(state.exists(0xbbn)).toBe(false)
    expect(seen).toEqual(['account 170', 'storage 170 1', 'storage 170 2', 'account 187'])
  })

  it('refuses a read by throwing, before anything is loaded', () => {
    const { db, root } = stored()
    const state = WorldState.open(db, root, {
      observer: {
        account: () => {},
        storage: () => {
          throw new RangeError('not in the witness')
        },
      },
    })
    expect(state.getBalance(0xaan)).toBe(5n)
    expect(() => state.getStorage(0xaan, 1n)).toThrow('not in the witness')
  })
})
