import { assertBytes, InputTypeError, ValueRangeError } from './errors.js'

/** The empty byte string, shared: never write into it. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0)

/** Byte-wise equality. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true
  assertBytes(a, 'equalBytes a')
  assertBytes(b, 'equalBytes b')
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Lexicographic comparison: negative, zero or positive like `Array.prototype.sort` wants. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  assertBytes(a, 'compareBytes a')
  assertBytes(b, 'compareBytes b')
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** Concatenates byte strings into a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) {
    assertBytes(p, 'concatBytes part')
    length += p.length
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Left-pads with zeros to `length` bytes; longer input is a {@link ValueRangeError}. */
export function padLeft(bytes: Uint8Array, length: number): Uint8Array {
  assertBytes(bytes, 'padLeft bytes')
  if (bytes.length === length) return bytes
  if (bytes.length > length)
    throw new ValueRangeError(`${bytes.length} bytes do not fit in ${length}`, bytes.length)
  const out = new Uint8Array(length)
  out.set(bytes, length - bytes.length)
  return out
}

/** Drops leading zero bytes (the minimal big-endian form RLP integers use). */
export function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  assertBytes(bytes, 'stripLeadingZeros bytes')
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  return i === 0 ? bytes : bytes.subarray(i)
}

/** Big-endian unsigned integer of the bytes (empty is zero). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  assertBytes(bytes, 'bytesToBigInt bytes')
  const n = bytes.length
  if (n === 0) return 0n
  if (n <= 6) {
    let v = 0
    for (let i = 0; i < n; i++) v = v * 256 + bytes[i]!
    return BigInt(v)
  }
  // Six bytes at a time keeps each step inside a safe integer.
  let result = 0n
  let i = 0
  const head = n % 6
  if (head > 0) {
    let v = 0
    for (; i < head; i++) v = v * 256 + bytes[i]!
    result = BigInt(v)
  }
  for (; i < n; i += 6) {
    const v =
      bytes[i]! * 0x10000000000 +
      bytes[i + 1]! * 0x100000000 +
      ((bytes[i + 2]! << 24) >>> 0) +
      (bytes[i + 3]! << 16) +
      (bytes[i + 4]! << 8) +
      bytes[i + 5]!
    result = (result << 48n) | BigInt(v)
  }
  return result
}

/** Big-endian unsigned integer of the bytes as a number; over 2^53 - 1 is a {@link ValueRangeError}. */
export function bytesToNumber(bytes: Uint8Array): number {
  assertBytes(bytes, 'bytesToNumber bytes')
  if (bytes.length <= 6) {
    let v = 0
    for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i]!
    return v
  }
  const big = bytesToBigInt(bytes)
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValueRangeError('integer exceeds 2^53 - 1', big)
  return Number(big)
}

/**
 * Minimal big-endian bytes of a non-negative integer (zero is the empty string), as RLP wants;
 * with `length`, left-padded to exactly that many bytes.
 */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  if (typeof value !== 'bigint') throw new InputTypeError('bigIntToBytes value', 'a bigint', value)
  if (value < 0n) throw new ValueRangeError('negative integer', value)
  if (length === undefined) {
    if (value === 0n) return new Uint8Array(0)
    let hex = value.toString(16)
    if (hex.length % 2) hex = `0${hex}`
    const out = new Uint8Array(hex.length / 2)
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
    return out
  }
  const out = new Uint8Array(length)
  let v = value
  let i = length
  // Eight bytes at a time: a 32-byte word is 4 BigInt steps, not 32 (receipts and logs encode
  // every topic and address through here).
  if (i >= 8 && v > 0xffn) {
    const view = new DataView(out.buffer)
    while (i >= 8 && v > 0n) {
      i -= 8
      view.setBigUint64(i, BigInt.asUintN(64, v))
      v >>= 64n
    }
  }
  while (i > 0 && v > 0n) {
    out[--i] = Number(v & 0xffn)
    v >>= 8n
  }
  if (v > 0n) throw new ValueRangeError(`integer does not fit in ${length} bytes`, value)
  return out
}

/** Minimal big-endian bytes of a safe non-negative integer. */
export function numberToBytes(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ValueRangeError('not a safe non-negative integer', value)
  return bigIntToBytes(BigInt(value))
}

const encoder = /* @__PURE__ */ new TextEncoder()
const decoder = /* @__PURE__ */ new TextDecoder()

/** UTF-8 bytes of a string. */
export function utf8ToBytes(text: string): Uint8Array {
  if (typeof text !== 'string') throw new InputTypeError('utf8ToBytes text', 'a string', text)
  return encoder.encode(text)
}

/** A string from UTF-8 bytes. */
export function bytesToUtf8(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytesToUtf8 bytes')
  return decoder.decode(bytes)
}
