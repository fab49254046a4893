import { MAX_WORD, SIGN_BIT, WORD_MOD } from './constants.js'

const toSigned = (x: bigint): bigint => (x >= SIGN_BIT ? x - WORD_MOD : x)
const toWord = (x: bigint): bigint => (x < 0n ? x + WORD_MOD : x)

export function sdiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n
  if (a < SIGN_BIT && b < SIGN_BIT) return a / b
  // -2^255 / -1 overflows back to -2^255; BigInt.asUintN folds it like the spec's U256 wrap.
  return BigInt.asUintN(256, toSigned(a) / toSigned(b))
}

export function smod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n
  if (a < SIGN_BIT && b < SIGN_BIT) return a % b
  // BigInt % truncates toward zero and keeps the dividend's sign, as SMOD requires.
  return toWord(toSigned(a) % toSigned(b))
}

export function exp(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let b = base
  let e = exponent
  while (e > 0n) {
    if (e & 1n) result = BigInt.asUintN(256, result * b)
    e >>= 1n
    if (e > 0n) b = BigInt.asUintN(256, b * b)
  }
  return result
}

/** Bytes needed to write `value` (0 for zero): the EXP per-byte multiplier. */
export function byteLength(value: bigint): number {
  if (value === 0n) return 0
  return Math.ceil(value.toString(16).length / 2)
}

// Per byte index b: the sign bit 2^(8b+7), the mask of the low 8b+8 bits, and its complement.
// Table lookups keep SIGNEXTEND to one AND plus one AND/OR (BigInt.asIntN with a variable
// width takes V8's slow generic path).
const SIGN_BITS: bigint[] = []
const LOW_MASKS: bigint[] = []
const HIGH_MASKS: bigint[] = []
for (let b = 0; b < 31; b++) {
  SIGN_BITS.push(1n << BigInt(b * 8 + 7))
  const low = (1n << BigInt(b * 8 + 8)) - 1n
  LOW_MASKS.push(low)
  HIGH_MASKS.push(MAX_WORD ^ low)
}

export function signExtend(byteIndex: bigint, value: bigint): bigint {
  if (byteIndex >= 31n) return value
  const b = Number(byteIndex)
  return (value & SIGN_BITS[b]!) === 0n ? value & LOW_MASKS[b]! : value | HIGH_MASKS[b]!
}

export function byteOf(index: bigint, value: bigint): bigint {
  if (index >= 32n) return 0n
  return (value >> BigInt(248 - Number(index) * 8)) & 0xffn
}

export function shl(shift: bigint, value: bigint): bigint {
  if (shift >= 256n) return 0n
  return (value << shift) & MAX_WORD
}

export function shr(shift: bigint, value: bigint): bigint {
  if (shift >= 256n) return 0n
  return value >> shift
}

export function sar(shift: bigint, value: bigint): bigint {
  const negative = value >= SIGN_BIT
  if (shift >= 256n) return negative ? MAX_WORD : 0n
  return toWord(toSigned(value) >> shift)
}

/** EIP-7939: count of leading zero bits (256 for zero). */
export function clz(value: bigint): bigint {
  if (value === 0n) return 256n
  return BigInt(256 - value.toString(2).length)
}

export function slt(a: bigint, b: bigint): bigint {
  return toSigned(a) < toSigned(b) ? 1n : 0n
}

export function sgt(a: bigint, b: bigint): bigint {
  return toSigned(a) > toSigned(b) ? 1n : 0n
}
