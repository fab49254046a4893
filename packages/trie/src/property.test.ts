import { bytesToHex, compareBytes, keccak256 } from '@crucible/primitives'
import { type Random, seededRandom } from '@crucible/test-support'
import { describe, expect, it } from 'vitest'
import { createProof, MemoryStore, ProofError, Trie, trieRoot, verifyProof } from './index.js'

/** Keys from a small alphabet and varied lengths, so prefixes, shared paths and branch values occur. */
function key(r: Random): Uint8Array {
  const len = (r() * 5) | 0
  const out = new Uint8Array(len)
  for (let i = 0; i < len; i++) out[i] = [0x00, 0x01, 0x10, 0x11, 0xff][(r() * 5) | 0]!
  return out
}

describe('property: random updates match a rebuild from scratch', () => {
  for (const secure of [false, true]) {
    for (let seed = 1; seed <= 12; seed++) {
      it(`seed ${seed}${secure ? ' secure' : ''}`, () => {
        const r = seededRandom(seed * 7919 + (secure ? 1 : 0))
        let store = new MemoryStore()
        let trie = new Trie({ secure, store })
        const model = new Map<string, [Uint8Array, Uint8Array]>()
        const snapshots: Array<Map<string, [Uint8Array, Uint8Array]>> = []
        for (let step = 0; step < 400; step++) {
          const x = r()
          const k = seed % 2 ? key(r) : r.bytes(1 + r.int(3))
          if (x < 0.55) {
            const v = r.bytes(1 + r.int(40))
            trie.put(k, v)
            model.set(bytesToHex(k), [k, v])
          } else if (x < 0.85) {
            trie.del(k)
            model.delete(bytesToHex(k))
          } else if (x < 0.9) {
            trie.checkpoint()
            snapshots.push(new Map(model))
          } else if (x < 0.94 && snapshots.length > 0) {
            trie.revert()
            const back = snapshots.pop()!
            model.clear()
            for (const [h, e] of back) model.set(h, e)
          } else if (x < 0.97 && snapshots.length > 0) {
            trie.commit()
            snapshots.pop()
          } else if (snapshots.length === 0) {
            // Persist and reopen from the store alone.
            const root = trie.persist()
            store = new MemoryStore()
            for (const [h, enc] of (trie.store as MemoryStore).entries()) store.put(h, enc)
            trie = new Trie({ secure, store, root })
          }
          if (step % 7 === 0 || x > 0.97) {
            expect(bytesToHex(trie.root())).toBe(bytesToHex(trieRoot(model.values(), { secure })))
          }
        }
        expect(bytesToHex(trie.root())).toBe(bytesToHex(trieRoot(model.values(), { secure })))
        for (const [, [k, v]] of model) expect(trie.get(k)).toEqual(v)
        // Ordered iteration gives exactly the model's keys (trie form) in order.
        const want = [...model.values()].map(([k]) => (secure ? keccak256(k) : k)).sort(compareBytes)
        expect([...trie.entries()].map(([k]) => bytesToHex(k))).toEqual(want.map(bytesToHex))
        expect([...trie.entriesDescending()].map(([k]) => bytesToHex(k))).toEqual(
          want.map(bytesToHex).reverse(),
        )
      })
    }
  }
})

describe('property: proofs', () => {
  it('present and absent keys verify; tampered proofs fail', () => {
    const r = seededRandom(42)
    const trie = new Trie({ secure: true })
    const present: Array<[Uint8Array, Uint8Array]> = []
    for (let i = 0; i < 2000; i++) {
      const k = r.bytes(20)
      const v = r.bytes(1 + r.int(80))
      trie.put(k, v)
      present.push([k, v])
    }
    const root = trie.root()
    for (let i = 0; i < 200; i++) {
      const [k, v] = present[(r() * present.length) | 0]!
      const proof = createProof(trie, k)
      expect(verifyProof(root, k, proof, { secure: true })).toEqual(v)
      const absent = r.bytes(20)
      const absentProof = createProof(trie, absent)
      expect(verifyProof(root, absent, absentProof, { secure: true })).toBeUndefined()
      // Flip one bit anywhere in the proof: it must not verify to the same answer silently.
      const j = (r() * proof.length) | 0
      const tampered = proof.map((p) => p.slice())
      const node = tampered[j]!
      node[(r() * node.length) | 0]! ^= 1 << ((r() * 8) | 0)
      expect(() => verifyProof(root, k, tampered, { secure: true })).toThrow(ProofError)
    }
  })
})

describe('property: seeks and neighbours', () => {
  for (let seed = 1; seed <= 6; seed++) {
    it(`seed ${seed}`, () => {
      const r = seededRandom(seed * 104729)
      const trie = new Trie()
      const keys = new Map<string, Uint8Array>()
      for (let i = 0; i < 150; i++) {
        const k = key(r)
        trie.put(k, Uint8Array.of(1))
        keys.set(bytesToHex(k), k)
      }
      const sorted = [...keys.values()].sort(compareBytes)
      for (let probe = 0; probe < 200; probe++) {
        const p = key(r)
        const after = sorted.filter((k) => compareBytes(k, p) >= 0)
        const before = sorted.filter((k) => compareBytes(k, p) <= 0).reverse()
        expect([...trie.entries(p)].map(([k]) => bytesToHex(k))).toEqual(after.map(bytesToHex))
        expect([...trie.entriesDescending(p)].map(([k]) => bytesToHex(k))).toEqual(before.map(bytesToHex))
        const next = sorted.find((k) => compareBytes(k, p) > 0)
        const prev = [...sorted].reverse().find((k) => compareBytes(k, p) < 0)
        expect(trie.nextKey(p) && bytesToHex(trie.nextKey(p)!)).toEqual(next && bytesToHex(next))
        expect(trie.prevKey(p) && bytesToHex(trie.prevKey(p)!)).toEqual(prev && bytesToHex(prev))
      }
    })
  }
})
