import { compareBytes, KECCAK256_RLP_EMPTY, keccak256 } from '@crucible/primitives'
import { branchRef, extRef, leafRef, matchLen, nib } from './node.js'

/**
 * The root of the trie holding `entries`, built from scratch: keys are sorted, then each
 * node is encoded once, bottom-up, with no node objects and no intermediate hashing. When
 * a key appears twice the later value wins; an empty value means absent (as a trie put).
 */
export function trieRoot(
  entries: Iterable<[Uint8Array, Uint8Array]>,
  options?: { secure?: boolean },
): Uint8Array {
  const secure = options?.secure ?? false
  let keys: Uint8Array[] = []
  let values: Uint8Array[] = []
  for (const [key, value] of entries) {
    keys.push(secure ? keccak256(key) : key)
    values.push(value)
  }
  if (keys.length === 0) return KECCAK256_RLP_EMPTY
  ;[keys, values] = sortUnique(keys, values)
  if (keys.length === 0) return KECCAK256_RLP_EMPTY
  const ref = build(keys, values, 0, keys.length, 0)
  return ref.length === 32 ? ref : keccak256(ref)
}

/** Sorted, later duplicates winning, empty values dropped. */
export function sortUnique(keys: Uint8Array[], values: Uint8Array[]): [Uint8Array[], Uint8Array[]] {
  const n = keys.length
  const order = sortedOrder(keys)
  const outK: Uint8Array[] = []
  const outV: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const idx = order[i]!
    if (i + 1 < n && compareBytes(keys[idx]!, keys[order[i + 1]!]!) === 0) continue
    if (values[idx]!.length === 0) continue
    outK.push(keys[idx]!)
    outV.push(values[idx]!)
  }
  return [outK, outV]
}

const INDEX_BITS = 2 ** 21

/**
 * Indices of `keys` in ascending key order, ties by position. Each key's first four bytes and
 * its index are packed into one double and sorted natively (far faster than a comparator
 * sort); only runs sharing those four bytes are then ordered by full comparison.
 */
function sortedOrder(keys: Uint8Array[]): number[] {
  const n = keys.length
  const byKey = (a: number, b: number) => compareBytes(keys[a]!, keys[b]!) || a - b
  const order = new Array<number>(n)
  if (n >= INDEX_BITS) {
    for (let i = 0; i < n; i++) order[i] = i
    return order.sort(byKey)
  }
  const packed = new Float64Array(n)
  const prefix = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const k = keys[i]!
    const p = (((k[0] ?? 0) << 24) | ((k[1] ?? 0) << 16) | ((k[2] ?? 0) << 8) | (k[3] ?? 0)) >>> 0
    prefix[i] = p
    packed[i] = p * INDEX_BITS + i
  }
  packed.sort()
  for (let i = 0; i < n; i++) order[i] = packed[i]! % INDEX_BITS
  for (let i = 0; i < n; ) {
    let j = i + 1
    while (j < n && prefix[order[j]!] === prefix[order[i]!]) j++
    if (j - i > 1) {
      const run = order.slice(i, j).sort(byKey)
      for (let x = 0; x < run.length; x++) order[i + x] = run[x]!
    }
    i = j
  }
  return order
}

/** Reference of the subtrie holding sorted, distinct keys [lo,hi), all sharing nibbles [0,d). */
function build(keys: Uint8Array[], values: Uint8Array[], lo: number, hi: number, d: number): Uint8Array {
  const first = keys[lo]!
  if (hi - lo === 1) return leafRef(first, d, first.length * 2, values[lo]!)
  const last = keys[hi - 1]!
  // Sorted: what the first and last keys share, every key in between shares.
  const m = matchLen(first, d, first.length * 2, last, d, last.length * 2)
  if (m > 0) return extRef(first, d, d + m, buildBranch(keys, values, lo, hi, d + m))
  return buildBranch(keys, values, lo, hi, d)
}

function buildBranch(
  keys: Uint8Array[],
  values: Uint8Array[],
  lo: number,
  hi: number,
  d: number,
): Uint8Array {
  const refs: Array<Uint8Array | null> = [
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ]
  let value: Uint8Array | null = null
  let i = lo
  // A key ending here sorts before all keys that continue.
  if (keys[i]!.length * 2 === d) value = values[i++]!
  while (i < hi) {
    const x = nib(keys[i]!, d)
    let j = i + 1
    while (j < hi && nib(keys[j]!, d) === x) j++
    refs[x] = build(keys, values, i, j, d + 1)
    i = j
  }
  return branchRef(refs, value)
}
