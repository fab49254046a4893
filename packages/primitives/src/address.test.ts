import { describe, expect, it } from 'vitest'
import {
  addressToBigInt,
  addressToHex,
  bigIntToAddress,
  create2Address,
  createAddress,
  isAddress,
  parseAddress,
  publicKeyToAddress,
  toChecksumAddress,
} from './address.js'
import { AddressError, InputTypeError, ValueRangeError } from './errors.js'
import { bytesToHex, hexToBytes } from './hex.js'
import { keccak256 } from './keccak.js'

describe('address', () => {
  // EIP-55's own examples.
  const checksummed = [
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ]
  it('computes EIP-55 checksums', () => {
    for (const address of checksummed) {
      expect(toChecksumAddress(address.toLowerCase())).toBe(address)
      expect(isAddress(address)).toBe(true)
    }
  })
  it('rejects a wrong checksum and a wrong length', () => {
    expect(() => parseAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toThrow(AddressError)
    expect(() => parseAddress('0x1234')).toThrow(/expected 40 hex digits/)
    expect(isAddress('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toBe(true)
  })
  it('derives CREATE and CREATE2 addresses', () => {
    const sender = hexToBytes('0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0')
    expect(bytesToHex(createAddress(sender, 0n))).toBe('0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d')
    expect(bytesToHex(createAddress(sender, 1n))).toBe('0x343c43a37d37dff08ae8c4a11544c718abb4fcf8')
    // EIP-1014 example 0: zero deployer, zero salt, init code 0x00.
    const zero = new Uint8Array(32)
    expect(bytesToHex(create2Address(new Uint8Array(20), zero, keccak256(Uint8Array.of(0))))).toBe(
      '0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38',
    )
  })
  // Issue 12, defect 5: a second 0x passed as two of the 40 digits, giving 19 bytes.
  it('rejects 0x0x followed by 38 hex digits', () => {
    const sneaky = `0x0x${'ab'.repeat(19)}`
    expect(() => parseAddress(sneaky)).toThrow(AddressError)
    expect(isAddress(sneaky)).toBe(false)
    expect(isAddress(`0X0X${'AB'.repeat(19)}`)).toBe(false)
    expect(isAddress(`0x${'ab'.repeat(20)}`)).toBe(true)
    expect(isAddress('ab'.repeat(20))).toBe(true)
    expect(isAddress(` ${'ab'.repeat(19)}a`)).toBe(false)
  })
  // Issue 12, defect 6: wrong types are typed errors, never TypeErrors.
  it('rejects values that are not strings or bytes', () => {
    for (const bad of [null, undefined, 1, {}, [1]]) {
      expect(() => parseAddress(bad as never)).toThrow(AddressError)
      expect(isAddress(bad as never)).toBe(false)
      expect(() => toChecksumAddress(bad as never)).toThrow(InputTypeError)
      expect(() => addressToHex(bad as never)).toThrow(InputTypeError)
      expect(() => createAddress(bad as never, 0n)).toThrow(InputTypeError)
      expect(() => publicKeyToAddress(bad as never)).toThrow(InputTypeError)
      expect(() => create2Address(bad as never, new Uint8Array(32), new Uint8Array(32))).toThrow(
        InputTypeError,
      )
    }
  })

  it('converts between the bigint and the byte form of an address, both ways', () => {
    const hex = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
    const value = addressToBigInt(parseAddress(hex))
    expect(value).toBe(0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n)
    expect(toChecksumAddress(bigIntToAddress(value))).toBe(hex)
    expect(bigIntToAddress(1n)).toEqual(hexToBytes(`0x${'00'.repeat(19)}01`))
    expect(addressToBigInt(bigIntToAddress(2n ** 160n - 1n))).toBe(2n ** 160n - 1n)
    expect(() => bigIntToAddress(2n ** 160n)).toThrow(ValueRangeError)
    expect(() => bigIntToAddress(-1n)).toThrow(ValueRangeError)
    expect(() => addressToBigInt(new Uint8Array(32))).toThrow(AddressError)
    expect(() => addressToBigInt('0x00' as never)).toThrow(InputTypeError)
  })
})
