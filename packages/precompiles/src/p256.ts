import { EMPTY_BYTES } from '@crucible/primitives'
import { p256 } from '@noble/curves/nist.js'
import { charge, type PrecompileResult } from './types.js'

/** Gas of P256VERIFY (EIP-7951). */
export const P256VERIFY_GAS = 6900

const Point = p256.Point
const Fp = Point.Fp
const N = Point.Fn.ORDER

function word(bytes: Uint8Array, offset: number): bigint {
  let v = 0n
  for (let i = offset; i < offset + 32; i++) v = (v << 8n) | BigInt(bytes[i]!)
  return v
}

function inverse(a: bigint, m: bigint): bigint {
  // Extended Euclid; a is in [1, m) and m prime, so the inverse exists.
  let [r0, r1] = [m, a]
  let [t0, t1] = [0n, 1n]
  while (r1 !== 0n) {
    const q = r0 / r1
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[t0, t1] = [t1, t0 - q * t1]
  }
  return t0 < 0n ? t0 + m : t0
}

/**
 * True when (r, s) is a valid secp256r1 signature of the 32-byte hash h by the public key
 * (qx, qy), with EIP-7951's rules: r and s in [1, n - 1] (high s allowed), the key a finite
 * point on the curve with coordinates below p, h used as given (not reduced, not hashed).
 */
export function p256Verify(h: bigint, r: bigint, s: bigint, qx: bigint, qy: bigint): boolean {
  if (r < 1n || r >= N || s < 1n || s >= N) return false
  const P = Fp.ORDER
  if (qx >= P || qy >= P || (qx === 0n && qy === 0n)) return false
  const { a, b } = Point.CURVE()
  if (Fp.sqr(qy) !== Fp.add(Fp.add(Fp.mul(Fp.sqr(qx), qx), Fp.mul(a, qx)), b)) return false
  const q = Point.fromAffine({ x: qx, y: qy })
  const sInv = inverse(s, N)
  const u1 = (h * sInv) % N
  const u2 = (r * sInv) % N
  // u1·G + u2·Q with one shared doubling chain (Strauss–Shamir), as noble's own verify does.
  const R = Point.BASE.mulAddUnsafe(u1, q, u2)
  if (R.is0()) return false
  return R.toAffine().x % N === r
}

const VALID = /* @__PURE__ */ (() => {
  const out = new Uint8Array(32)
  out[31] = 1
  return out
})()

/**
 * 0x100 P256VERIFY (EIP-7951, Osaka): input h ‖ r ‖ s ‖ qx ‖ qy, exactly 160 bytes. A valid
 * signature returns the word 1; anything else returns empty output, still charging the gas.
 */
export function p256verify(input: Uint8Array, gasLimit: number): PrecompileResult {
  return charge(P256VERIFY_GAS, gasLimit, () => {
    if (input.length !== 160) return EMPTY_BYTES
    let valid = false
    try {
      valid = p256Verify(word(input, 0), word(input, 32), word(input, 64), word(input, 96), word(input, 128))
    } catch {
      valid = false
    }
    return valid ? VALID.slice() : EMPTY_BYTES
  })
}
