import { BLAKE2F_WASM_BASE64 } from './blake2f/blake2f-wasm.js'
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

/** Message words as [lo, hi] halves, reused across calls: the function is synchronous and not re-entrant. */
const m = new Uint32Array(32)

function readU32LE(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0
  )
}

/** The instantiated WebAssembly F function (see blake2f/blake2f.wat for the layout). */
interface Blake2fWasm {
  readonly memory: Uint8Array
  readonly init: (final: number) => void
  readonly run: (rounds: number, row: number) => void
  readonly finish: () => void
}

/** undefined: not tried yet; null: WebAssembly unavailable or failed, the JS path is used. */
let wasm: Blake2fWasm | null | undefined

/**
 * Rounds per call into wasm. V8 has no on-stack replacement for wasm: a function runs in its
 * baseline tier (about as slow as the JS path) until it returns, even when the optimised code
 * is ready. Chunks of 2^16 rounds (under a millisecond) let the loop switch tiers early.
 */
const CHUNK = 0x10000

/**
 * Compiles and instantiates the module (blake2f/blake2f.wat, under 2 KiB, so synchronous
 * compilation is allowed on browsers' main thread too) on first use; null when WebAssembly is
 * unavailable or refuses it.
 */
function loadWasm(): Blake2fWasm | null {
  if (wasm !== undefined) return wasm
  wasm = null
  try {
    if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null
    const binary = atob(BLAKE2F_WASM_BASE64)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
    const { memory, init, run, finish } = exports
    if (
      !(memory instanceof WebAssembly.Memory) ||
      typeof init !== 'function' ||
      typeof run !== 'function' ||
      typeof finish !== 'function'
    ) {
      return null
    }
    wasm = {
      memory: new Uint8Array(memory.buffer),
      init: init as Blake2fWasm['init'],
      run: run as Blake2fWasm['run'],
      finish: finish as Blake2fWasm['finish'],
    }
  } catch {
    wasm = null
  }
  return wasm
}

/**
 * F through WebAssembly (native 64-bit arithmetic); undefined when WebAssembly is unavailable.
 * Same contract as {@link blake2bCompress}.
 */
export function blake2bCompressWasm(
  rounds: number,
  h: Uint8Array,
  message: Uint8Array,
  t: Uint8Array,
  final: boolean,
): Uint8Array | undefined {
  const instance = loadWasm()
  if (instance === null) return undefined
  const { memory, init, run, finish } = instance
  // h at 0 (updated in place), m at 64, t at 192; all little-endian u64, as wasm memory is.
  memory.set(h.subarray(0, 64), 0)
  memory.set(message.subarray(0, 128), 64)
  memory.set(t.subarray(0, 16), 192)
  init(final ? 1 : 0)
  for (let done = 0; done < rounds; done += CHUNK) run(Math.min(CHUNK, rounds - done), done % 10)
  finish()
  return memory.slice(0, 64)
}

/**
 * The BLAKE2b compression function F (RFC 7693 §3.2) with a caller-chosen number of rounds, as
 * EIP-152 exposes it. `h` (8 words), `m` (16 words) and `t` (2 words) are little-endian 64-bit
 * words in byte form; returns the new state h' (64 bytes). Runs in WebAssembly where available
 * (about ten times faster once the engine has optimised it), else in JS.
 */
export function blake2bCompress(
  rounds: number,
  h: Uint8Array,
  message: Uint8Array,
  t: Uint8Array,
  final: boolean,
): Uint8Array {
  return blake2bCompressWasm(rounds, h, message, t, final) ?? blake2bCompressJs(rounds, h, message, t, final)
}

/** F in plain JS (32-bit halves), the fallback without WebAssembly. Same contract as {@link blake2bCompress}. */
export function blake2bCompressJs(
  rounds: number,
  h: Uint8Array,
  message: Uint8Array,
  t: Uint8Array,
  final: boolean,
): Uint8Array {
  for (let i = 0; i < 32; i++) m[i] = readU32LE(message, i * 4)
  // The working vector in 32 locals (64-bit words as signed 32-bit halves l, h); 64-bit additions
  // carry from the low half by division, which the engines compile to a cheap shift.
  let v0l = readU32LE(h, 0) | 0
  let v0h = readU32LE(h, 4) | 0
  let v1l = readU32LE(h, 8) | 0
  let v1h = readU32LE(h, 12) | 0
  let v2l = readU32LE(h, 16) | 0
  let v2h = readU32LE(h, 20) | 0
  let v3l = readU32LE(h, 24) | 0
  let v3h = readU32LE(h, 28) | 0
  let v4l = readU32LE(h, 32) | 0
  let v4h = readU32LE(h, 36) | 0
  let v5l = readU32LE(h, 40) | 0
  let v5h = readU32LE(h, 44) | 0
  let v6l = readU32LE(h, 48) | 0
  let v6h = readU32LE(h, 52) | 0
  let v7l = readU32LE(h, 56) | 0
  let v7h = readU32LE(h, 60) | 0
  let v8l = IV[0]! | 0
  let v8h = IV[1]! | 0
  let v9l = IV[2]! | 0
  let v9h = IV[3]! | 0
  let v10l = IV[4]! | 0
  let v10h = IV[5]! | 0
  let v11l = IV[6]! | 0
  let v11h = IV[7]! | 0
  let v12l = (IV[8]! ^ readU32LE(t, 0)) | 0
  let v12h = (IV[9]! ^ readU32LE(t, 4)) | 0
  let v13l = (IV[10]! ^ readU32LE(t, 8)) | 0
  let v13h = (IV[11]! ^ readU32LE(t, 12)) | 0
  let v14l = (final ? ~IV[12]! : IV[12]!) | 0
  let v14h = (final ? ~IV[13]! : IV[13]!) | 0
  let v15l = IV[14]! | 0
  let v15h = IV[15]! | 0
  let ll = 0
  let xl = 0
  let xh = 0
  for (let r = 0, s = 0; r < rounds; r++, s = s === 144 ? 0 : s + 16) {
    // G(v0, v4, v8, v12)
    ll = (v0l >>> 0) + (v4l >>> 0) + m[SIGMA[s + 0]!]!
    v0h = (v0h + v4h + m[SIGMA[s + 0]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v0l = ll | 0
    xl = v12l ^ v0l
    v12l = v12h ^ v0h
    v12h = xl
    ll = (v8l >>> 0) + (v12l >>> 0)
    v8h = (v8h + v12h + ((ll / 0x100000000) | 0)) | 0
    v8l = ll | 0
    xl = v4l ^ v8l
    xh = v4h ^ v8h
    v4l = (xl >>> 24) | (xh << 8)
    v4h = (xh >>> 24) | (xl << 8)
    ll = (v0l >>> 0) + (v4l >>> 0) + m[SIGMA[s + 1]!]!
    v0h = (v0h + v4h + m[SIGMA[s + 1]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v0l = ll | 0
    xl = v12l ^ v0l
    xh = v12h ^ v0h
    v12l = (xl >>> 16) | (xh << 16)
    v12h = (xh >>> 16) | (xl << 16)
    ll = (v8l >>> 0) + (v12l >>> 0)
    v8h = (v8h + v12h + ((ll / 0x100000000) | 0)) | 0
    v8l = ll | 0
    xl = v4l ^ v8l
    xh = v4h ^ v8h
    v4l = (xl << 1) | (xh >>> 31)
    v4h = (xh << 1) | (xl >>> 31)
    // G(v1, v5, v9, v13)
    ll = (v1l >>> 0) + (v5l >>> 0) + m[SIGMA[s + 2]!]!
    v1h = (v1h + v5h + m[SIGMA[s + 2]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v1l = ll | 0
    xl = v13l ^ v1l
    v13l = v13h ^ v1h
    v13h = xl
    ll = (v9l >>> 0) + (v13l >>> 0)
    v9h = (v9h + v13h + ((ll / 0x100000000) | 0)) | 0
    v9l = ll | 0
    xl = v5l ^ v9l
    xh = v5h ^ v9h
    v5l = (xl >>> 24) | (xh << 8)
    v5h = (xh >>> 24) | (xl << 8)
    ll = (v1l >>> 0) + (v5l >>> 0) + m[SIGMA[s + 3]!]!
    v1h = (v1h + v5h + m[SIGMA[s + 3]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v1l = ll | 0
    xl = v13l ^ v1l
    xh = v13h ^ v1h
    v13l = (xl >>> 16) | (xh << 16)
    v13h = (xh >>> 16) | (xl << 16)
    ll = (v9l >>> 0) + (v13l >>> 0)
    v9h = (v9h + v13h + ((ll / 0x100000000) | 0)) | 0
    v9l = ll | 0
    xl = v5l ^ v9l
    xh = v5h ^ v9h
    v5l = (xl << 1) | (xh >>> 31)
    v5h = (xh << 1) | (xl >>> 31)
    // G(v2, v6, v10, v14)
    ll = (v2l >>> 0) + (v6l >>> 0) + m[SIGMA[s + 4]!]!
    v2h = (v2h + v6h + m[SIGMA[s + 4]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v2l = ll | 0
    xl = v14l ^ v2l
    v14l = v14h ^ v2h
    v14h = xl
    ll = (v10l >>> 0) + (v14l >>> 0)
    v10h = (v10h + v14h + ((ll / 0x100000000) | 0)) | 0
    v10l = ll | 0
    xl = v6l ^ v10l
    xh = v6h ^ v10h
    v6l = (xl >>> 24) | (xh << 8)
    v6h = (xh >>> 24) | (xl << 8)
    ll = (v2l >>> 0) + (v6l >>> 0) + m[SIGMA[s + 5]!]!
    v2h = (v2h + v6h + m[SIGMA[s + 5]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v2l = ll | 0
    xl = v14l ^ v2l
    xh = v14h ^ v2h
    v14l = (xl >>> 16) | (xh << 16)
    v14h = (xh >>> 16) | (xl << 16)
    ll = (v10l >>> 0) + (v14l >>> 0)
    v10h = (v10h + v14h + ((ll / 0x100000000) | 0)) | 0
    v10l = ll | 0
    xl = v6l ^ v10l
    xh = v6h ^ v10h
    v6l = (xl << 1) | (xh >>> 31)
    v6h = (xh << 1) | (xl >>> 31)
    // G(v3, v7, v11, v15)
    ll = (v3l >>> 0) + (v7l >>> 0) + m[SIGMA[s + 6]!]!
    v3h = (v3h + v7h + m[SIGMA[s + 6]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v3l = ll | 0
    xl = v15l ^ v3l
    v15l = v15h ^ v3h
    v15h = xl
    ll = (v11l >>> 0) + (v15l >>> 0)
    v11h = (v11h + v15h + ((ll / 0x100000000) | 0)) | 0
    v11l = ll | 0
    xl = v7l ^ v11l
    xh = v7h ^ v11h
    v7l = (xl >>> 24) | (xh << 8)
    v7h = (xh >>> 24) | (xl << 8)
    ll = (v3l >>> 0) + (v7l >>> 0) + m[SIGMA[s + 7]!]!
    v3h = (v3h + v7h + m[SIGMA[s + 7]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v3l = ll | 0
    xl = v15l ^ v3l
    xh = v15h ^ v3h
    v15l = (xl >>> 16) | (xh << 16)
    v15h = (xh >>> 16) | (xl << 16)
    ll = (v11l >>> 0) + (v15l >>> 0)
    v11h = (v11h + v15h + ((ll / 0x100000000) | 0)) | 0
    v11l = ll | 0
    xl = v7l ^ v11l
    xh = v7h ^ v11h
    v7l = (xl << 1) | (xh >>> 31)
    v7h = (xh << 1) | (xl >>> 31)
    // G(v0, v5, v10, v15)
    ll = (v0l >>> 0) + (v5l >>> 0) + m[SIGMA[s + 8]!]!
    v0h = (v0h + v5h + m[SIGMA[s + 8]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v0l = ll | 0
    xl = v15l ^ v0l
    v15l = v15h ^ v0h
    v15h = xl
    ll = (v10l >>> 0) + (v15l >>> 0)
    v10h = (v10h + v15h + ((ll / 0x100000000) | 0)) | 0
    v10l = ll | 0
    xl = v5l ^ v10l
    xh = v5h ^ v10h
    v5l = (xl >>> 24) | (xh << 8)
    v5h = (xh >>> 24) | (xl << 8)
    ll = (v0l >>> 0) + (v5l >>> 0) + m[SIGMA[s + 9]!]!
    v0h = (v0h + v5h + m[SIGMA[s + 9]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v0l = ll | 0
    xl = v15l ^ v0l
    xh = v15h ^ v0h
    v15l = (xl >>> 16) | (xh << 16)
    v15h = (xh >>> 16) | (xl << 16)
    ll = (v10l >>> 0) + (v15l >>> 0)
    v10h = (v10h + v15h + ((ll / 0x100000000) | 0)) | 0
    v10l = ll | 0
    xl = v5l ^ v10l
    xh = v5h ^ v10h
    v5l = (xl << 1) | (xh >>> 31)
    v5h = (xh << 1) | (xl >>> 31)
    // G(v1, v6, v11, v12)
    ll = (v1l >>> 0) + (v6l >>> 0) + m[SIGMA[s + 10]!]!
    v1h = (v1h + v6h + m[SIGMA[s + 10]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v1l = ll | 0
    xl = v12l ^ v1l
    v12l = v12h ^ v1h
    v12h = xl
    ll = (v11l >>> 0) + (v12l >>> 0)
    v11h = (v11h + v12h + ((ll / 0x100000000) | 0)) | 0
    v11l = ll | 0
    xl = v6l ^ v11l
    xh = v6h ^ v11h
    v6l = (xl >>> 24) | (xh << 8)
    v6h = (xh >>> 24) | (xl << 8)
    ll = (v1l >>> 0) + (v6l >>> 0) + m[SIGMA[s + 11]!]!
    v1h = (v1h + v6h + m[SIGMA[s + 11]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v1l = ll | 0
    xl = v12l ^ v1l
    xh = v12h ^ v1h
    v12l = (xl >>> 16) | (xh << 16)
    v12h = (xh >>> 16) | (xl << 16)
    ll = (v11l >>> 0) + (v12l >>> 0)
    v11h = (v11h + v12h + ((ll / 0x100000000) | 0)) | 0
    v11l = ll | 0
    xl = v6l ^ v11l
    xh = v6h ^ v11h
    v6l = (xl << 1) | (xh >>> 31)
    v6h = (xh << 1) | (xl >>> 31)
    // G(v2, v7, v8, v13)
    ll = (v2l >>> 0) + (v7l >>> 0) + m[SIGMA[s + 12]!]!
    v2h = (v2h + v7h + m[SIGMA[s + 12]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v2l = ll | 0
    xl = v13l ^ v2l
    v13l = v13h ^ v2h
    v13h = xl
    ll = (v8l >>> 0) + (v13l >>> 0)
    v8h = (v8h + v13h + ((ll / 0x100000000) | 0)) | 0
    v8l = ll | 0
    xl = v7l ^ v8l
    xh = v7h ^ v8h
    v7l = (xl >>> 24) | (xh << 8)
    v7h = (xh >>> 24) | (xl << 8)
    ll = (v2l >>> 0) + (v7l >>> 0) + m[SIGMA[s + 13]!]!
    v2h = (v2h + v7h + m[SIGMA[s + 13]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v2l = ll | 0
    xl = v13l ^ v2l
    xh = v13h ^ v2h
    v13l = (xl >>> 16) | (xh << 16)
    v13h = (xh >>> 16) | (xl << 16)
    ll = (v8l >>> 0) + (v13l >>> 0)
    v8h = (v8h + v13h + ((ll / 0x100000000) | 0)) | 0
    v8l = ll | 0
    xl = v7l ^ v8l
    xh = v7h ^ v8h
    v7l = (xl << 1) | (xh >>> 31)
    v7h = (xh << 1) | (xl >>> 31)
    // G(v3, v4, v9, v14)
    ll = (v3l >>> 0) + (v4l >>> 0) + m[SIGMA[s + 14]!]!
    v3h = (v3h + v4h + m[SIGMA[s + 14]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v3l = ll | 0
    xl = v14l ^ v3l
    v14l = v14h ^ v3h
    v14h = xl
    ll = (v9l >>> 0) + (v14l >>> 0)
    v9h = (v9h + v14h + ((ll / 0x100000000) | 0)) | 0
    v9l = ll | 0
    xl = v4l ^ v9l
    xh = v4h ^ v9h
    v4l = (xl >>> 24) | (xh << 8)
    v4h = (xh >>> 24) | (xl << 8)
    ll = (v3l >>> 0) + (v4l >>> 0) + m[SIGMA[s + 15]!]!
    v3h = (v3h + v4h + m[SIGMA[s + 15]! + 1]! + ((ll / 0x100000000) | 0)) | 0
    v3l = ll | 0
    xl = v14l ^ v3l
    xh = v14h ^ v3h
    v14l = (xl >>> 16) | (xh << 16)
    v14h = (xh >>> 16) | (xl << 16)
    ll = (v9l >>> 0) + (v14l >>> 0)
    v9h = (v9h + v14h + ((ll / 0x100000000) | 0)) | 0
    v9l = ll | 0
    xl = v4l ^ v9l
    xh = v4h ^ v9h
    v4l = (xl << 1) | (xh >>> 31)
    v4h = (xh << 1) | (xl >>> 31)
  }
  const out = new Uint8Array(64)
  const words = [
    v0l ^ v8l,
    v0h ^ v8h,
    v1l ^ v9l,
    v1h ^ v9h,
    v2l ^ v10l,
    v2h ^ v10h,
    v3l ^ v11l,
    v3h ^ v11h,
    v4l ^ v12l,
    v4h ^ v12h,
    v5l ^ v13l,
    v5h ^ v13h,
    v6l ^ v14l,
    v6h ^ v14h,
    v7l ^ v15l,
    v7h ^ v15h,
  ]
  for (let i = 0; i < 16; i++) {
    const word = readU32LE(h, i * 4) ^ words[i]!
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
