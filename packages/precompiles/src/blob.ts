import { sha256 } from '@noble/hashes/sha2.js'
import { BLS_MODULUS, FIELD_ELEMENTS_PER_BLOB, verifyKzgProof } from './kzg.js'

/** Bytes of a blob: 4096 field elements of 32 bytes. */
export const BYTES_PER_BLOB = Number(FIELD_ELEMENTS_PER_BLOB) * 32

const N = Number(FIELD_ELEMENTS_PER_BLOB)
/** The consensus specs' Fiat-Shamir domain of blob proofs. */
const FIAT_SHAMIR_DOMAIN = new TextEncoder().encode('FSBLOBVERIFY_V1_')
const PRIMITIVE_ROOT_OF_UNITY = 7n

function mod(a: bigint): bigint {
  const r = a % BLS_MODULUS
  return r < 0n ? r + BLS_MODULUS : r
}

function pow(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let b = mod(base)
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % BLS_MODULUS
    b = (b * b) % BLS_MODULUS
  }
  return result
}

function invert(a: bigint): bigint {
  return pow(a, BLS_MODULUS - 2n)
}

function readScalar(bytes: Uint8Array, offset: number, length: number): bigint {
  let v = 0n
  for (let i = offset; i < offset + length; i++) v = (v << 8n) | BigInt(bytes[i]!)
  return v
}

function scalarBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(32)
  let v = value
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

let rootsBrp: bigint[] | undefined

/** The 4096th roots of unity in bit-reversed order (the blob's evaluation domain), once. */
function domain(): bigint[] {
  if (rootsBrp !== undefined) return rootsBrp
  const omega = pow(PRIMITIVE_ROOT_OF_UNITY, (BLS_MODULUS - 1n) / FIELD_ELEMENTS_PER_BLOB)
  const roots = new Array<bigint>(N)
  let x = 1n
  for (let i = 0; i < N; i++) {
    roots[i] = x
    x = (x * omega) % BLS_MODULUS
  }
  const bits = Math.log2(N)
  rootsBrp = roots.map((_, i) => {
    let r = 0
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b)
    return roots[r]!
  })
  return rootsBrp
}

/** compute_challenge: the evaluation point, hashed from the blob and its commitment. */
function challenge(blob: Uint8Array, commitment: Uint8Array): bigint {
  const data = new Uint8Array(FIAT_SHAMIR_DOMAIN.length + 16 + blob.length + commitment.length)
  data.set(FIAT_SHAMIR_DOMAIN, 0)
  // The degree of the polynomial as 16 bytes, big-endian.
  data[FIAT_SHAMIR_DOMAIN.length + 14] = (N >> 8) & 0xff
  data[FIAT_SHAMIR_DOMAIN.length + 15] = N & 0xff
  data.set(blob, FIAT_SHAMIR_DOMAIN.length + 16)
  data.set(commitment, FIAT_SHAMIR_DOMAIN.length + 16 + blob.length)
  const hash = sha256(data)
  return readScalar(hash, 0, 32) % BLS_MODULUS
}

/**
 * evaluate_polynomial_in_evaluation_form: the blob's polynomial at `z` by the barycentric
 * formula, (z^N − 1)/N · Σ pᵢ·ωᵢ/(z − ωᵢ), the 4096 inverses taken in one batch. Undefined
 * when a field element of the blob is not below the modulus.
 */
function evaluate(blob: Uint8Array, z: bigint): bigint | undefined {
  const roots = domain()
  const values = new Array<bigint>(N)
  for (let i = 0; i < N; i++) {
    const v = readScalar(blob, i * 32, 32)
    if (v >= BLS_MODULUS) return undefined
    values[i] = v
  }
  const inDomain = roots.indexOf(z)
  if (inDomain >= 0) return values[inDomain]
  // Montgomery's trick: the inverses of every (z − ωᵢ) from one inversion.
  const prefix = new Array<bigint>(N)
  let acc = 1n
  for (let i = 0; i < N; i++) {
    prefix[i] = acc
    acc = (acc * mod(z - roots[i]!)) % BLS_MODULUS
  }
  let inv = invert(acc)
  let sum = 0n
  for (let i = N - 1; i >= 0; i--) {
    const d = mod(z - roots[i]!)
    const invD = (inv * prefix[i]!) % BLS_MODULUS
    inv = (inv * d) % BLS_MODULUS
    sum = (sum + ((values[i]! * roots[i]!) % BLS_MODULUS) * invD) % BLS_MODULUS
  }
  const factor = (mod(pow(z, FIELD_ELEMENTS_PER_BLOB) - 1n) * invert(FIELD_ELEMENTS_PER_BLOB)) % BLS_MODULUS
  return (sum * factor) % BLS_MODULUS
}

/**
 * verify_blob_kzg_proof of the consensus specs (EIP-4844): whether `proof` shows that
 * `commitment` commits to `blob`, by opening it at the Fiat-Shamir challenge. False for
 * malformed input (sizes, field elements, points), never a throw.
 */
export function verifyBlobKzgProof(blob: Uint8Array, commitment: Uint8Array, proof: Uint8Array): boolean {
  if (blob.length !== BYTES_PER_BLOB || commitment.length !== 48 || proof.length !== 48) return false
  const z = challenge(blob, commitment)
  const y = evaluate(blob, z)
  if (y === undefined) return false
  return verifyKzgProof(commitment, scalarBytes(z), scalarBytes(y), proof)
}

/**
 * verify_blob_kzg_proof_batch: every blob against its commitment and proof (lists of one
 * length). Checked one by one, which accepts exactly what the specs' random linear
 * combination accepts.
 */
export function verifyBlobKzgProofBatch(
  blobs: readonly Uint8Array[],
  commitments: readonly Uint8Array[],
  proofs: readonly Uint8Array[],
): boolean {
  if (blobs.length !== commitments.length || blobs.length !== proofs.length) return false
  return blobs.every((blob, i) => verifyBlobKzgProof(blob, commitments[i]!, proofs[i]!))
}
