import { describe, expect, it } from 'vitest'
import { HexError, InputTypeError } from './errors.js'
import {
  bytesToHex,
  bytesToUnprefixedHex,
  hexToBigInt,
  hexToBytes,
  hexToNumber,
  isHex,
  numberToHex,
} from './hex.js'

describe('hex', () => {
  it('round-trips bytes', () => {
    const bytes = Uint8Array.from([0, 1, 0x7f, 0x80, 0xff])
    expect(bytesToHex(bytes)).toBe('0x00017f80ff')
    expect(hexToBytes('0x00017F80ff')).toEqual(bytes)
    expect(hexToBytes('00017f80ff')).toEqual(bytes)
    expect(hexToBytes('0x')).toEqual(new Uint8Array(0))
  })
  it('rejects odd length and bad characters with a typed error', () => {
    expect(() => hexToBytes('0x123')).toThrow(HexError)
    expect(() => hexToBytes('0xzz')).toThrow(/bad character at offset 2/)
    expect(() => hexToBytes('12', { requirePrefix: true })).toThrow(/missing 0x prefix/)
    try {
      hexToBytes('0xabc')
    } catch (error) {
      expect(error).toBeInstanceOf(HexError)
      expect((error as HexError).code).toBe('INVALID_HEX')
      expect((error as HexError).details.reason).toBe('odd number of digits')
    }
  })
  it('parses and prints quantities', () => {
    expect(hexToBigInt('0x0')).toBe(0n)
    expect(hexToBigInt('0x')).toBe(0n)
    expect(hexToBigInt('0x00ff')).toBe(255n)
    expect(() => hexToBigInt('0xg')).toThrow(HexError)
    expect(numberToHex(0n)).toBe('0x0')
    expect(numberToHex(4096)).toBe('0x1000')
    expect(isHex('0x12')).toBe(true)
    expect(isHex('0x123')).toBe(false)
    expect(isHex('12')).toBe(false)
  })
  // Issue 12, defect 6: wrong types are typed errors, never TypeErrors or silent conversions.
  it('rejects values of the wrong type', () => {
    for (const bad of [null, undefined, 12, {}, [1], Uint8Array.of(1)]) {
      expect(() => hexToBytes(bad as never)).toThrow(HexError)
      expect(() => hexToBigInt(bad as never)).toThrow(HexError)
      expect(() => hexToNumber(bad as never)).toThrow(HexError)
      expect(isHex(bad)).toBe(false)
    }
    for (const bad of [null, undefined, '0x12', 12, [1], new ArrayBuffer(2)]) {
      expect(() => bytesToHex(bad as never)).toThrow(InputTypeError)
      expect(() => bytesToUnprefixedHex(bad as never)).toThrow(InputTypeError)
    }
    for (const bad of [null, '12', 1.5, Number.NaN, {}])
      expect(() => numberToHex(bad as never)).toThrow(InputTypeError)
    expect(() => hexToBytes('0x0x12')).toThrow(HexError)
    expect(() => hexToBigInt('0x0x12')).toThrow(HexError)
  })
})
