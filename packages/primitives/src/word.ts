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

/** The 32-byte big-endian encoding of a word. */
export function wordToBytes(word: bigint): Uint8Array {
  const out = new Uint8Array(32)
  let v = word
  for (let i = 31; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}
