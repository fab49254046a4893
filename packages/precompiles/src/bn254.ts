import type { ForkRules } from '@crucible/forks'
import { bn254 as curve } from '@noble/curves/bn254.js'
import { keyOf, registeredCache } from './cache.js'
import { charge, invalidInput, type PrecompileResult, readPadded } from './types.js'

type G1 = ReturnType<typeof curve.G1.Point.fromAffine>
type G2 = ReturnType<typeof curve.G2.Point.fromAffine>
type Precomputes = ReturnType<typeof curve.utils.calcPairingPrecomputes>

const { Fp, Fp12 } = curve.fields
const P = Fp.ORDER
/** Order of G1 (cofactor 1) and of the G2 subgroup. */
const R = curve.G1.Point.Fn.ORDER

function readWord(bytes: Uint8Array, offset: number): bigint {
  let v = 0n
  for (let i = offset; i < offset + 32; i++) v = (v << 8n) | BigInt(bytes[i]!)
  return v
}

function writeWord(out: Uint8Array, offset: number, value: bigint): void {
  let v = value
  for (let i = offset + 31; i >= offset && v > 0n; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
}

/** A G1 point from 64 bytes (x ‖ y); (0, 0) is infinity. Undefined when not on the curve or a coordinate is ≥ p. */
function readG1(bytes: Uint8Array, offset: number): G1 | undefined {
  const x = readWord(bytes, offset)
  const y = readWord(bytes, offset + 32)
  if (x >= P || y >= P) return undefined
  if (x === 0n && y === 0n) return curve.G1.Point.ZERO
  const point = curve.G1.Point.fromAffine({ x, y })
  // y² = x³ + 3; the curve has cofactor 1 so this is the whole validity check.
  if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), 3n)) return undefined
  return point
}

/**
 * A G2 point from 128 bytes (x.imaginary ‖ x.real ‖ y.imaginary ‖ y.real, the order EIP-197
 * fixes); all zeros is infinity. Undefined when off the twist, outside the r-order subgroup or
 * a coordinate is ≥ p.
 */
function readG2(bytes: Uint8Array, offset: number): G2 | undefined {
  const x1 = readWord(bytes, offset)
  const x0 = readWord(bytes, offset + 32)
  const y1 = readWord(bytes, offset + 64)
  const y0 = readWord(bytes, offset + 96)
  if (x0 >= P || x1 >= P || y0 >= P || y1 >= P) return undefined
  if (x0 === 0n && x1 === 0n && y0 === 0n && y1 === 0n) return curve.G2.Point.ZERO
  const point = curve.G2.Point.fromAffine({ x: { c0: x0, c1: x1 }, y: { c0: y0, c1: y1 } })
  point.assertValidity() // on the twist and in the subgroup; throws otherwise
  return point
}

function encodeG1(point: G1): Uint8Array {
  const out = new Uint8Array(64)
  if (point.is0()) return out
  const { x, y } = point.toAffine()
  writeWord(out, 0, x)
  writeWord(out, 32, y)
  return out
}

/** Gas of ECADD (0x06): 500, 150 from Istanbul (EIP-1108). */
export function bn254AddGas(rules: ForkRules): number {
  return rules.isActive(1108) ? 150 : 500
}

/** Gas of ECMUL (0x07): 40000, 6000 from Istanbul (EIP-1108). */
export function bn254MulGas(rules: ForkRules): number {
  return rules.isActive(1108) ? 6000 : 40000
}

/** Gas of ECPAIRING (0x08) for `pairs` pairs: 100000 + 80000k, 45000 + 34000k from Istanbul. */
export function bn254PairingGas(pairs: number, rules: ForkRules): number {
  return rules.isActive(1108) ? 45000 + 34000 * pairs : 100000 + 80000 * pairs
}

/** 0x06 (EIP-196): the sum of two alt_bn128 G1 points; input zero-padded to 128 bytes. */
export function bn254Add(input: Uint8Array, gasLimit: number, rules: ForkRules): PrecompileResult {
  return charge(bn254AddGas(rules), gasLimit, () => {
    const data = readPadded(input, 0, 128)
    const a = readG1(data, 0)
    const b = readG1(data, 64)
    if (a === undefined || b === undefined) return undefined
    return encodeG1(a.add(b))
  })
}

/** 0x07 (EIP-196): a G1 point times a 256-bit scalar; input zero-padded to 96 bytes. */
export function bn254Mul(input: Uint8Array, gasLimit: number, rules: ForkRules): PrecompileResult {
  return charge(bn254MulGas(rules), gasLimit, () => {
    const data = readPadded(input, 0, 96)
    const point = readG1(data, 0)
    if (point === undefined) return undefined
    // Every point has order r (cofactor 1), so reducing the scalar changes nothing.
    const scalar = readWord(data, 64) % R
    return encodeG1(scalar === 0n ? curve.G1.Point.ZERO : point.multiplyUnsafe(scalar))
  })
}

const INFINITY = 'infinity'
const G2_LINES = /* @__PURE__ */ registeredCache<Precomputes | typeof INFINITY>(32)

/**
 * The Miller-loop lines of the G2 point at `offset`, INFINITY for the point at infinity, or
 * undefined when the encoding is invalid. Valid points are remembered by their encoding, so a
 * verifying key's points are checked and prepared once (see {@link LruCache}).
 */
function g2Lines(bytes: Uint8Array, offset: number): Precomputes | typeof INFINITY | undefined {
  const key = keyOf(bytes, offset, 128)
  const cached = G2_LINES.get(key)
  if (cached !== undefined) return cached
  const point = readG2(bytes, offset)
  if (point === undefined) return undefined
  const lines = point.is0() ? INFINITY : curve.utils.calcPairingPrecomputes(point)
  G2_LINES.set(key, lines)
  return lines
}

const ONE = /* @__PURE__ */ (() => {
  const out = new Uint8Array(32)
  out[31] = 1
  return out
})()

/**
 * 0x08 (EIP-197): whether the product of the pairings of k (G1, G2) pairs is one; 32-byte
 * 1 or 0. The input must be a whole number of 192-byte pairs (none is true).
 */
export function bn254Pairing(input: Uint8Array, gasLimit: number, rules: ForkRules): PrecompileResult {
  if (input.length % 192 !== 0) return invalidInput(gasLimit)
  const k = input.length / 192
  return charge(bn254PairingGas(k, rules), gasLimit, () => {
    const terms: [Precomputes, bigint, bigint][] = []
    for (let i = 0; i < k; i++) {
      const g1 = readG1(input, i * 192)
      const lines = g2Lines(input, i * 192 + 64)
      if (g1 === undefined || lines === undefined) return undefined
      // A pair with infinity contributes a factor of one.
      if (g1.is0() || lines === INFINITY) continue
      const { x, y } = g1.toAffine()
      terms.push([lines, x, y])
    }
    // One shared Miller loop and one final exponentiation; the points are validated above, so
    // this skips pairingBatch's second round of validity checks.
    const result = terms.length === 0 ? Fp12.ONE : Fp12.finalExponentiate(curve.millerLoopBatch(terms))
    return Fp12.eql(result, Fp12.ONE) ? ONE.slice() : new Uint8Array(32)
  })
}
