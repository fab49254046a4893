import { bigIntToBytes, bytesToBigInt } from '@crucible/primitives'

// EIP-7702 (set code for EOAs): every constant of the EIP, in one place.

/** The byte an authority's signed message starts with: `keccak256(MAGIC || rlp([chain_id, address, nonce]))`. */
export const SET_CODE_MAGIC = 0x05
/** The code of a delegated account starts with these bytes: `0xef0100 || address`. */
export const DELEGATION_PREFIX: Uint8Array = /* @__PURE__ */ Uint8Array.of(0xef, 0x01, 0x00)
/** Length of a delegation designator: the prefix and a 20-byte address. */
export const DELEGATION_LENGTH = 23

/** The address a delegation designator (`0xef0100 || address`) points to, if `code` is one. */
export function delegationTarget(code: Uint8Array): bigint | undefined {
  if (code.length !== DELEGATION_LENGTH || code[0] !== 0xef || code[1] !== 0x01 || code[2] !== 0x00)
    return undefined
  return bytesToBigInt(code.subarray(3))
}

/** The designator an authority's code is set to when it delegates to `address`. */
export function delegationDesignator(address: bigint): Uint8Array {
  const designator = new Uint8Array(DELEGATION_LENGTH)
  designator.set(DELEGATION_PREFIX)
  designator.set(bigIntToBytes(address, 20), 3)
  return designator
}
