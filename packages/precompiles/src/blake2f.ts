import { charge, invalidInput, type PrecompileResult } from './types.js'

/** BLAKE2b initialisation vector, as 32-bit halves: [lo, hi] per 64-bit word. */
const IV = /* @__PURE__ */ Uint32Array.from([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1,
  0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
])

/** Message schedule of the ten rounds; round i uses row i mod 10. Pre-doubled to lane offsets. */
const SIGMA = /* @__PURE__ */ Uint8Array.from(
  [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5,
    3, 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4, 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0,
    15, 8, 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13, 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15,
    14, 1, 9, 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11, 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4,
    8, 6, 2, 10, 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5, 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14,
    3, 12, 13, 0,
  ],
  (x) => x * 2,
)

/** Input length of BLAKE2F: rounds(4) ‖ h(64) ‖ m(128) ‖ t(16) ‖ f(1). */
export const BLAKE2F_INPUT_LENGTH = 213

/** Working vector and message, reused across calls: the function is synchronous and not re-entrant. */
const v = new Uint32Array(32)
const m = new Uint32Array(32)

/**
 * The mixing function G on lanes a, b, c, d (64-bit words as [lo, hi] at 2i, 2i + 1) with
 * message words x, y. 64-bit additions carry from the low half by division, which the engines
 * compile to a cheap shift on these small doubles.
 */
function g(a: number, b: number, c: number, d: number, x: number, y: number): void {
  // a = a + b + x
  let lo = v[a]! + v[b]! + m[x]!
  let hi = v[a + 1]! + v[b + 1]! + m[x + 1]! + ((lo / 0x100000000) | 0)
  v[a] = lo
  v[a + 1] = hi
  // d = (d ^ a) >>> 32
  lo = v[d]! ^ v[a]!
  hi = v[d + 1]! ^ v[a + 1]!
  v[d] = hi
  v[d + 1] = lo
  // c = c + d
  lo = v[c]! + v[d]!
  hi = v[c + 1]! + v[d + 1]! + ((lo / 0x100000000) | 0)
  v[c] = lo
  v[c + 1] = hi
  // b = (b ^ c) >>> 24
  lo = v[b]! ^ v[c]!
  hi = v[b + 1]! ^ v[c + 1]!
  v[b] = (lo >>> 24) | (hi << 8)
  v[b + 1] = (hi >>> 24) | (lo << 8)
  // a = a + b + y
  lo = v[a]! + v[b]! + m[y]!
  hi = v[a + 1]! + v[b + 1]! + m[y + 1]! + ((lo / 0x100000000) | 0)
  v[a] = lo
  v[a + 1] = hi
  // d = (d ^ a) >>> 16
  lo = v[d]! ^ v[a]!
  hi = v[d + 1]! ^ v[a + 1]!
  v[d] = (lo >>> 16) | (hi << 16)
  v[d + 1] = (hi >>> 16) | (lo << 16)
  // c = c + d
  lo = v[c]! + v[d]!
  hi = v[c + 1]! + v[d + 1]! + ((lo / 0x100000000) | 0)
  v[c] = lo
  v[c + 1] = hi
  // b = (b ^ c) >>> 63, that is a left rotation by one
  lo = v[b]! ^ v[c]!
  hi = v[b + 1]! ^ v[c + 1]!
  v[b] = (lo << 1) | (hi >>> 31)
  v[b + 1] = (hi << 1) | (lo >>> 31)
}

function readU32LE(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0
  )
}

/**
 * The BLAKE2b compression function F (RFC 7693 §3.2) with a caller-chosen number of rounds, as
 * EIP-152 exposes it. `h` (8 words), `m` (16 words) and `t` (2 words) are little-endian 64-bit
 * words in byte form; returns the new state h' (64 bytes).
 */
export function blake2bCompress(
  rounds: number,
  h: Uint8Array,
  message: Uint8Array,
  t: Uint8Array,
  final: boolean,
): Uint8Array {
  for (let i = 0; i < 16; i++) v[i] = readU32LE(h, i * 4)
  v.set(IV, 16)
  for (let i = 0; i < 32; i++) m[i] = readU32LE(message, i * 4)
  v[24]! ^= readU32LE(t, 0)
  v[25]! ^= readU32LE(t, 4)
  v[26]! ^= readU32LE(t, 8)
  v[27]! ^= readU32LE(t, 12)
  if (final) {
    v[28] = ~v[28]!
    v[29] = ~v[29]!
  }
  for (let r = 0; r < rounds; r++) {
    const s = (r % 10) * 16
    g(0, 8, 16, 24, SIGMA[s]!, SIGMA[s + 1]!)
    g(2, 10, 18, 26, SIGMA[s + 2]!, SIGMA[s + 3]!)
    g(4, 12, 20, 28, SIGMA[s + 4]!, SIGMA[s + 5]!)
    g(6, 14, 22, 30, SIGMA[s + 6]!, SIGMA[s + 7]!)
    g(0, 10, 20, 30, SIGMA[s + 8]!, SIGMA[s + 9]!)
    g(2, 12, 22, 24, SIGMA[s + 10]!, SIGMA[s + 11]!)
    g(4, 14, 16, 26, SIGMA[s + 12]!, SIGMA[s + 13]!)
    g(6, 8, 18, 28, SIGMA[s + 14]!, SIGMA[s + 15]!)
  }
  const out = new Uint8Array(64)
  for (let i = 0; i < 16; i++) {
    const word = readU32LE(h, i * 4) ^ v[i]! ^ v[i + 16]!
    out[i * 4] = word
    out[i * 4 + 1] = word >>> 8
    out[i * 4 + 2] = word >>> 16
    out[i * 4 + 3] = word >>> 24
  }
  return out
}

/** Gas of BLAKE2F (0x09): one per round, the big-endian first 4 bytes; undefined for a bad length. */
export function blake2fGas(input: Uint8Array): number | undefined {
  if (input.length !== BLAKE2F_INPUT_LENGTH) return undefined
  return ((input[0]! << 24) | (input[1]! << 16) | (input[2]! << 8) | input[3]!) >>> 0
}

/**
 * 0x09 (EIP-152): the BLAKE2b F function. Input must be exactly 213 bytes with a final flag of
 * 0 or 1; anything else is a failure.
 */
export function blake2f(input: Uint8Array, gasLimit: number): PrecompileResult {
  const rounds = blake2fGas(input)
  if (rounds === undefined) return invalidInput(gasLimit)
  const f = input[212]!
  if (f > 1) return invalidInput(gasLimit)
  return charge(rounds, gasLimit, () =>
    blake2bCompress(
      rounds,
      input.subarray(4, 68),
      input.subarray(68, 196),
      input.subarray(196, 212),
      f === 1,
    ),
  )
}
