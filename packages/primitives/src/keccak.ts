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
  return backend(data)
}

export type KeccakBackend = 'wasm' | 'ts'

let backend: (data: Uint8Array) => Uint8Array = firstCall
let backendName: KeccakBackend | undefined

function firstCall(data: Uint8Array): Uint8Array {
  useKeccakBackend(undefined)
  return backend(data)
}

/**
 * Selects the backend: 'ts' forces pure TypeScript, 'wasm' (or undefined: the default) tries
 * WebAssembly and falls back to TypeScript. Returns the backend now in use. For tests and
 * benchmarks; applications never need it.
 */
export function useKeccakBackend(which: KeccakBackend | undefined): KeccakBackend {
  const wasm = which === 'ts' ? undefined : loadKeccakWasm()
  backend = wasm ?? keccak256Ts
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
