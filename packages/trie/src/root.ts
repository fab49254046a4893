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
  const order = new Array<number>(n)
  for (let i = 0; i < n; i++) order[i] = i
  // Ties broken by position so that the last write of a key ends up last.
  order.sort((a, b) => compareBytes(keys[a]!, keys[b]!) || a - b)
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
