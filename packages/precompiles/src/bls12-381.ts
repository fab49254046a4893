import { CrucibleError } from '@crucible/primitives'
import { pippenger } from '@noble/curves/abstract/curve.js'
import { bls12_381 as bls } from '@noble/curves/bls12-381.js'
import { keyOf, registeredCache } from './cache.js'
import { charge, invalidInput, type PrecompileResult } from './types.js'

/*
 * EIP-2537 (Prague): BLS12-381 operations. Field elements are 64 bytes, big-endian, with the
 * top 16 bytes zero and the value below p; an Fp2 element is c0 ‖ c1; a G1 point is x ‖ y
 * (128 bytes) and a G2 point x ‖ y over Fp2 (256 bytes); all zeros is the point at infinity.
 * ADD checks only that points are on the curve; MSM and PAIRING also check the subgroup.
 */

type G1 = ReturnType<typeof bls.G1.Point.fromAffine>
type G2 = ReturnType<typeof bls.G2.Point.fromAffine>
type Fp2 = { c0: bigint; c1: bigint }
type Precomputes = ReturnType<typeof bls.utils.calcPairingPrecomputes>

const { Fp, Fp2: F2, Fp12 } = bls.fields
const P = Fp.ORDER
const R = bls.fields.Fr.ORDER
const G1Point = bls.G1.Point
const G2Point = bls.G2.Point
/** b of the twist y² = x³ + 4(1 + u). */
const B2: Fp2 = { c0: 4n, c1: 4n }

export const BLS12_G1ADD_GAS = 375
export const BLS12_G2ADD_GAS = 600
export const BLS12_G1MUL_GAS = 12000
export const BLS12_G2MUL_GAS = 22500
export const BLS12_PAIRING_BASE_GAS = 37700
export const BLS12_PAIRING_PER_PAIR_GAS = 32600
export const BLS12_MAP_FP_TO_G1_GAS = 5500
export const BLS12_MAP_FP2_TO_G2_GAS = 23800

const G1_LENGTH = 128
const G2_LENGTH = 256
const SCALAR_LENGTH = 32
const G1_MSM_PAIR = G1_LENGTH + SCALAR_LENGTH
const G2_MSM_PAIR = G2_LENGTH + SCALAR_LENGTH
const PAIRING_PAIR = G1_LENGTH + G2_LENGTH

// biome-ignore format: the tables read better as printed in the EIP
/** EIP-2537 G1MSM discounts per thousand for k = 1..128 (index 0 unused); 519 beyond. */
const G1_DISCOUNT = [
  0, 1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665, 661, 658,
  654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615, 613, 611, 609, 608, 606,
  604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585, 584, 582, 581, 580, 579, 577, 576, 575,
  574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552,
  551, 550, 549, 548, 547, 547, 546, 545, 544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533,
  532, 532, 531, 530, 529, 528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
]
// biome-ignore format: the tables read better as printed in the EIP
/** EIP-2537 G2MSM discounts per thousand for k = 1..128 (index 0 unused); 524 beyond. */
const G2_DISCOUNT = [
  0, 1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704, 699, 693, 688,
  683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632, 629, 627, 624, 622, 620, 618,
  615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593, 592, 590, 589, 587, 586, 584, 583, 582, 580,
  579, 578, 576, 575, 574, 573, 571, 570, 569, 568, 567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555,
  554, 553, 552, 552, 551, 550, 549, 548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537,
  536, 535, 535, 534, 533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
]

function msmGas(k: number, perPair: number, table: readonly number[]): number {
  if (k === 0) return 0
  const discount = table[Math.min(k, table.length - 1)]!
  return Math.floor((k * perPair * discount) / 1000)
}

/** Gas of BLS12_G1MSM for an input of `length` bytes. */
export function bls12G1MsmGas(length: number): number {
  return msmGas(Math.floor(length / G1_MSM_PAIR), BLS12_G1MUL_GAS, G1_DISCOUNT)
}

/** Gas of BLS12_G2MSM for an input of `length` bytes. */
export function bls12G2MsmGas(length: number): number {
  return msmGas(Math.floor(length / G2_MSM_PAIR), BLS12_G2MUL_GAS, G2_DISCOUNT)
}

/** Gas of BLS12_PAIRING_CHECK for an input of `length` bytes. */
export function bls12PairingGas(length: number): number {
  return BLS12_PAIRING_BASE_GAS + BLS12_PAIRING_PER_PAIR_GAS * Math.floor(length / PAIRING_PAIR)
}

/** A rejected encoding; thrown inside this module only and turned into `InvalidInput` by {@link charge}. */
class Invalid extends CrucibleError<{ reason: string }> {
  override name = 'Bls12381InputError'
  constructor(reason: string) {
    super('INVALID_PRECOMPILE_INPUT', `Invalid BLS12-381 input: ${reason}`, { reason })
  }
}

function bigAt(bytes: Uint8Array, offset: number, length: number): bigint {
  let hex = ''
  for (let i = offset; i < offset + length; i++) hex += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16)
  return BigInt(`0x${hex}`)
}

/** A 64-byte field element: top 16 bytes zero and below p. */
function readFp(bytes: Uint8Array, offset: number): bigint {
  for (let i = offset; i < offset + 16; i++) if (bytes[i] !== 0) throw new Invalid('field element padding')
  const v = bigAt(bytes, offset + 16, 48)
  if (v >= P) throw new Invalid('field element not below p')
  return v
}

function readFp2(bytes: Uint8Array, offset: number): Fp2 {
  return { c0: readFp(bytes, offset), c1: readFp(bytes, offset + 64) }
}

/** A G1 point on the curve (the subgroup only when `subgroup`); all zeros is infinity. */
function readG1(bytes: Uint8Array, offset: number, subgroup: boolean): G1 {
  const x = readFp(bytes, offset)
  const y = readFp(bytes, offset + 64)
  if (x === 0n && y === 0n) return G1Point.ZERO
  if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), 4n)) throw new Invalid('G1 point not on the curve')
  const point = G1Point.fromAffine({ x, y })
  if (subgroup && !point.isTorsionFree()) throw new Invalid('G1 point not in the subgroup')
  return point
}

function readG2(bytes: Uint8Array, offset: number, subgroup: boolean): G2 {
  const x = readFp2(bytes, offset)
  const y = readFp2(bytes, offset + 128)
  if (x.c0 === 0n && x.c1 === 0n && y.c0 === 0n && y.c1 === 0n) return G2Point.ZERO
  if (!F2.eql(F2.sqr(y), F2.add(F2.mul(F2.sqr(x), x), B2))) throw new Invalid('G2 point not on the curve')
  const point = G2Point.fromAffine({ x, y })
  if (subgroup && !point.isTorsionFree()) throw new Invalid('G2 point not in the subgroup')
  return point
}

function writeFp(out: Uint8Array, offset: number, value: bigint): void {
  let v = value
  for (let i = offset + 63; i >= offset + 16 && v > 0n; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
}

function encodeG1(point: G1): Uint8Array {
  const out = new Uint8Array(G1_LENGTH)
  if (point.is0()) return out
  const { x, y } = point.toAffine()
  writeFp(out, 0, x)
  writeFp(out, 64, y)
  return out
}

function encodeG2(point: G2): Uint8Array {
  const out = new Uint8Array(G2_LENGTH)
  if (point.is0()) return out
  const { x, y } = point.toAffine()
  writeFp(out, 0, x.c0)
  writeFp(out, 64, x.c1)
  writeFp(out, 128, y.c0)
  writeFp(out, 192, y.c1)
  return out
}

/** 0x0b BLS12_G1ADD: sum of two G1 points (256-byte input; no subgroup check). */
export function bls12G1Add(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length !== 2 * G1_LENGTH) return invalidInput(gasLimit)
  return charge(BLS12_G1ADD_GAS, gasLimit, () =>
    encodeG1(readG1(input, 0, false).add(readG1(input, G1_LENGTH, false))),
  )
}

/** 0x0d BLS12_G2ADD: sum of two G2 points (512-byte input; no subgroup check). */
export function bls12G2Add(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length !== 2 * G2_LENGTH) return invalidInput(gasLimit)
  return charge(BLS12_G2ADD_GAS, gasLimit, () =>
    encodeG2(readG2(input, 0, false).add(readG2(input, G2_LENGTH, false))),
  )
}

/**
 * Σ scalar_i · point_i. Points are in the r-order subgroup (checked), so scalars reduce mod r;
 * terms with a zero scalar or the point at infinity add nothing and are dropped.
 */
function msm<T extends G1 | G2>(
  input: Uint8Array,
  pairLength: number,
  read: (bytes: Uint8Array, offset: number, subgroup: boolean) => T,
  zero: T,
  cons: typeof G1Point | typeof G2Point,
): T {
  const points: T[] = []
  const scalars: bigint[] = []
  for (let offset = 0; offset < input.length; offset += pairLength) {
    const point = read(input, offset, true)
    const scalar = bigAt(input, offset + pairLength - SCALAR_LENGTH, SCALAR_LENGTH) % R
    if (point.is0() || scalar === 0n) continue
    points.push(point)
    scalars.push(scalar)
  }
  if (points.length === 0) return zero
  // Below four terms Pippenger's buckets cost more than they save (measured with noble 2.4).
  if (points.length < 4) {
    let sum = points[0]!.multiplyUnsafe(scalars[0]!) as T
    for (let i = 1; i < points.length; i++)
      sum = sum.add(points[i]!.multiplyUnsafe(scalars[i]!) as never) as T
    return sum
  }
  // biome-ignore lint/suspicious/noExplicitAny: pippenger is generic over the point constructor
  return pippenger(cons as any, points as any[], scalars) as T
}

/** 0x0c BLS12_G1MSM: multi-scalar multiplication over k ≥ 1 (G1 point, scalar) pairs of 160 bytes. */
export function bls12G1Msm(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length === 0 || input.length % G1_MSM_PAIR !== 0) return invalidInput(gasLimit)
  return charge(bls12G1MsmGas(input.length), gasLimit, () =>
    encodeG1(msm(input, G1_MSM_PAIR, readG1, G1Point.ZERO, G1Point)),
  )
}

/** 0x0e BLS12_G2MSM: multi-scalar multiplication over k ≥ 1 (G2 point, scalar) pairs of 288 bytes. */
export function bls12G2Msm(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length === 0 || input.length % G2_MSM_PAIR !== 0) return invalidInput(gasLimit)
  return charge(bls12G2MsmGas(input.length), gasLimit, () =>
    encodeG2(msm(input, G2_MSM_PAIR, readG2, G2Point.ZERO, G2Point)),
  )
}

const INFINITY = 'infinity'
const G2_LINES = /* @__PURE__ */ registeredCache<Precomputes | typeof INFINITY>(32)

/**
 * Miller-loop lines of the G2 point at `offset` (checked to be on the twist and in the
 * subgroup; throws otherwise), remembered by encoding as in the BN254 pairing.
 */
function g2Lines(bytes: Uint8Array, offset: number): Precomputes | typeof INFINITY {
  const key = keyOf(bytes, offset, G2_LENGTH)
  const cached = G2_LINES.get(key)
  if (cached !== undefined) return cached
  const point = readG2(bytes, offset, true)
  const lines = point.is0() ? INFINITY : bls.utils.calcPairingPrecomputes(point)
  G2_LINES.set(key, lines)
  return lines
}

/** 0x0f BLS12_PAIRING_CHECK: 32-byte 1 when Π e(P_i, Q_i) = 1 over k ≥ 1 pairs of 384 bytes, else 0. */
export function bls12Pairing(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length === 0 || input.length % PAIRING_PAIR !== 0) return invalidInput(gasLimit)
  return charge(bls12PairingGas(input.length), gasLimit, () => {
    const terms: [Precomputes, bigint, bigint][] = []
    for (let offset = 0; offset < input.length; offset += PAIRING_PAIR) {
      const g1 = readG1(input, offset, true)
      const lines = g2Lines(input, offset + G1_LENGTH)
      // A pair with infinity contributes a factor of one.
      if (g1.is0() || lines === INFINITY) continue
      const { x, y } = g1.toAffine()
      terms.push([lines, x, y])
    }
    // One shared Miller loop and final exponentiation over points already checked above.
    const out = new Uint8Array(32)
    if (terms.length === 0 || Fp12.eql(Fp12.finalExponentiate(bls.millerLoopBatch(terms)), Fp12.ONE))
      out[31] = 1
    return out
  })
}

/*
 * The hashers' mapToCurve maps then clears the cofactor and returns a projective point (see
 * its implementation); its declared type says affine coordinates, hence the casts.
 */
const mapToG1 = bls.G1.mapToCurve as unknown as (u: bigint) => G1
const mapToG2 = bls.G2.mapToCurve as unknown as (u: [bigint, bigint]) => G2

/** 0x10 BLS12_MAP_FP_TO_G1: RFC 9380 simplified SWU map of one field element, cofactor cleared. */
export function bls12MapFpToG1(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length !== 64) return invalidInput(gasLimit)
  return charge(BLS12_MAP_FP_TO_G1_GAS, gasLimit, () => encodeG1(mapToG1(readFp(input, 0))))
}

/** 0x11 BLS12_MAP_FP2_TO_G2: the same for an Fp2 element onto G2. */
export function bls12MapFp2ToG2(input: Uint8Array, gasLimit: number): PrecompileResult {
  if (input.length !== 128) return invalidInput(gasLimit)
  return charge(BLS12_MAP_FP2_TO_G2_GAS, gasLimit, () => {
    const { c0, c1 } = readFp2(input, 0)
    return encodeG2(mapToG2([c0, c1]))
  })
}
