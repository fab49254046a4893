import { bytesToHex, concatBytes, hexToBytes, keccak256 } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import {
  authorizationSigningHash,
  privateKeyToAddress,
  recoverAuthority,
  SECP256K1_N,
  signAuthorization,
} from './index.js'

const KEY = hexToBytes('0x0101010101010101010101010101010101010101010101010101010101010101')

describe('EIP-7702 authorizations', () => {
  const request = { chainId: 1n, address: 0x1234n, nonce: 0n }

  it('hashes 0x05 || rlp([chain_id, address, nonce])', () => {
    // rlp([0x01, 20-byte address, 0x80]) written out by hand.
    const rlp = hexToBytes(`0xd70194${'00'.repeat(18)}123480`)
    expect(authorizationSigningHash(request)).toEqual(keccak256(concatBytes(Uint8Array.of(5), rlp)))
  })

  it('signs and recovers the authority', () => {
    const auth = signAuthorization(request, KEY)
    expect(auth.yParity === 0n || auth.yParity === 1n).toBe(true)
    expect(recoverAuthority(auth)).toBe(privateKeyToAddress(KEY))
    // Any change to the signed fields changes the recovered signer.
    expect(recoverAuthority({ ...auth, nonce: 1n })).not.toBe(privateKeyToAddress(KEY))
  })

  it('returns undefined (never throws) for an invalid signature', () => {
    const auth = signAuthorization(request, KEY)
    expect(recoverAuthority({ ...auth, yParity: 2n })).toBeUndefined()
    expect(recoverAuthority({ ...auth, r: 0n })).toBeUndefined()
    expect(recoverAuthority({ ...auth, r: SECP256K1_N })).toBeUndefined()
    expect(recoverAuthority({ ...auth, s: 0n })).toBeUndefined()
    // High s is malleable, EIP-7702 refuses it like EIP-2 does.
    expect(recoverAuthority({ ...auth, s: SECP256K1_N - auth.s, yParity: auth.yParity ^ 1n })).toBeUndefined()
    // r = n - 1 is not the x coordinate of any curve point with this parity, or recovers
    // something else: either way no throw.
    expect(() => recoverAuthority({ ...auth, r: SECP256K1_N - 1n })).not.toThrow()
    expect(bytesToHex(authorizationSigningHash({ ...request, chainId: 0n }))).not.toBe(
      bytesToHex(authorizationSigningHash(request)),
    )
  })
})
