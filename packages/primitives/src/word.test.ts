import { describe, expect, it } from 'vitest'
import { ValueRangeError } from './errors.js'
import {
  byteAt,
  bytesToWord,
  fromSigned,
  MAX_UINT256,
  signExtend,
  toSigned,
  toWord,
  wordToAddress,
  wordToBytes,
} from './word.js'

describe('256-bit words', () => {
  it('wraps and reads two’s complement', () => {
    expect(toWord(-1n)).toBe(MAX_UINT256)
    expect(toWord(MAX_UINT256 + 2n)).toBe(1n)
    expect(toSigned(MAX_UINT256)).toBe(-1n)
    expect(toSigned(1n << 255n)).toBe(-(1n << 255n))
    expect(fromSigned(-2n)).toBe(MAX_UINT256 - 1n)
  })
  it('sign-extends like SIGNEXTEND', () => {
    expect(signExtend(0n, 0xffn)).toBe(MAX_UINT256)
    expect(signExtend(0n, 0x7fn)).toBe(0x7fn)
    expect(signExtend(1n, 0x8000n)).toBe(MAX_UINT256 - 0x7fffn)
    expect(signExtend(31n, 0x80n)).toBe(0x80n)
    expect(signExtend(1000n, 5n)).toBe(5n)
  })
  it('reads bytes like BYTE', () => {
    const word = 0x0102n << 240n
    expect(byteAt(0n, word)).toBe(1n)
    expect(byteAt(1n, word)).toBe(2n)
    expect(byteAt(31n, 0xabn)).toBe(0xabn)
    expect(byteAt(32n, MAX_UINT256)).toBe(0n)
    expect(wordToBytes(0xabn)[31]).toBe(0xab)
  })
  it('converts words, addresses and hashes to and from bytes', () => {
    const word = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20n
    const bytes = wordToBytes(word)
    expect([...bytes]).toEqual(Array.from({ length: 32 }, (_, i) => i + 1))
    expect(bytesToWord(bytes)).toBe(word)
    expect([...wordToAddress(word)]).toEqual(Array.from({ length: 20 }, (_, i) => i + 13))
    expect(bytesToWord(wordToAddress(word))).toBe(word & ((1n << 160n) - 1n))
    expect(wordToBytes(MAX_UINT256).every((b) => b === 0xff)).toBe(true)
    expect(bytesToWord(new Uint8Array(0))).toBe(0n)
    expect(bytesToWord(Uint8Array.of(1, 0))).toBe(256n)
    expect(bytesToWord(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0))).toBe(1n << 56n)
    expect(() => bytesToWord(new Uint8Array(33))).toThrow(ValueRangeError)
  })
})
