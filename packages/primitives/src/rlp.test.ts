import { decode as referenceDecode, encode as referenceEncode } from '@ethereumjs/rlp'
import { describe, expect, it } from 'vitest'
import { RlpError } from './errors.js'
import { bytesToHex, hexToBytes } from './hex.js'
import {
  decodeRlp,
  decodeRlpPrefix,
  encodeRlp,
  RLP_DEFAULT_MAX_DEPTH,
  type RlpItem,
  rlpBigInt,
  rlpFixedBytes,
  rlpList,
} from './rlp.js'

/** `depth` list headers around an RLP string of `size` bytes (issue 12's nested input). */
function nest(depth: number, size: number): Uint8Array {
  let inner = encodeRlp(new Uint8Array(size).fill(0xaa))
  for (let i = 0; i < depth; i++) inner = encodeRlp([decodeRlp(inner, { maxDepth: Infinity })])
  return inner
}

/** The same, built by writing headers directly (no decoder involved). */
function nestRaw(depth: number, size: number): Uint8Array {
  const headers: Uint8Array[] = []
  let payload = size < 56 ? 1 + size : 1 + lenBytes(size).length + size
  for (let i = 0; i < depth; i++) {
    const h =
      payload < 56
        ? Uint8Array.of(0xc0 + payload)
        : Uint8Array.of(0xf7 + lenBytes(payload).length, ...lenBytes(payload))
    headers.push(h)
    payload += h.length
  }
  const out = new Uint8Array(payload)
  let pos = 0
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, pos)
    pos += headers[i]!.length
  }
  out.set(encodeRlp(new Uint8Array(size).fill(0xaa)), pos)
  return out
}

function lenBytes(n: number): number[] {
  const out: number[] = []
  while (n > 0) {
    out.unshift(n & 0xff)
    n >>>= 8
  }
  return out
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomItem(r: () => number, depth: number): RlpItem {
  if (depth > 0 && r() < 0.35) {
    const n = (r() * (r() < 0.1 ? 70 : 5)) | 0
    return Array.from({ length: n }, () => randomItem(r, depth - 1))
  }
  const n = r() < 0.5 ? (r() * 3) | 0 : (r() * (r() < 0.1 ? 300 : 60)) | 0
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = r() < 0.3 ? (r() * 0x80) | 0 : (r() * 256) | 0
  return out
}

function outcome(f: () => unknown): string {
  try {
    return `ok ${JSON.stringify(f(), (_k, v) => (v instanceof Uint8Array ? bytesToHex(v) : v))}`
  } catch {
    return 'error'
  }
}

describe('rlp', () => {
  it('round-trips nested values', () => {
    const value = [Uint8Array.of(1, 2, 3), [new Uint8Array(0), [Uint8Array.of(0x7f)]]]
    expect(decodeRlp(encodeRlp(value))).toEqual(value)
    expect(encodeRlp(0n)).toEqual(Uint8Array.of(0x80))
    expect(encodeRlp(1024n)).toEqual(Uint8Array.of(0x82, 0x04, 0x00))
    expect(encodeRlp([1, 'dog', '0x0400', null, []])).toEqual(referenceEncode([1, 'dog', '0x0400', null, []]))
  })

  it('rejects non-canonical and truncated input with RlpError', () => {
    expect(() => decodeRlp(hexToBytes('0x8100'))).toThrow(RlpError) // single byte < 0x80 with prefix
    expect(() => decodeRlp(hexToBytes('0xb800'))).toThrow(RlpError) // long form for a short string
    expect(() => decodeRlp(hexToBytes('0xb90001'))).toThrow(RlpError) // length with a leading zero
    expect(() => decodeRlp(hexToBytes('0xf800'))).toThrow(RlpError) // long form for a short list
    expect(() => decodeRlp(hexToBytes('0x8301'))).toThrow(RlpError) // runs past the end
    expect(() => decodeRlp(hexToBytes('0xc28301'))).toThrow(RlpError) // item runs past its list
    expect(() => decodeRlp(hexToBytes('0x0101'))).toThrow(RlpError) // trailing bytes
    expect(() => decodeRlp(new Uint8Array(0))).toThrow(RlpError)
  })

  it('agrees with @ethereumjs/rlp on random and mutated inputs', () => {
    const r = rng(12)
    for (let n = 0; n < 400; n++) {
      const item = randomItem(r, 4)
      const encoded = encodeRlp(item)
      expect(bytesToHex(encoded)).toBe(bytesToHex(referenceEncode(item as never)))
      expect(decodeRlp(encoded)).toEqual(item)
      const mutated = encoded.slice(0, r() < 0.2 ? (r() * encoded.length) | 0 : encoded.length)
      for (let k = (r() * 3) | 0; k >= 0 && mutated.length > 0; k--)
        mutated[(r() * mutated.length) | 0] = (r() * 256) | 0
      if (mutated.length === 0) continue
      expect(outcome(() => decodeRlp(mutated))).toBe(outcome(() => referenceDecode(mutated)))
      const prefix = outcome(() => {
        const { item, rest } = decodeRlpPrefix(mutated)
        return [item, rest]
      })
      const referencePrefix = outcome(() => {
        const { data, remainder } = referenceDecode(mutated, true)
        return [data, remainder]
      })
      expect(prefix).toBe(referencePrefix)
    }
  })

  it('reads typed fields', () => {
    const item = decodeRlp(encodeRlp([1024n, Uint8Array.of(0, 1)]))
    const [n, b] = rlpList(item, 'pair', 2)
    expect(rlpBigInt(n, 'n')).toBe(1024n)
    expect(() => rlpBigInt(b, 'b')).toThrow(/leading zero/)
    expect(rlpFixedBytes(b, 'b', 2)).toEqual(Uint8Array.of(0, 1))
    expect(() => rlpList(n, 'n')).toThrow(/expected a list/)
  })

  // Issue 12, defect 1: every level of nesting copied its payload (depth × size).
  it('decodes byte strings as views into the input, not copies', () => {
    const input = nestRaw(50, 4096)
    let item = decodeRlp(input)
    for (let i = 0; i < 50; i++) item = (item as RlpItem[])[0]!
    expect(item).toBeInstanceOf(Uint8Array)
    expect((item as Uint8Array).buffer).toBe(input.buffer)
    expect((item as Uint8Array).length).toBe(4096)
    expect(nest(3, 10)).toEqual(nestRaw(3, 10))
  })

  it('limits nesting depth and input length with typed errors, without recursion', () => {
    const deep = nestRaw(RLP_DEFAULT_MAX_DEPTH + 1, 1)
    expect(() => decodeRlp(deep)).toThrow(/nested deeper than the limit of 1024/)
    expect(() => decodeRlp(nestRaw(RLP_DEFAULT_MAX_DEPTH, 1))).not.toThrow()
    expect(() => decodeRlp(nestRaw(3, 1), { maxDepth: 2 })).toThrow(RlpError)
    expect(() => decodeRlp(hexToBytes('0xc0'), { maxDepth: 0 })).toThrow(RlpError)
    expect(decodeRlp(hexToBytes('0x05'), { maxDepth: 0 })).toEqual(Uint8Array.of(5))
    expect(() => decodeRlp(new Uint8Array(100).fill(1), { maxLength: 99 })).toThrow(/longer than the limit/)
    // Far deeper than any call stack: decoded and re-encoded without a stack overflow.
    const veryDeep = nestRaw(100_000, 1)
    const decoded = decodeRlp(veryDeep, { maxDepth: Infinity })
    expect(bytesToHex(encodeRlp(decoded))).toBe(bytesToHex(veryDeep))
  })

  // Issue 12, defect 3: encoding spread every item into one call (`concatBytes(...items)`).
  it('encodes lists of any width', () => {
    const wide = Array.from({ length: 300_000 }, (_, i) => Uint8Array.of(i & 0x7f))
    const encoded = encodeRlp(wide)
    expect(encoded.length).toBe(300_000 + 4)
    expect((decodeRlp(encoded) as RlpItem[]).length).toBe(300_000)
  })

  // Issue 12, defect 4: each one-byte item was its own allocation (~1 KB apiece).
  it('shares one-byte strings instead of allocating each', () => {
    const list = decodeRlp(
      encodeRlp([Uint8Array.of(7), Uint8Array.of(7), Uint8Array.of(0x99), Uint8Array.of(0x99)]),
    )
    const [a, b, c, d] = list as Uint8Array[]
    expect(a).toBe(b)
    expect(c).toBe(d)
    expect(a).toEqual(Uint8Array.of(7))
  })

  // Issue 12, defect 6: non-bytes input threw a TypeError or was silently converted.
  it('rejects input that is not bytes with RlpError', () => {
    for (const bad of [null, undefined, 'c0', 0xc0, [0xc0], {}, new ArrayBuffer(1)]) {
      expect(() => decodeRlp(bad as never)).toThrow(RlpError)
      expect(() => decodeRlpPrefix(bad as never)).toThrow(RlpError)
    }
    for (const bad of [-1n, -1, 1.5, {}, Symbol('x'), '0xzz', [Uint8Array.of(1), {}]]) {
      expect(() => encodeRlp(bad as never)).toThrow(RlpError)
    }
  })
})
