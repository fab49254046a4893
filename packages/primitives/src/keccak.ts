import { assertBytes } from './errors.js'
import { keccak256Ts } from './keccak-ts.js'
import { loadKeccakWasm } from './keccak-wasm.js'

/**
 * Keccak-256 (the pre-standard SHA-3 Ethereum uses). One function for the whole project so the
 * backend can change in one place; see `docs/performance.md` ("keccak256 backend") for the
 * measured choice: hash-wasm's Keccak binary compiled synchronously on first use (about 4x the
 * pure-TS speed), falling back to the unrolled pure-TS Keccak-f[1600] where WebAssembly is not
 * available. Synchronous, no initialisation at import.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  assertBytes(data, 'keccak256 data')
  return backend(data)
}

/**
 * keccak256 of `data[start:end]` (default: all of it) as a big-endian 256-bit bigint: what the
 * EVM's SHA3 opcode pushes. Same digest as {@link keccak256}, without allocating the digest
 * bytes, a DataView to read them, or a subarray for the input range.
 */
export function keccak256Word(data: Uint8Array, start = 0, end?: number): bigint {
  assertBytes(data, 'keccak256Word data')
  return backendWord(data, start, end ?? data.length)
}

export type KeccakBackend = 'wasm' | 'ts'

let backend: (data: Uint8Array) => Uint8Array = firstCall
let backendWord: (data: Uint8Array, start: number, end: number) => bigint = firstCallWord
let backendName: KeccakBackend | undefined

function firstCall(data: Uint8Array): Uint8Array {
  useKeccakBackend(undefined)
  return backend(data)
}

function firstCallWord(data: Uint8Array, start: number, end: number): bigint {
  useKeccakBackend(undefined)
  return backendWord(data, start, end)
}

const scratch = /* @__PURE__ */ new DataView(new ArrayBuffer(32))
const scratchBytes = /* @__PURE__ */ new Uint8Array(scratch.buffer)

function keccak256WordTs(data: Uint8Array, start: number, end: number): bigint {
  scratchBytes.set(keccak256Ts(start === 0 && end === data.length ? data : data.subarray(start, end)))
  return (
    (scratch.getBigUint64(0) << 192n) |
    (scratch.getBigUint64(8) << 128n) |
    (scratch.getBigUint64(16) << 64n) |
    scratch.getBigUint64(24)
  )
}

/**
 * Selects the backend: 'ts' forces pure TypeScript, 'wasm' (or undefined: the default) tries
 * WebAssembly and falls back to TypeScript. Returns the backend now in use. For tests and
 * benchmarks; applications never need it.
 */
export function useKeccakBackend(which: KeccakBackend | undefined): KeccakBackend {
  const wasm = which === 'ts' ? undefined : loadKeccakWasm()
  backend = wasm === undefined ? keccak256Ts : wasm.hash
  backendWord = wasm === undefined ? keccak256WordTs : wasm.hashWord
  backendName = wasm === undefined ? 'ts' : 'wasm'
  return backendName
}

/** Which backend {@link keccak256} uses (selecting the default one if no hash has run yet). */
export function keccak256Backend(): KeccakBackend {
  return backendName ?? useKeccakBackend(undefined)
}

export { keccak256Ts }

// The constants use the pure-TS backend so that importing this module compiles nothing.

/** keccak256 of the empty string. */
export const KECCAK256_EMPTY: Uint8Array = /* @__PURE__ */ keccak256Ts(new Uint8Array(0))

/** keccak256 of RLP of the empty string (0x80): the root of an empty trie. */
export const KECCAK256_RLP_EMPTY: Uint8Array = /* @__PURE__ */ keccak256Ts(Uint8Array.of(0x80))

/** keccak256 of RLP of the empty list (0xc0): the hash of an empty uncle list. */
export const KECCAK256_RLP_EMPTY_LIST: Uint8Array = /* @__PURE__ */ keccak256Ts(Uint8Array.of(0xc0))
