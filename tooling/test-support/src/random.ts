/**
 * The one seeded random source of the property and fuzz tests: the same seed gives the same
 * sequence on every machine, so a failure names its seed and reproduces. mulberry32: 32 bits
 * of state, fast, and good enough to spread test inputs (it is not for cryptography).
 */
export interface Random {
  /** The next number in [0, 1). */
  (): number
  /** An integer in [0, below). */
  int(below: number): number
  /** `length` random bytes. */
  bytes(length: number): Uint8Array
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T
  /** The seed this source started from (for failure messages). */
  readonly seed: number
}

export function seededRandom(seed: number): Random {
  let state = seed | 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (below: number): number => Math.floor(next() * below)
  return Object.assign(next, {
    int,
    bytes: (length: number) => {
      const out = new Uint8Array(length)
      for (let i = 0; i < length; i++) out[i] = int(256)
      return out
    },
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list')
      return items[int(items.length)] as T
    },
    seed,
  })
}
