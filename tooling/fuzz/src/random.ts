/**
 * The one seeded PRNG of the fuzzer (xoshiro128**, seeded through splitmix32), so a run is a
 * pure function of its seed: case `i` of seed `s` is generated from `caseSeed(s, i)` alone and
 * can be regenerated without replaying the cases before it.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next() | 1
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296
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

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** The seed of case `index` in a run of seed `seed`. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0
}
