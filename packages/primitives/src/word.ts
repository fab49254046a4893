import { ValueRangeError } from './errors.js'

/**
 * 256-bit EVM word helpers on bigint. Words are kept in [0, 2^256); signed views use two's
 * complement.
 */

/** 2^256. */
export const WORD_MODULUS: bigint = 1n << 256n
/** 2^256 - 1, the all-ones word. */
export const MAX_UINT256: bigint = WORD_MODULUS - 1n
/** 2^255, the sign bit. */
export const SIGN_BIT: bigint = 1n << 255n
/** Largest signed word, 2^255 - 1. */
export const MAX_INT256: bigint = SIGN_BIT - 1n
/** Smallest signed word, -2^255. */
export const MIN_INT256: bigint = -SIGN_BIT

/** Reduces any integer into a word (mod 2^256). */
export function toWord(value: bigint): bigint {
  return BigInt.asUintN(256, value)
}

/** The signed (two's complement) value of a word. */
export function toSigned(word: bigint): bigint {
  return BigInt.asIntN(256, word)
}

/** The word encoding a signed value in [-2^255, 2^255). */
export function fromSigned(value: bigint): bigint {
  return BigInt.asUintN(256, value)
}

/**
 * SIGNEXTEND: extends the sign of byte `byteIndex` (0 = least significant) of `word` through
 * the higher bytes. For `byteIndex >= 31` the word is unchanged.
 */
export function signExtend(byteIndex: bigint, word: bigint): bigint {
  if (byteIndex >= 31n) return word
  const bits = Number(byteIndex) * 8 + 8
  return BigInt.asUintN(256, BigInt.asIntN(bits, word))
}

/** BYTE: byte `index` of the word counting from the most significant (0), or 0 past 31. */
export function byteAt(index: bigint, word: bigint): bigint {
  if (index >= 32n) return 0n
  return (word >> (8n * (31n - index))) & 0xffn
}

// Word <-> bytes conversions. The EVM moves words, addresses and hashes between bigint and
// bytes on every account access: these go 64 bits at a time through a DataView.

/** The 32-byte big-endian encoding of a word (its low 256 bits). */
export function wordToBytes(word: bigint): Uint8Array {
  const out = new Uint8Array(32)
  const view = new DataView(out.buffer)
  // setBigUint64 stores its argument modulo 2^64: no masks needed.
  view.setBigUint64(0, word >> 192n)
  view.setBigUint64(8, word >> 128n)
  view.setBigUint64(16, word >> 64n)
  view.setBigUint64(24, word)
  return out
}

/** The 20-byte address in the low 160 bits of a word. */
export function wordToAddress(word: bigint): Uint8Array {
  const out = new Uint8Array(20)
  const view = new DataView(out.buffer)
  view.setUint32(0, Number((word >> 128n) & 0xffffffffn))
  view.setBigUint64(4, word >> 64n)
  view.setBigUint64(12, word)
  return out
}

const scratch = /* @__PURE__ */ new Uint8Array(32)
const scratchView = /* @__PURE__ */ new DataView(scratch.buffer)

/** The word that big-endian `bytes` (at most 32: a word, a hash, an address) encode. */
export function bytesToWord(bytes: Uint8Array): bigint {
  const n = bytes.length
  if (n > 32) throw new ValueRangeError('more than 32 bytes for a word', n)
  if (n <= 6) {
    let v = 0
    for (let i = 0; i < n; i++) v = v * 256 + bytes[i]!
    return BigInt(v)
  }
  // Through one shared buffer: a DataView per call is a measurable allocation.
  scratch.fill(0, 0, 32 - n)
  scratch.set(bytes, 32 - n)
  return (
    (scratchView.getBigUint64(0) << 192n) |
    (scratchView.getBigUint64(8) << 128n) |
    (scratchView.getBigUint64(16) << 64n) |
    scratchView.getBigUint64(24)
  )
}
