import type { ForkRules } from '@crucible/forks'
import { bytesToUnprefixedHex, EMPTY_BYTES, hexToBytes } from '@crucible/primitives'
import { invalidInput, outOfGas, type PrecompileResult } from './types.js'

/** EIP-7823 (Osaka): the largest base, exponent or modulus length, in bytes. */
export const MODEXP_MAX_LENGTH = 1024n

/** The three lengths of a MODEXP input and the first 32 bytes of its exponent, as read for pricing. */
export interface ModexpHeader {
  baseLength: bigint
  exponentLength: bigint
  modulusLength: bigint
  /** The exponent's first min(32, exponentLength) bytes as an integer. */
  exponentHead: bigint
}

/** Big-endian integer of `length` bytes of `input` at a possibly huge `offset`, zero past the end. */
function readInt(input: Uint8Array, offset: bigint, length: number): bigint {
  let v = 0n
  for (let i = 0; i < length; i++) {
    const at = offset + BigInt(i)
    v = (v << 8n) | (at < BigInt(input.length) ? BigInt(input[Number(at)]!) : 0n)
  }
  return v
}

/** Reads the header. Lengths may be as large as 2^256 - 1: nothing here depends on their size. */
export function readModexpHeader(input: Uint8Array): ModexpHeader {
  const baseLength = readInt(input, 0n, 32)
  const exponentLength = readInt(input, 32n, 32)
  const modulusLength = readInt(input, 64n, 32)
  const headLength = exponentLength < 32n ? Number(exponentLength) : 32
  const exponentHead = readInt(input, 96n + baseLength, headLength)
  return { baseLength, exponentLength, modulusLength, exponentHead }
}

function bitLength(v: bigint): bigint {
  return v === 0n ? 0n : BigInt(v.toString(2).length)
}

/** The "adjusted exponent length" of EIP-198, with `perByte` bits per byte beyond the first 32 (8, or 16 with EIP-7883). */
function iterationCount(h: ModexpHeader, perByte: bigint): bigint {
  const headBits = h.exponentHead === 0n ? 0n : bitLength(h.exponentHead) - 1n
  const count = h.exponentLength <= 32n ? headBits : perByte * (h.exponentLength - 32n) + headBits
  return count < 1n ? 1n : count
}

/** EIP-198's multiplication complexity of an x-byte operand. */
function complexityEip198(x: bigint): bigint {
  if (x <= 64n) return x * x
  if (x <= 1024n) return (x * x) / 4n + 96n * x - 3072n
  return (x * x) / 16n + 480n * x - 199680n
}

/**
 * MODEXP gas under `rules`, as a bigint since lengths up to 2^256 make it astronomically large:
 * EIP-198 (Byzantium), EIP-2565 (Berlin) or EIP-7883 (Osaka).
 */
export function modexpGas(header: ModexpHeader, rules: ForkRules): bigint {
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints
  const maxLength = header.baseLength > header.modulusLength ? header.baseLength : header.modulusLength
  if (rules.isActive(7883)) {
    const w = (maxLength + 7n) / 8n
    const complexity = maxLength <= 32n ? 16n : 2n * w * w
    const gas = complexity * iterationCount(header, 16n)
    return gas < 500n ? 500n : gas
  }
  if (rules.isActive(2565)) {
    const w = (maxLength + 7n) / 8n
    const gas = (w * w * iterationCount(header, 8n)) / 3n
    return gas < 200n ? 200n : gas
  }
  return (complexityEip198(maxLength) * iterationCount(header, 8n)) / 20n
}

/** Window width for sliding-window exponentiation of a `bits`-bit exponent (HAC 14.85's thresholds). */
function windowBits(bits: number): number {
  if (bits <= 24) return 1
  if (bits <= 80) return 3
  if (bits <= 240) return 4
  if (bits <= 672) return 5
  return 6
}

/**
 * base^exponent mod modulus by left-to-right sliding windows (one squaring per bit, one
 * multiplication per window of up to w bits, odd powers precomputed), falling back to plain
 * square-and-multiply for short exponents where the table would not pay. `modulus` must be
 * positive.
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n
  const b = base % modulus
  if (exponent === 0n) return 1n
  if (b === 0n) return 0n
  const bits = exponent.toString(2)
  const w = windowBits(bits.length)
  // odd[i] = b^(2i + 1)
  const odd: bigint[] = [b]
  if (w > 1) {
    const b2 = (b * b) % modulus
    for (let i = 1; i < 1 << (w - 1); i++) odd.push((odd[i - 1]! * b2) % modulus)
  }
  let result = 1n
  let started = false
  let i = 0
  while (i < bits.length) {
    if (bits.charCodeAt(i) === 48) {
      if (started) result = (result * result) % modulus
      i++
      continue
    }
    // The longest window of at most w bits starting here and ending in a one.
    let end = Math.min(i + w, bits.length)
    while (bits.charCodeAt(end - 1) === 48) end--
    const value = Number.parseInt(bits.slice(i, end), 2)
    if (started) for (let j = i; j < end; j++) result = (result * result) % modulus
    result = started ? (result * odd[value >> 1]!) % modulus : odd[value >> 1]!
    started = true
    i = end
  }
  return result
}

/*
 * Operands run to thousands of bits; going through hex text is linear where shifting a bigint
 * a byte or a few bytes at a time is quadratic.
 */
function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToUnprefixedHex(bytes)}`)
}

function toBytes(value: bigint, length: number): Uint8Array {
  return hexToBytes(value.toString(16).padStart(length * 2, '0'))
}

/** `length` bytes of `input` from `offset`, zero-padded; the caller has bounded both by gas. */
function slice(input: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  if (offset < input.length) out.set(input.subarray(offset, Math.min(input.length, offset + length)))
  return out
}

/**
 * 0x05 (EIP-198): base^exponent mod modulus on big-endian integers of any length, the result
 * left-padded to the modulus length. Gas is computed from the header alone before anything is
 * allocated, so absurd lengths fail out of gas at once.
 */
export function modexp(input: Uint8Array, gasLimit: number, rules: ForkRules): PrecompileResult {
  const header = readModexpHeader(input)
  const gas = modexpGas(header, rules)
  if (gas > BigInt(gasLimit)) return outOfGas(gasLimit)
  const { baseLength, exponentLength, modulusLength } = header
  if (
    rules.isActive(7823) &&
    (baseLength > MODEXP_MAX_LENGTH ||
      exponentLength > MODEXP_MAX_LENGTH ||
      modulusLength > MODEXP_MAX_LENGTH)
  )
    return invalidInput(gasLimit)
  const gasUsed = Number(gas)
  // Nothing to compute; the operands may still be too large to read, so do not.
  if (modulusLength === 0n) return { ok: true, gasUsed, output: EMPTY_BYTES }
  // Having paid, the modulus and base lengths are bounded by gasLimit (complexity grows as the square)
  // and so is the exponent length (iterations grow with it) whenever the modulus is not empty.
  const bLen = Number(baseLength)
  const eLen = Number(exponentLength)
  const mLen = Number(modulusLength)
  const modulus = toBigInt(slice(input, 96 + bLen + eLen, mLen))
  if (modulus === 0n) return { ok: true, gasUsed, output: new Uint8Array(mLen) }
  const base = toBigInt(slice(input, 96, bLen))
  const exponent = toBigInt(slice(input, 96 + bLen, eLen))
  return { ok: true, gasUsed, output: toBytes(modPow(base, exponent, modulus), mLen) }
}
