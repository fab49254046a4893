import { equalBytes } from '@crucible/primitives'
import { type BranchNode, EXT, type ExtNode, LEAF, type LeafNode, nib, type TrieNode } from './node.js'

/** What iteration and proofs need from a trie: its root and a way to load nodes known by hash. */
export interface NodeSource {
  rootNode(): TrieNode | null
  loadNode(node: TrieNode): LeafNode | ExtNode | BranchNode
}

export type Entry = [key: Uint8Array, value: Uint8Array]

function toNibbles(key: Uint8Array): number[] {
  const out = new Array<number>(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4
    out[2 * i + 1] = key[i]! & 15
  }
  return out
}

function fromNibbles(path: number[]): Uint8Array {
  const out = new Uint8Array(path.length >> 1)
  for (let i = 0; i < out.length; i++) out[i] = (path[2 * i]! << 4) | path[2 * i + 1]!
  return out
}

function pushPath(path: number[], p: Uint8Array, s: number, e: number): void {
  for (let i = s; i < e; i++) path.push(nib(p, i))
}

/** Lexicographic comparison of nibble sequences (a proper prefix sorts first). */
function compare(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/** Compares a subtree's path with the bound over their common length only. */
function comparePrefix(path: number[], bound: number[]): number {
  const n = Math.min(path.length, bound.length)
  for (let i = 0; i < n; i++) if (path[i] !== bound[i]) return path[i]! - bound[i]!
  return 0
}

/**
 * Entries in ascending key order, starting at the first key >= `from`. Keys are in trie form
 * (hashed, for a secure trie). Subtrees wholly before `from` are never loaded.
 */
export function* ascending(src: NodeSource, from?: Uint8Array): Generator<Entry> {
  const bound = from ? toNibbles(from) : null
  yield* up(src, src.rootNode(), [], bound)
}

// `bound` is null once every key below is known to be >= from.
function* up(
  src: NodeSource,
  node: TrieNode | null,
  path: number[],
  bound: number[] | null,
): Generator<Entry> {
  if (node === null) return
  const n = src.loadNode(node)
  const mark = path.length
  if (n.kind === LEAF) {
    pushPath(path, n.p, n.s, n.p.length * 2)
    if ((bound === null || compare(path, bound) >= 0) && (path.length & 1) === 0)
      yield [fromNibbles(path), n.v]
  } else if (n.kind === EXT) {
    pushPath(path, n.p, n.s, n.e)
    let b = bound
    const c = b === null ? 1 : comparePrefix(path, b)
    if (c > 0 || (b !== null && c === 0 && path.length >= b.length)) b = null
    if (c >= 0) yield* up(src, n.c, path, b)
  } else {
    let lo = 0
    let b = bound
    if (b !== null) {
      // The branch's path equals the bound's prefix here.
      if (path.length >= b.length) b = null
      else lo = b[path.length]!
    }
    if (n.v !== null && b === null && (path.length & 1) === 0) yield [fromNibbles(path), n.v]
    for (let i = lo; i < 16; i++) {
      const child = n.c[i] ?? null
      if (child === null) continue
      path.push(i)
      yield* up(src, child, path, b !== null && i === lo ? b : null)
      path.length = mark
    }
  }
  path.length = mark
}

/** Entries in descending key order, starting at the last key <= `to`. */
export function* descending(src: NodeSource, to?: Uint8Array): Generator<Entry> {
  const bound = to ? toNibbles(to) : null
  yield* down(src, src.rootNode(), [], bound)
}

// `bound` is null once every key below is known to be <= to.
function* down(
  src: NodeSource,
  node: TrieNode | null,
  path: number[],
  bound: number[] | null,
): Generator<Entry> {
  if (node === null) return
  const n = src.loadNode(node)
  const mark = path.length
  if (n.kind === LEAF) {
    pushPath(path, n.p, n.s, n.p.length * 2)
    if ((bound === null || compare(path, bound) <= 0) && (path.length & 1) === 0)
      yield [fromNibbles(path), n.v]
  } else if (n.kind === EXT) {
    pushPath(path, n.p, n.s, n.e)
    let b = bound
    const c = b === null ? -1 : comparePrefix(path, b)
    if (c < 0) b = null
    // Equal over the common length but longer than the bound: every key below is greater.
    const skip = c > 0 || (b !== null && path.length > b.length)
    if (!skip) yield* down(src, n.c, path, b)
  } else {
    let hi = 15
    const b = bound
    let valueOk = true
    if (b !== null) {
      if (path.length >= b.length) {
        // Path equals the bound: only the branch's own value can be <= it.
        hi = -1
        valueOk = path.length === b.length
      } else hi = b[path.length]!
    }
    for (let i = hi; i >= 0; i--) {
      const child = n.c[i] ?? null
      if (child === null) continue
      path.push(i)
      yield* down(src, child, path, b !== null && i === hi ? b : null)
      path.length = mark
    }
    if (n.v !== null && valueOk && (path.length & 1) === 0) yield [fromNibbles(path), n.v]
  }
  path.length = mark
}

/** The smallest key strictly greater than `key`, if any. */
export function nextKey(src: NodeSource, key: Uint8Array): Uint8Array | undefined {
  for (const [k] of ascending(src, key)) if (!equalBytes(k, key)) return k
  return undefined
}

/** The largest key strictly less than `key`, if any. */
export function prevKey(src: NodeSource, key: Uint8Array): Uint8Array | undefined {
  for (const [k] of descending(src, key)) if (!equalBytes(k, key)) return k
  return undefined
}
