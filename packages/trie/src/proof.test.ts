import { bytesToHex, compareBytes, keccak256, utf8ToBytes } from '@crucible/primitives'
import { seededRandom } from '@crucible/test-support'
import { describe, expect, it } from 'vitest'
import { createProof, createRangeProof, ProofError, Trie, verifyProof, verifyRangeProof } from './index.js'

function sortedTrie(n: number, seed: number): { trie: Trie; keys: Uint8Array[]; values: Uint8Array[] } {
  const r = seededRandom(seed)
  const trie = new Trie()
  const map = new Map<string, [Uint8Array, Uint8Array]>()
  for (let i = 0; i < n; i++) {
    const k = r.bytes(32)
    const v = r.bytes(1 + r.int(40))
    map.set(bytesToHex(k), [k, v])
    trie.put(k, v)
  }
  const entries = [...map.values()].sort((a, b) => compareBytes(a[0], b[0]))
  return { trie, keys: entries.map((e) => e[0]), values: entries.map((e) => e[1]) }
}

function decrement(key: Uint8Array): Uint8Array | undefined {
  const out = key.slice()
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! > 0) {
      out[i]!--
      return out
    }
    out[i] = 0xff
  }
  return undefined
}

function increment(key: Uint8Array): Uint8Array | undefined {
  const out = key.slice()
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]!++
      return out
    }
    out[i] = 0
  }
  return undefined
}

describe('proofs', () => {
  it('prove present and absent keys', () => {
    const t = new Trie({ secure: true })
    for (let i = 0; i < 300; i++) t.put(utf8ToBytes(`k${i}`), utf8ToBytes(`v${i}`))
    const root = t.root()
    for (let i = 0; i < 300; i += 7) {
      const proof = createProof(t, utf8ToBytes(`k${i}`))
      expect(verifyProof(root, utf8ToBytes(`k${i}`), proof, { secure: true })).toEqual(utf8ToBytes(`v${i}`))
      const absent = createProof(t, utf8ToBytes(`x${i}`))
      expect(verifyProof(root, utf8ToBytes(`x${i}`), absent, { secure: true })).toBeUndefined()
    }
  })

  it('single small root is included', () => {
    const t = new Trie()
    t.put(utf8ToBytes('k'), utf8ToBytes('v'))
    const proof = createProof(t, utf8ToBytes('k'))
    expect(proof.length).toBe(1)
    expect(verifyProof(t.root(), utf8ToBytes('k'), proof)).toEqual(utf8ToBytes('v'))
  })

  it('tampered and incomplete proofs are ProofErrors', () => {
    const t = new Trie({ secure: true })
    for (let i = 0; i < 100; i++) t.put(utf8ToBytes(`k${i}`), utf8ToBytes(`v${i}`))
    const proof = createProof(t, utf8ToBytes('k5'))
    const bad = proof.map((p) => p.slice())
    bad[bad.length - 1]![bad[bad.length - 1]!.length - 1]! ^= 1
    expect(() => verifyProof(t.root(), utf8ToBytes('k5'), bad, { secure: true })).toThrow(ProofError)
    expect(() => verifyProof(t.root(), utf8ToBytes('k5'), proof.slice(0, -1), { secure: true })).toThrow(
      ProofError,
    )
    expect(() =>
      verifyProof(keccak256(utf8ToBytes('x')), utf8ToBytes('k5'), proof, { secure: true }),
    ).toThrow(ProofError)
  })
})

describe('range proofs', () => {
  const { trie, keys, values } = sortedTrie(500, 1)
  const root = trie.root()
  const n = keys.length

  it('whole set without a proof', () => {
    expect(verifyRangeProof(root, keys[0]!, keys[n - 1]!, keys, values, null)).toBe(false)
    expect(() =>
      verifyRangeProof(root, keys[0]!, keys[n - 1]!, keys.slice(1), values.slice(1), null),
    ).toThrow(ProofError)
  })

  it('random ranges with existent and absent edges', () => {
    const r = seededRandom(2)
    for (let round = 0; round < 200; round++) {
      const start = Math.floor(r() * n)
      const end = start + 1 + Math.floor(r() * (n - start))
      const absentEdges = round % 2 === 1
      let first = keys[start]!
      let last = keys[end - 1]!
      if (absentEdges) {
        const f = decrement(first)
        const l = increment(last)
        if (f && (start === 0 || compareBytes(f, keys[start - 1]!) > 0)) first = f
        if (l && (end === n || compareBytes(l, keys[end]!) < 0)) last = l
      }
      const proof =
        round % 3 === 0
          ? [...createProof(trie, first), ...createProof(trie, last)]
          : createRangeProof(trie, first, last)
      const ks = keys.slice(start, end)
      const vs = values.slice(start, end)
      if (ks.length === 1 && !absentEdges) {
        expect(verifyRangeProof(root, first, first, ks, vs, createProof(trie, first))).toBe(end < n)
        continue
      }
      expect(verifyRangeProof(root, first, last, ks, vs, proof)).toBe(end < n)
      if (!absentEdges) expect(verifyRangeProof(root, first, undefined, ks, vs, proof)).toBe(end < n)
      if (ks.length > 2) {
        // Dropping, changing or adding an entry must be caught.
        const mid = Math.floor(ks.length / 2)
        const dropped = [...ks.slice(0, mid), ...ks.slice(mid + 1)]
        const droppedV = [...vs.slice(0, mid), ...vs.slice(mid + 1)]
        expect(() => verifyRangeProof(root, first, last, dropped, droppedV, proof)).toThrow(ProofError)
        const changed = vs.slice()
        changed[mid] = utf8ToBytes('changed')
        expect(() => verifyRangeProof(root, first, last, ks, changed, proof)).toThrow(ProofError)
      }
    }
  })

  it('empty range after the last key, and one-element ranges', () => {
    const after = increment(keys[n - 1]!)!
    expect(verifyRangeProof(root, after, after, [], [], createProof(trie, after))).toBe(false)
    expect(() =>
      verifyRangeProof(root, keys[n - 2]!, keys[n - 2]!, [], [], createProof(trie, keys[n - 2]!)),
    ).toThrow(ProofError)
    const last = keys[n - 1]!
    expect(verifyRangeProof(root, last, last, [last], [values[n - 1]!], createProof(trie, last))).toBe(false)
    const k = keys[10]!
    expect(verifyRangeProof(root, k, k, [k], [values[10]!], createProof(trie, k))).toBe(true)
    expect(() => verifyRangeProof(root, k, k, [k], [utf8ToBytes('no')], createProof(trie, k))).toThrow(
      ProofError,
    )
  })

  it('a one-leaf trie and a gap proven on both sides', () => {
    const t = new Trie()
    const k = new Uint8Array(32).fill(0x55)
    t.put(k, utf8ToBytes('v'))
    const lo = new Uint8Array(32).fill(0x11)
    const hi = new Uint8Array(32).fill(0x99)
    const proof = [...createProof(t, lo), ...createProof(t, hi)]
    expect(verifyRangeProof(t.root(), lo, hi, [k], [utf8ToBytes('v')], proof)).toBe(false)
  })

  it('whole set between extreme edge keys; gaps at the edges are caught', () => {
    const lo = new Uint8Array(32)
    const hi = new Uint8Array(32).fill(0xff)
    const proof = [...createProof(trie, lo), ...createProof(trie, hi)]
    expect(verifyRangeProof(root, lo, hi, keys, values, proof)).toBe(false)
    expect(() => verifyRangeProof(root, lo, hi, keys.slice(1), values.slice(1), proof)).toThrow(ProofError)
    expect(() => verifyRangeProof(root, lo, hi, keys.slice(0, -1), values.slice(0, -1), proof)).toThrow(
      ProofError,
    )
    const first = keys[100]!
    const last = keys[200]!
    const edge = [...createProof(trie, first), ...createProof(trie, last)]
    expect(() =>
      verifyRangeProof(root, first, last, keys.slice(101, 201), values.slice(101, 201), edge),
    ).toThrow(ProofError)
    expect(() =>
      verifyRangeProof(root, first, last, keys.slice(100, 200), values.slice(100, 200), edge),
    ).toThrow(ProofError)
    // Edge proofs that do not belong to the root.
    const other = sortedTrie(50, 9).trie
    const foreign = [...createProof(other, first), ...createProof(other, last)]
    expect(() =>
      verifyRangeProof(root, first, last, keys.slice(100, 201), values.slice(100, 201), foreign),
    ).toThrow(ProofError)
    // Unsorted or deleting entries are rejected outright.
    const swapped = [keys[101]!, keys[100]!]
    expect(() => verifyRangeProof(root, first, last, swapped, [values[101]!, values[100]!], edge)).toThrow(
      ProofError,
    )
    expect(() =>
      verifyRangeProof(
        root,
        first,
        last,
        keys.slice(100, 201),
        [new Uint8Array(0), ...values.slice(101, 201)],
        edge,
      ),
    ).toThrow(ProofError)
  })

  it('the empty trie', () => {
    const empty = new Trie().root()
    expect(verifyRangeProof(empty, new Uint8Array(32), new Uint8Array(32), [], [], null)).toBe(false)
  })

  it('secure trie: range proofs over hashed keys', () => {
    const t = new Trie({ secure: true })
    for (let i = 0; i < 300; i++) t.put(keccak256(Uint8Array.of(i)), Uint8Array.of(i + 1))
    const all = [...t.entries()]
    const ks = all.slice(10, 40).map((e) => e[0])
    const vs = all.slice(10, 40).map((e) => e[1])
    const proof = createRangeProof(t, ks[0]!, ks[ks.length - 1]!)
    expect(verifyRangeProof(t.root(), ks[0]!, ks[ks.length - 1]!, ks, vs, proof)).toBe(true)
  })
})

// Issue 12, defect 6: `verifyProof(null, …)` threw a TypeError. Everything a verifier is
// given may come from a peer; a wrong type is a ProofError.
describe('proof input guards', () => {
  const trie = new Trie()
  trie.put(utf8ToBytes('key'), utf8ToBytes('value'))
  const root = trie.root()
  const key = utf8ToBytes('key')
  const proof = createProof(trie, key)

  it('rejects arguments of the wrong type with ProofError', () => {
    const bad = [null, undefined, '0x12', 12, {}, [1]] as never[]
    for (const b of bad) {
      expect(() => verifyProof(b, key, proof)).toThrow(ProofError)
      expect(() => verifyProof(root, b, proof)).toThrow(ProofError)
      if (b !== undefined) expect(() => verifyProof(root, key, b)).toThrow(ProofError)
      expect(() => verifyProof(root, key, [b])).toThrow(ProofError)
      expect(() => verifyRangeProof(b, key, key, [key], [key], proof)).toThrow(ProofError)
      expect(() => verifyRangeProof(root, b, key, [key], [key], proof)).toThrow(ProofError)
      expect(() => verifyRangeProof(root, key, key, [b], [key], proof)).toThrow(ProofError)
      expect(() => verifyRangeProof(root, key, key, [key], [b], proof)).toThrow(ProofError)
      expect(() => verifyRangeProof(root, key, key, [key], [key], [b])).toThrow(ProofError)
      if (b !== undefined) {
        expect(() => verifyRangeProof(root, key, b, [key], [key], proof)).toThrow(ProofError)
        expect(() => verifyRangeProof(root, key, key, b, [key], proof)).toThrow(ProofError)
        expect(() => verifyRangeProof(root, key, key, [key], b, proof)).toThrow(ProofError)
      }
      expect(() => createProof(trie, b)).toThrow(/must be a Uint8Array/)
    }
    expect(() => verifyProof(root, key, proof, 'secure' as never)).toThrow(ProofError)
    expect(verifyProof(root, key, proof)).toEqual(utf8ToBytes('value'))
  })

  it('rejects proof nodes that are not trie nodes', () => {
    const nested = new Uint8Array(10_000).fill(0xc1)
    expect(() => verifyProof(keccak256(nested), key, [nested])).toThrow(ProofError)
  })
})
