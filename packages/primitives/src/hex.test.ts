import { describe, expect, it } from 'vitest'
import { HexError } from './errors.js'
import { bytesToHex, hexToBigInt, hexToBytes, isHex, numberToHex } from './hex.js'

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
})
