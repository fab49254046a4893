import { bytesToHex, keccak256, utf8ToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import {
  type AsyncNodeStore,
  AsyncTrie,
  InvalidNodeError,
  MemoryStore,
  MissingNodeError,
  ProofError,
  Trie,
  verifyProof,
} from './index.js'

const u = utf8ToBytes

/** An async backend over a map, counting reads. */
class SlowStore implements AsyncNodeStore {
  readonly nodes = new Map<string, Uint8Array>()
  reads = 0
  root: Uint8Array | undefined
  async getNode(hash: Uint8Array) {
    this.reads++
    await Promise.resolve()
    return this.nodes.get(bytesToHex(hash))
  }
  async writeNodes(nodes: Array<[Uint8Array, Uint8Array]>, root: Uint8Array) {
    for (const [h, e] of nodes) this.nodes.set(bytesToHex(h), e)
    this.root = root
  }
}

describe('AsyncTrie', () => {
  it('loads nodes on demand and matches a memory trie', async () => {
    const backend = new SlowStore()
    const a = new AsyncTrie(backend, { secure: true })
    const mem = new Trie({ secure: true })
    for (let i = 0; i < 500; i++) {
      await a.put(u(`k${i}`), u(`v${i}`))
      mem.put(u(`k${i}`), u(`v${i}`))
    }
    const root = await a.flush()
    expect(backend.root).toEqual(root)
    const b = new AsyncTrie(backend, { secure: true, root })
    for (let i = 0; i < 500; i += 3) {
      await b.del(u(`k${i}`))
      mem.del(u(`k${i}`))
      await b.put(u(`k${i + 1}`), u('x'))
      mem.put(u(`k${i + 1}`), u('x'))
    }
    expect(b.root()).toEqual(mem.root())
    expect(backend.reads).toBeGreaterThan(0)
    expect(await b.get(u('k2'))).toEqual(u('v2'))
    const proof = await b.createProof(u('k2'))
    expect(verifyProof(b.root(), u('k2'), proof, { secure: true })).toEqual(u('v2'))
    const entries = []
    for await (const e of new AsyncTrie(backend, { secure: true, root }).entries()) entries.push(e)
    expect(entries.length).toBe(500)
  })

  it('an operation that meets a missing node changes nothing', () => {
    const full = new MemoryStore()
    const t = new Trie({ store: full })
    for (let i = 0; i < 300; i++) t.put(u(`key${i}`), u(`value${i}`))
    const root = t.persist()
    // Drop every third stored node.
    const partial = new MemoryStore()
    let n = 0
    for (const [h, e] of full.entries()) if (n++ % 3 !== 0 || h.length !== 32) partial.put(h, e)
    partial.put(root, full.get(root)!)
    const trie = new Trie({ store: partial, root })
    let misses = 0
    for (let i = 0; i < 300; i++) {
      const before = bytesToHex(trie.root())
      try {
        if (i % 2) trie.del(u(`key${i}`))
        else trie.put(u(`key${i}`), u('new'))
      } catch (error) {
        expect(error).toBeInstanceOf(MissingNodeError)
        expect(bytesToHex(trie.root())).toBe(before)
        misses++
      }
    }
    expect(misses).toBeGreaterThan(0)
  })

  it('garbage in the store or a proof is a typed error', () => {
    const store = new MemoryStore()
    const hash = new Uint8Array(32).fill(7)
    store.put(hash, Uint8Array.of(0xc3, 0x01, 0x02))
    expect(() => new Trie({ store, root: hash }).get(u('a'))).toThrow(InvalidNodeError)
    store.put(hash, Uint8Array.of(0xff))
    expect(() => new Trie({ store, root: hash }).get(u('a'))).toThrow(InvalidNodeError)
    const junk = Uint8Array.of(0xc2, 0x80)
    const t = new Trie()
    t.put(u('a'), u('b'))
    expect(() => verifyProof(t.root(), u('a'), [junk])).toThrow(ProofError)
    // A proof node that hashes right but does not decode.
    const bad = Uint8Array.of(0xc3, 0x01, 0x02)
    expect(() => verifyProof(keccak256(bad), u('a'), [bad])).toThrow(ProofError)
  })
})
