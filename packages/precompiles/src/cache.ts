/**
 * A small least-recently-used map. Pairing precompiles keep the Miller-loop lines of recent G2
 * points here: zk-SNARK verifiers pass the same verifying-key points in call after call, and
 * checking such a point's subgroup and preparing its lines costs more than the rest of a pair.
 */
export class LruCache<V> {
  readonly #map = new Map<string, V>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get(key: string): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      // Re-insert so that Map's insertion order doubles as recency order.
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  set(key: string, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.#capacity) this.#map.delete(this.#map.keys().next().value!)
  }

  clear(): void {
    this.#map.clear()
  }

  get size(): number {
    return this.#map.size
  }
}

const ALL: LruCache<unknown>[] = []

/** A cache registered for {@link clearPrecompileCaches}. */
export function registeredCache<V>(capacity: number): LruCache<V> {
  const cache = new LruCache<V>(capacity)
  ALL.push(cache as LruCache<unknown>)
  return cache
}

/**
 * Empties the pairing precompiles' caches of prepared G2 points (to measure cold calls, or to
 * give back their memory: about 70 KiB per point, at most about 4.5 MiB).
 */
export function clearPrecompileCaches(): void {
  for (const cache of ALL) cache.clear()
}

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Hex of `length` bytes at `offset`, as a cache key. */
export function keyOf(bytes: Uint8Array, offset: number, length: number): string {
  let s = ''
  for (let i = offset; i < offset + length; i++) s += HEX[bytes[i]!]
  return s
}
