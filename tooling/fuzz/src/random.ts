import { seededRandom } from '@crucible/test-support'

/**
 * The fuzzer's random source: the project's one seeded PRNG (`seededRandom` of
 * @crucible/test-support, mulberry32) with the draws the generators need on top (weighted
 * choice, big integers, edge-biased words). A run is a pure function of its seed: case `i` of
 * seed `s` is generated from `caseSeed(s, i)` alone and can be regenerated without replaying
 * the cases before it.
 */
export class Random {
  private readonly next: () => number

  constructor(seed: number) {
    this.next = seededRandom(seed >>> 0)
  }

  /** A uniform 32-bit unsigned integer (mulberry32 yields multiples of 2^-32, so this is exact). */
  u32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next()
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** An integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>
    let total = 0
    for (const [, w] of entries) total += w
    let x = this.float() * total
    for (const [k, w] of entries) {
      x -= w
      if (x < 0) return k
    }
    return entries[entries.length - 1]![0]
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff
    return out
  }

  /** A uniform unsigned integer of `bits` bits (a multiple of 8). */
  bigint(bits: number): bigint {
    let v = 0n
    for (let i = 0; i < bits / 8; i++) v = (v << 8n) | BigInt(this.u32() & 0xff)
    return v
  }

  /** A 256-bit word biased to the edges that find bugs: 0, 1, small, powers of two, max, sign bits. */
  word(): bigint {
    switch (this.int(8)) {
      case 0:
        return BigInt(this.int(4))
      case 1:
        return BigInt(this.int(300))
      case 2:
        return 1n << BigInt(this.int(256))
      case 3:
        return (1n << 256n) - 1n - BigInt(this.int(3))
      case 4:
        return (1n << 255n) + BigInt(this.int(3)) - 1n
      case 5:
        return ((1n << BigInt(8 * this.range(1, 32))) - 1n) & ((1n << 256n) - 1n)
      default:
        return this.bigint(8 * this.range(1, 32))
    }
  }
}

/** The seed of case `index` in a run of seed `seed`. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0
}
