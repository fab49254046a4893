import { signHash } from '@crucible/tx'
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bn254 } from '@noble/curves/bn254.js'
import { p256 } from '@noble/curves/nist.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { Random } from '../random.js'
import { hex } from './assemble.js'
import type { EvmFork } from './model.js'

/**
 * Plausible precompile inputs: mostly valid (real signatures, points on the curves, a KZG
 * opening that verifies), sometimes corrupted by one byte or cut short, so both the success
 * path and the error path of each precompile are reached.
 */

export interface PrecompileCall {
  address: number
  input: Uint8Array
}

const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n

function be(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let v = value
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

function cat(...parts: Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

type Affine<T> = { x: T; y: T }
type Fp2 = { c0: bigint; c1: bigint }

interface Pools {
  bnG1: Array<Affine<bigint>>
  bnG1Neg: Array<Affine<bigint>>
  bnG2: Array<Affine<Fp2>>
  blsG1: Array<Affine<bigint>>
  blsG1Neg: Array<Affine<bigint>>
  blsG2: Array<Affine<Fp2>>
  /** Compressed c·G1 for the KZG constant-polynomial openings. */
  kzg: Array<{ c: bigint; commitment: Uint8Array }>
}

let pools: Pools | undefined

/** Curve points computed once per process (scalar multiplication is too slow per case). */
function getPools(): Pools {
  if (pools) return pools
  const scalars = [1n, 2n, 3n, 7n, 1234567n, 0xdeadbeefn, (1n << 200n) + 5n, 99n]
  const bnG1 = scalars.map((k) => bn254.G1.Point.BASE.multiply(k))
  const blsG1 = scalars.map((k) => bls12_381.G1.Point.BASE.multiply(k))
  pools = {
    bnG1: bnG1.map((p) => p.toAffine()),
    bnG1Neg: bnG1.map((p) => p.negate().toAffine()),
    bnG2: [1n, 2n, 5n].map((k) => bn254.G2.Point.BASE.multiply(k).toAffine()),
    blsG1: blsG1.map((p) => p.toAffine()),
    blsG1Neg: blsG1.map((p) => p.negate().toAffine()),
    blsG2: [1n, 2n, 5n].map((k) => bls12_381.G2.Point.BASE.multiply(k).toAffine()),
    kzg: [0n, 1n, 42n, BLS_MODULUS - 1n].map((c) => ({
      c,
      commitment:
        c === 0n ? bls12_381.G1.Point.ZERO.toBytes(true) : bls12_381.G1.Point.BASE.multiply(c).toBytes(true),
    })),
  }
  return pools
}

const bnG1Bytes = (p: Affine<bigint>) => cat(be(p.x, 32), be(p.y, 32))
const bnG2Bytes = (p: Affine<Fp2>) => cat(be(p.x.c1, 32), be(p.x.c0, 32), be(p.y.c1, 32), be(p.y.c0, 32))
const blsFp = (v: bigint) => be(v, 64)
const blsG1Bytes = (p: Affine<bigint>) => cat(blsFp(p.x), blsFp(p.y))
const blsG2Bytes = (p: Affine<Fp2>) => cat(blsFp(p.x.c0), blsFp(p.x.c1), blsFp(p.y.c0), blsFp(p.y.c1))

/** The versioned hash of a KZG commitment (EIP-4844). */
export function kzgVersionedHash(commitment: Uint8Array): Uint8Array {
  const h = sha256(commitment)
  h[0] = 0x01
  return h
}

/** A valid point-evaluation input and its versioned hash (for blob transactions too). */
export function kzgOpening(rand: Random): { input: Uint8Array; versionedHash: Uint8Array } {
  // p(X) = c has commitment c·G1 and, at every z, value c with the identity as proof.
  const { c, commitment } = rand.pick(getPools().kzg)
  const z = rand.bigint(256) % BLS_MODULUS
  const versionedHash = kzgVersionedHash(commitment)
  const proof = bls12_381.G1.Point.ZERO.toBytes(true)
  return { input: cat(versionedHash, be(z, 32), be(c, 32), commitment, proof), versionedHash }
}

const ECRECOVER_KEY = be(0x1f2e3d4c5b6a79880123456789abcdef0123456789abcdef0123456789abcdefn, 32)
const P256_KEY = be(0x0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffeen, 32)

/** The precompile addresses active at `fork`. */
export function precompileAddresses(fork: EvmFork): number[] {
  const base = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
  if (fork === 'Cancun') return base
  const bls = [0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11]
  return fork === 'Prague' ? [...base, ...bls] : [...base, ...bls, 0x100]
}

/** A plausible call of one precompile active at `fork`. */
export function precompileCall(rand: Random, fork: EvmFork): PrecompileCall {
  const address = rand.pick(precompileAddresses(fork))
  let input = validInput(rand, address)
  // Corrupt a share: a flipped byte, a truncation or an extension.
  if (input.length > 0 && rand.chance(0.15)) {
    input = input.slice()
    switch (rand.int(3)) {
      case 0:
        input[rand.int(input.length)]! ^= 1 << rand.int(8)
        break
      case 1:
        input = input.subarray(0, rand.int(input.length))
        break
      default:
        input = cat(input, rand.bytes(rand.range(1, 40)))
    }
  }
  return { address, input }
}

function validInput(rand: Random, address: number): Uint8Array {
  const p = getPools()
  switch (address) {
    case 1: {
      const hash = rand.bytes(32)
      const sig = signHash(hash, ECRECOVER_KEY)
      return cat(hash, be(BigInt(27 + sig.yParity), 32), be(sig.r, 32), be(sig.s, 32))
    }
    case 2:
    case 3:
    case 4:
      return rand.bytes(rand.int(4) === 0 ? rand.range(100, 600) : rand.int(80))
    case 5: {
      const lens = [rand.range(0, 40), rand.range(0, rand.chance(0.1) ? 300 : 40), rand.range(0, 70)]
      const [b, e, m] = lens as [number, number, number]
      return cat(
        be(BigInt(b), 32),
        be(BigInt(e), 32),
        be(BigInt(m), 32),
        rand.bytes(b),
        rand.bytes(e),
        rand.bytes(m),
      )
    }
    case 6:
      return cat(bnG1Bytes(rand.pick(p.bnG1)), bnG1Bytes(rand.pick([...p.bnG1, { x: 0n, y: 0n }])))
    case 7:
      return cat(bnG1Bytes(rand.pick(p.bnG1)), be(rand.word(), 32))
    case 8: {
      const i = rand.int(p.bnG1.length)
      const q = rand.pick(p.bnG2)
      // e(P, Q) · e(-P, Q) = 1: a pairing check that holds (or, with another Q, fails).
      const q2 = rand.chance(0.8) ? q : rand.pick(p.bnG2)
      return rand.chance(0.2)
        ? new Uint8Array(0)
        : cat(bnG1Bytes(p.bnG1[i]!), bnG2Bytes(q), bnG1Bytes(p.bnG1Neg[i]!), bnG2Bytes(q2))
    }
    case 9: {
      const rounds = rand.chance(0.9) ? rand.int(24) : rand.range(100, 5000)
      const f = rand.chance(0.95) ? rand.int(2) : rand.range(2, 255)
      return cat(be(BigInt(rounds), 4), rand.bytes(64), rand.bytes(128), rand.bytes(16), Uint8Array.of(f))
    }
    case 10:
      return kzgOpening(rand).input
    case 0x0b:
      return cat(blsG1Bytes(rand.pick(p.blsG1)), blsG1Bytes(rand.pick(p.blsG1Neg)))
    case 0x0c: {
      const n = rand.range(1, 3)
      const parts: Uint8Array[] = []
      for (let i = 0; i < n; i++) parts.push(blsG1Bytes(rand.pick(p.blsG1)), be(rand.word(), 32))
      return cat(...parts)
    }
    case 0x0d:
      return cat(blsG2Bytes(rand.pick(p.blsG2)), blsG2Bytes(rand.pick(p.blsG2)))
    case 0x0e:
      return cat(blsG2Bytes(rand.pick(p.blsG2)), be(rand.word(), 32))
    case 0x0f: {
      const i = rand.int(p.blsG1.length)
      const q = rand.pick(p.blsG2)
      return cat(blsG1Bytes(p.blsG1[i]!), blsG2Bytes(q), blsG1Bytes(p.blsG1Neg[i]!), blsG2Bytes(q))
    }
    case 0x10:
      return blsFp(rand.bigint(256) % bls12_381.fields.Fp.ORDER)
    case 0x11:
      return cat(blsFp(rand.bigint(256)), blsFp(rand.bigint(256)))
    case 0x100: {
      const hash = rand.bytes(32)
      const sig = p256.sign(hash, P256_KEY, { prehash: false })
      const pub = p256.getPublicKey(P256_KEY, false)
      return cat(hash, sig, pub.subarray(1))
    }
    default:
      return rand.bytes(rand.int(64))
  }
}

export { hex as toHex }
