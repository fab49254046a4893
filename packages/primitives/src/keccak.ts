import { keccak_256 } from '@noble/hashes/sha3.js'

/**
 * Keccak-256 (the pre-standard SHA-3 Ethereum uses). One function for the whole project so the
 * backend can change in one place; see `docs/performance.md` for the measured choice.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data)
}

/** keccak256 of the empty string. */
export const KECCAK256_EMPTY: Uint8Array = /* @__PURE__ */ keccak256(new Uint8Array(0))

/** keccak256 of RLP of the empty string (0x80): the root of an empty trie. */
export const KECCAK256_RLP_EMPTY: Uint8Array = /* @__PURE__ */ keccak256(Uint8Array.of(0x80))

/** keccak256 of RLP of the empty list (0xc0): the hash of an empty uncle list. */
export const KECCAK256_RLP_EMPTY_LIST: Uint8Array = /* @__PURE__ */ keccak256(Uint8Array.of(0xc0))
