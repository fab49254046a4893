import { assertBytes, HexError, InputTypeError } from './errors.js'

/** A `0x`-prefixed hexadecimal string. */
export type Hex = `0x${string}`

const HEX_CHARS = '0123456789abcdef'
const BYTE_TO_HEX: string[] = /* @__PURE__ */ (() => {
  const table: string[] = new Array(256)
  for (let i = 0; i < 256; i++) table[i] = HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!
  return table
})()

/** Value of one ASCII hex digit, or -1. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/** True for a `0x`-prefixed string of hex digits with an even number of digits. */
export function isHex(value: unknown): value is Hex {
  if (typeof value !== 'string' || !value.startsWith('0x') || value.length % 2 !== 0) return false
  for (let i = 2; i < value.length; i++) if (nibble(value.charCodeAt(i)) < 0) return false
  return true
}

/**
 * Parses hex into bytes, strictly: an odd number of digits or any non-hex character is a
 * {@link HexError}. The `0x` prefix is optional unless `requirePrefix` is set.
 */
export function hexToBytes(hex: string, options?: { requirePrefix?: boolean }): Uint8Array {
  if (typeof hex !== 'string') throw new HexError('not a string', String(hex))
  let start = 0
  if (hex.length >= 2 && hex.charCodeAt(0) === 48 && (hex.charCodeAt(1) === 120 || hex.charCodeAt(1) === 88))
    start = 2
  else if (options?.requirePrefix) throw new HexError('missing 0x prefix', hex)
  const digits = hex.length - start
  if (digits % 2 !== 0) throw new HexError('odd number of digits', hex)
  const out = new Uint8Array(digits / 2)
  for (let i = 0, j = start; i < out.length; i++, j += 2) {
    const hi = nibble(hex.charCodeAt(j))
    const lo = nibble(hex.charCodeAt(j + 1))
    if (hi < 0 || lo < 0) throw new HexError(`bad character at offset ${hi < 0 ? j : j + 1}`, hex)
    out[i] = (hi << 4) | lo
  }
  return out
}

/** Lowercase `0x`-prefixed hex of the bytes. */
export function bytesToHex(bytes: Uint8Array): Hex {
  assertBytes(bytes, 'bytesToHex bytes')
  let s = '0x'
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i]!]
  return s as Hex
}

/** Lowercase hex of the bytes with no prefix. */
export function bytesToUnprefixedHex(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytesToUnprefixedHex bytes')
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i]!]
  return s
}

/**
 * Parses a hex quantity (`0x1a`, `0x0`) into a bigint. Leading zeros are accepted; an empty
 * `0x` is zero. Use {@link hexToBytes} for data.
 */
export function hexToBigInt(hex: string): bigint {
  if (typeof hex !== 'string') throw new HexError('not a string', String(hex))
  let body = hex
  if (body.startsWith('0x') || body.startsWith('0X')) body = body.slice(2)
  if (body.length === 0) return 0n
  for (let i = 0; i < body.length; i++)
    if (nibble(body.charCodeAt(i)) < 0) throw new HexError(`bad character at offset ${i + 2}`, hex)
  return BigInt(`0x${body}`)
}

/** Parses a hex quantity into a safe JavaScript number, or throws. */
export function hexToNumber(hex: string): number {
  const value = hexToBigInt(hex)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new HexError('number too large for a safe integer', hex)
  return Number(value)
}

/** `0x`-prefixed minimal hex of a non-negative integer (`0x0` for zero), as JSON-RPC quantities. */
export function numberToHex(value: bigint | number): Hex {
  if (typeof value === 'number' ? !Number.isSafeInteger(value) : typeof value !== 'bigint')
    throw new InputTypeError('numberToHex value', 'a bigint or a safe integer', value)
  if (value < 0) throw new HexError('negative quantity', String(value))
  return `0x${value.toString(16)}` as Hex
}
