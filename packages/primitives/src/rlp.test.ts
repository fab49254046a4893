import { describe, expect, it } from 'vitest'
import { RlpError } from './errors.js'
import { hexToBytes } from './hex.js'
import { decodeRlp, encodeRlp, rlpBigInt, rlpFixedBytes, rlpList } from './rlp.js'

describe('rlp', () => {
  it('round-trips nested values', () => {
    const value = [Uint8Array.of(1, 2, 3), [new Uint8Array(0), [Uint8Array.of(0x7f)]]]
    expect(decodeRlp(encodeRlp(value))).toEqual(value)
    expect(encodeRlp(0n)).toEqual(Uint8Array.of(0x80))
    expect(encodeRlp(1024n)).toEqual(Uint8Array.of(0x82, 0x04, 0x00))
  })
  it('rejects non-canonical and truncated input with RlpError', () => {
    expect(() => decodeRlp(hexToBytes('0x8100'))).toThrow(RlpError) // single byte < 0x80 with prefix
    expect(() => decodeRlp(hexToBytes('0xb800'))).toThrow(RlpError) // long form for a short string
    expect(() => decodeRlp(hexToBytes('0x8301'))).toThrow(RlpError) // runs past the end
    expect(() => decodeRlp(hexToBytes('0x0101'))).toThrow(RlpError) // trailing bytes
    expect(() => decodeRlp(new Uint8Array(0))).toThrow(RlpError)
  })
  it('reads typed fields', () => {
    const item = decodeRlp(encodeRlp([1024n, Uint8Array.of(0, 1)]))
    const [n, b] = rlpList(item, 'pair', 2)
    expect(rlpBigInt(n, 'n')).toBe(1024n)
    expect(() => rlpBigInt(b, 'b')).toThrow(/leading zero/)
    expect(rlpFixedBytes(b, 'b', 2)).toEqual(Uint8Array.of(0, 1))
    expect(() => rlpList(n, 'n')).toThrow(/expected a list/)
  })
})
