import {
  bytesToHex,
  hexToBytes,
  InputTypeError,
  KECCAK256_RLP_EMPTY,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { CheckpointError, MemoryStore, MissingNodeError, Trie, trieRoot } from './index.js'

const u = utf8ToBytes

describe('Trie', () => {
  it('empty root', () => {
    expect(new Trie().root()).toEqual(KECCAK256_RLP_EMPTY)
    expect(trieRoot([])).toEqual(KECCAK256_RLP_EMPTY)
  })

  it('puppy vector', () => {
    const t = new Trie()
    const entries: Array<[string, string]> = [
      ['do', 'verb'],
      ['horse', 'stallion'],
      ['doge', 'coin'],
      ['dog', 'puppy'],
    ]
    for (const [k, v] of entries) t.put(u(k), u(v))
    const want = '0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84'
    expect(bytesToHex(t.root())).toBe(want)
    expect(bytesToHex(trieRoot(entries.map(([k, v]) => [u(k), u(v)])))).toBe(want)
    expect(t.get(u('dog'))).toEqual(u('puppy'))
    expect(t.get(u('do'))).toEqual(u('verb'))
    expect(t.get(u('d'))).toBeUndefined()
    expect(t.get(u('doges'))).toBeUndefined()
  })

  it('deletes back to the same roots', () => {
    const t = new Trie()
    t.put(u('do'), u('verb'))
    const r1 = t.root()
    t.put(u('dog'), u('puppy'))
    t.put(u('doge'), u('coin'))
    t.del(u('doge'))
    t.del(u('dog'))
    expect(t.root()).toEqual(r1)
    t.del(u('do'))
    expect(t.root()).toEqual(KECCAK256_RLP_EMPTY)
  })

  it('checkpoint, revert, commit', () => {
    const t = new Trie({ secure: true })
    t.put(u('a'), u('1'))
    const r1 = t.root()
    t.checkpoint()
    t.put(u('b'), u('2'))
    t.put(u('a'), u('3'))
    expect(t.get(u('a'))).toEqual(u('3'))
    t.revert()
    expect(t.root()).toEqual(r1)
    expect(t.get(u('a'))).toEqual(u('1'))
    t.checkpoint()
    t.put(u('c'), u('4'))
    t.commit()
    expect(t.get(u('c'))).toEqual(u('4'))
    expect(() => t.commit()).toThrow(CheckpointError)
    expect(() => t.revert()).toThrow(CheckpointError)
  })

  it('persists and reopens; missing nodes are typed errors', () => {
    const store = new MemoryStore()
    const t = new Trie({ store, secure: true })
    for (let i = 0; i < 200; i++) t.put(u(`key${i}`), u(`value${i}`))
    const root = t.persist()
    const t2 = new Trie({ store, secure: true, root })
    expect(t2.get(u('key42'))).toEqual(u('value42'))
    t2.del(u('key42'))
    t2.put(u('key7'), u('x'))
    const t3 = new Trie({ secure: true, root })
    expect(() => t3.get(u('key1'))).toThrow(MissingNodeError)
    const fresh = new Trie({ secure: true })
    for (let i = 0; i < 200; i++) if (i !== 42) fresh.put(u(`key${i}`), u(i === 7 ? 'x' : `value${i}`))
    expect(t2.root()).toEqual(fresh.root())
  })

  it('secure trieRoot matches', () => {
    const entries: Array<[Uint8Array, Uint8Array]> = []
    for (let i = 0; i < 1000; i++) entries.push([keccak256(u(`${i}`)).subarray(0, 20), u(`v${i}`)])
    const t = new Trie({ secure: true })
    for (const [k, v] of entries) t.put(k, v)
    expect(trieRoot(entries, { secure: true })).toEqual(t.root())
    expect(hexToBytes(bytesToHex(t.root()))).toEqual(t.root())
  })

  it('trieRoot: later duplicates win, empty values are absent, any order', () => {
    const t = new Trie()
    t.put(Uint8Array.of(1), u('b'))
    t.put(Uint8Array.of(1, 0), u('c'))
    t.put(Uint8Array.of(0, 0xff, 0, 0, 7), u('d'))
    t.put(new Uint8Array(0), u('e'))
    const entries: Array<[Uint8Array, Uint8Array]> = [
      [Uint8Array.of(1, 0), u('c')],
      [Uint8Array.of(1), u('a')],
      [Uint8Array.of(2), u('gone')],
      [Uint8Array.of(0, 0xff, 0, 0, 7), u('d')],
      [Uint8Array.of(1), u('b')],
      [new Uint8Array(0), u('e')],
      [Uint8Array.of(2), new Uint8Array(0)],
    ]
    expect(bytesToHex(trieRoot(entries))).toBe(bytesToHex(t.root()))
    expect(bytesToHex(trieRoot(entries.reverse().slice(1)))).not.toBe(bytesToHex(t.root()))
  })

  it('copies are independent and share nodes', () => {
    const a = new Trie()
    for (let i = 0; i < 100; i++) a.put(u(`k${i}`), u(`v${i}`))
    const r0 = a.root()
    const b = a.copy()
    a.put(u('k1'), u('changed-a'))
    b.del(u('k2'))
    b.put(u('k3'), u('changed-b'))
    expect(a.get(u('k2'))).toEqual(u('v2'))
    expect(a.get(u('k3'))).toEqual(u('v3'))
    expect(b.get(u('k1'))).toEqual(u('v1'))
    const c = b.copy()
    b.checkpoint()
    b.put(u('k4'), u('x'))
    b.revert()
    expect(b.root()).toEqual(c.root())
    a.put(u('k1'), u('v1'))
    expect(a.root()).toEqual(r0)
  })
})

// Issue 12, defect 6: keys and values from outside that are not bytes are typed errors.
describe('trie input guards', () => {
  it('rejects keys and values that are not bytes with InputTypeError', () => {
    const trie = new Trie()
    for (const bad of [null, undefined, 'key', 1, [1]] as never[]) {
      expect(() => trie.get(bad)).toThrow(InputTypeError)
      expect(() => trie.put(bad, Uint8Array.of(1))).toThrow(InputTypeError)
      expect(() => trie.put(Uint8Array.of(1), bad)).toThrow(InputTypeError)
      expect(() => trie.del(bad)).toThrow(InputTypeError)
      expect(() => trie.setRoot(bad)).toThrow(InputTypeError)
      expect(() => new Trie({ secure: true }).get(bad)).toThrow(InputTypeError)
    }
  })
})
