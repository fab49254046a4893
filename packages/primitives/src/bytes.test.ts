import { describe, expect, it } from 'vitest'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToNumber,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  equalBytes,
  padLeft,
  stripLeadingZeros,
  utf8ToBytes,
} from './bytes.js'
import { InputTypeError, ValueRangeError } from './errors.js'
import { hexToBytes } from './hex.js'
import { keccak256, keccak256Word } from './keccak.js'

describe('bytes', () => {
  it('converts integers both ways at every length up to 32 bytes', () => {
    for (let n = 0; n <= 32; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + 11) & 0xff)
      const value = bytesToBigInt(bytes)
      expect(value).toBe(n === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`))
      expect(bigIntToBytes(value, n)).toEqual(bytes)
    }
    expect(bigIntToBytes(0n)).toEqual(new Uint8Array(0))
    expect(bigIntToBytes(0x1234n)).toEqual(Uint8Array.of(0x12, 0x34))
    expect(() => bigIntToBytes(256n, 1)).toThrow(ValueRangeError)
    // Left padding, and values one byte too wide, at the 8-byte steps of the fast path.
    for (const n of [8, 9, 16, 20, 32, 33]) {
      expect(bigIntToBytes(0x0102n, n)).toEqual(new Uint8Array(n).fill(0x01, n - 2, n - 1).fill(0x02, n - 1))
      expect(bigIntToBytes((1n << BigInt(8 * n)) - 1n, n)).toEqual(new Uint8Array(n).fill(0xff))
      expect(() => bigIntToBytes(1n << BigInt(8 * n), n)).toThrow(ValueRangeError)
    }
    expect(() => bigIntToBytes(-1n)).toThrow(ValueRangeError)
    expect(bytesToNumber(hexToBytes('0x1fffffffffffff'))).toBe(Number.MAX_SAFE_INTEGER)
    expect(() => bytesToNumber(hexToBytes('0x20000000000000'))).toThrow(ValueRangeError)
  })
  it('compares, concatenates, pads and strips', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1))).toBe(false)
    expect(Math.sign(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0)))).toBe(-1)
    expect(Math.sign(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9)))).toBe(1)
    expect(concatBytes(Uint8Array.of(1), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3))
    expect(padLeft(Uint8Array.of(1), 3)).toEqual(Uint8Array.of(0, 0, 1))
    expect(() => padLeft(Uint8Array.of(1, 2), 1)).toThrow(ValueRangeError)
    expect(stripLeadingZeros(Uint8Array.of(0, 0, 5, 0))).toEqual(Uint8Array.of(5, 0))
  })
  // Issue 12, defect 6: wrong types are typed errors, never TypeErrors or silent conversions.
  it('rejects values that are not bytes', () => {
    const ok = Uint8Array.of(1)
    for (const bad of [null, undefined, '0x01', 1, [1], {}]) {
      const b = bad as never
      for (const f of [
        () => equalBytes(ok, b),
        () => equalBytes(b, ok),
        () => compareBytes(ok, b),
        () => concatBytes(ok, b),
        () => padLeft(b, 4),
        () => stripLeadingZeros(b),
        () => bytesToBigInt(b),
        () => bytesToNumber(b),
        () => bytesToUtf8(b),
        () => keccak256(b),
        () => keccak256Word(b),
      ])
        expect(f).toThrow(InputTypeError)
    }
    for (const bad of [null, 1, '1', {}]) expect(() => bigIntToBytes(bad as never)).toThrow(InputTypeError)
    for (const bad of [null, 1, Uint8Array.of(1)])
      expect(() => utf8ToBytes(bad as never)).toThrow(InputTypeError)
  })
})
