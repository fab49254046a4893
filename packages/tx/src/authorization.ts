import { SET_CODE_MAGIC } from '@crucible/forks'
import { concatBytes, encodeRlp, keccak256 } from '@crucible/primitives'
import { TransactionError } from './errors.js'
import { address, uint } from './fields.js'
import { checkSignatureValues, recoverAddress, signHash } from './signature.js'
import type { AuthorizationRequest, SignedAuthorization } from './types.js'

/** EIP-7702: `keccak256(0x05 || rlp([chain_id, address, nonce]))`, the hash an authority signs. */
export function authorizationSigningHash(auth: AuthorizationRequest): Uint8Array {
  const body = encodeRlp([uint(auth.chainId), address(auth.address), uint(auth.nonce)])
  return keccak256(concatBytes(Uint8Array.of(SET_CODE_MAGIC), body))
}

/** Signs an EIP-7702 authorization with a private key. */
export function signAuthorization(auth: AuthorizationRequest, privateKey: Uint8Array): SignedAuthorization {
  const { yParity, r, s } = signHash(authorizationSigningHash(auth), privateKey)
  return { chainId: auth.chainId, address: auth.address, nonce: auth.nonce, yParity: BigInt(yParity), r, s }
}

/**
 * The signer of an EIP-7702 authorization (a 160-bit bigint), or undefined when the signature
 * is not valid: `y_parity` not 0/1, `r` or `s` out of range, `s` above n/2, or no key
 * recovers. An invalid authorization is skipped, it does not invalidate the transaction, so
 * this never throws. Chain id and nonce are checked by the EVM against the chain and state.
 */
export function recoverAuthority(auth: SignedAuthorization): bigint | undefined {
  if (auth.yParity !== 0n && auth.yParity !== 1n) return undefined
  try {
    checkSignatureValues(auth.r, auth.s, true)
    return recoverAddress(authorizationSigningHash(auth), Number(auth.yParity), auth.r, auth.s)
  } catch (error) {
    if (error instanceof TransactionError) return undefined
    throw error
  }
}
