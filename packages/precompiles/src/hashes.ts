import { EMPTY_BYTES } from '@crucible/primitives'
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { charge, type PrecompileResult, words } from './types.js'

/** Gas of SHA256 (0x02): 60 + 12 per word. */
export function sha256Gas(inputLength: number): number {
  return 60 + 12 * words(inputLength)
}

/** Gas of RIPEMD160 (0x03): 600 + 120 per word. */
export function ripemd160Gas(inputLength: number): number {
  return 600 + 120 * words(inputLength)
}

/** Gas of IDENTITY (0x04): 15 + 3 per word. */
export function identityGas(inputLength: number): number {
  return 15 + 3 * words(inputLength)
}

/** 0x02: SHA-256 of the input. */
export function sha256(input: Uint8Array, gasLimit: number): PrecompileResult {
  return charge(sha256Gas(input.length), gasLimit, () => nobleSha256(input))
}

/** 0x03: RIPEMD-160 of the input, left-padded to a 32-byte word. */
export function ripemd160(input: Uint8Array, gasLimit: number): PrecompileResult {
  return charge(ripemd160Gas(input.length), gasLimit, () => {
    const out = new Uint8Array(32)
    out.set(nobleRipemd160(input), 12)
    return out
  })
}

/** 0x04: the input itself (copied, so the caller may reuse its buffer). */
export function identity(input: Uint8Array, gasLimit: number): PrecompileResult {
  return charge(identityGas(input.length), gasLimit, () => (input.length === 0 ? EMPTY_BYTES : input.slice()))
}
