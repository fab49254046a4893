import { decodeRlp, EMPTY_BYTES, keccak256, type RlpItem } from '@crucible/primitives'
import { InvalidNodeError } from './errors.js'

/*
 * In-memory trie nodes. A nibble path is never materialised as an array: it is a range
 * [s, e) of nibbles inside some byte string (the key that created the node, or the
 * hex-prefix bytes a decoded node came with), so inserting a key allocates one leaf and
 * no path copies. A leaf's path always runs to the end of its bytes (e = 2 * p.length).
 *
 * `g` is the generation that created the node: a trie mutates in place only nodes of its
 * current generation, and copies the rest (see trie.ts), which makes checkpoints and
 * snapshots O(1). `r` caches the node's reference (its hash, or its encoding when under 32
 * bytes); `d` is true while the node is not yet in the store.
 */

export const LEAF = 0
export const EXT = 1
export const BRANCH = 2
export const HASH = 3

export class LeafNode {
  readonly kind = LEAF
  r: Uint8Array | undefined = undefined
  d = true
  constructor(
    public p: Uint8Array,
    public s: number,
    public v: Uint8Array,
    public g: number,
  ) {}
}

export class ExtNode {
  readonly kind = EXT
  r: Uint8Array | undefined = undefined
  d = true
  constructor(
    public p: Uint8Array,
    public s: number,
    public e: number,
    public c: TrieNode,
    public g: number,
  ) {}
}

export class BranchNode {
  readonly kind = BRANCH
  r: Uint8Array | undefined = undefined
  d = true
  constructor(
    public c: Array<TrieNode | null>,
    public v: Uint8Array | null,
    public g: number,
  ) {}
}

/** A node known only by hash: loaded from the store when a walk reaches it. */
export class HashNode {
  readonly kind = HASH
  d = false
  constructor(public r: Uint8Array) {}
}

export type TrieNode = LeafNode | ExtNode | BranchNode | HashNode

/** Nibble `i` (0 = high half of byte 0) of `bytes`. */
export function nib(bytes: Uint8Array, i: number): number {
  const b = bytes[i >> 1]!
  return i & 1 ? b & 15 : b >> 4
}

/** Length of the common prefix of nibbles [s,e) of p and [d,K) of k. */
export function matchLen(p: Uint8Array, s: number, e: number, k: Uint8Array, d: number, K: number): number {
  const max = Math.min(e - s, K - d)
  let i = 0
  if (((s ^ d) & 1) === 0) {
    // Same nibble parity: compare whole bytes after at most one leading nibble.
    if (s & 1 && i < max) {
      if ((p[s >> 1]! & 15) !== (k[d >> 1]! & 15)) return 0
      i = 1
    }
    let pi = (s + i) >> 1
    let ki = (d + i) >> 1
    while (i + 1 < max && p[pi] === k[ki]) {
      i += 2
      pi++
      ki++
    }
    if (i < max && p[pi]! >> 4 === k[ki]! >> 4) i++
    return Math.min(i, max)
  }
  while (i < max && nib(p, s + i) === nib(k, d + i)) i++
  return i
}

/** Packs nibbles [s1,e1) of a, then [s2,e2) of b, into fresh bytes; returns them with the start offset. */
export function joinPaths(
  a: Uint8Array,
  s1: number,
  e1: number,
  b: Uint8Array,
  s2: number,
  e2: number,
): [Uint8Array, number] {
  const n = e1 - s1 + (e2 - s2)
  const start = n & 1
  const out = new Uint8Array((n + start) >> 1)
  let j = start
  for (let i = s1; i < e1; i++, j++) {
    const x = nib(a, i)
    out[j >> 1]! |= j & 1 ? x : x << 4
  }
  for (let i = s2; i < e2; i++, j++) {
    const x = nib(b, i)
    out[j >> 1]! |= j & 1 ? x : x << 4
  }
  return [out, start]
}

/** A one-nibble prefix followed by nibbles [s,e) of b. */
export function prependNibble(x: number, b: Uint8Array, s: number, e: number): [Uint8Array, number] {
  return joinPaths(Uint8Array.of(x << 4), 0, 1, b, s, e)
}

// ---------------------------------------------------------------------------------------
// Encoding. A hand-written RLP writer: node encoding is the hot path of hashing, and sizes
// are known in advance, so each node is one exact allocation.

function lenOfLen(n: number): number {
  return n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4
}

/** Bytes RLP needs for a byte string of this content. */
function strLen(b: Uint8Array): number {
  const n = b.length
  if (n === 1 && b[0]! < 0x80) return 1
  return n < 56 ? n + 1 : n + 1 + lenOfLen(n)
}

function writeLenHeader(out: Uint8Array, pos: number, base: number, n: number): number {
  if (n < 56) {
    out[pos] = base + n
    return pos + 1
  }
  const ll = lenOfLen(n)
  out[pos++] = base + 55 + ll
  for (let i = ll - 1; i >= 0; i--) out[pos++] = (n >>> (8 * i)) & 0xff
  return pos
}

function writeStr(out: Uint8Array, pos: number, b: Uint8Array): number {
  if (b.length === 1 && b[0]! < 0x80) {
    out[pos] = b[0]!
    return pos + 1
  }
  pos = writeLenHeader(out, pos, 0x80, b.length)
  out.set(b, pos)
  return pos + b.length
}

function listHeaderLen(payload: number): number {
  return payload < 56 ? 1 : 1 + lenOfLen(payload)
}

/** Hex-prefix (compact) encoding length of a path of n nibbles. */
function hpLen(n: number): number {
  return (n >> 1) + 1
}

/** Writes the RLP string holding the hex-prefix encoding of nibbles [s,e) of p. */
function writeHpStr(
  out: Uint8Array,
  pos: number,
  p: Uint8Array,
  s: number,
  e: number,
  leaf: boolean,
): number {
  const n = e - s
  const len = hpLen(n)
  // A one-byte compact path is below 0x80 (flags are at most 3), so it is its own RLP.
  if (len > 1) pos = writeLenHeader(out, pos, 0x80, len)
  const flag = leaf ? 0x20 : 0
  if (n & 1) {
    out[pos++] = flag | 0x10 | nib(p, s)
    s++
  } else out[pos++] = flag
  if ((s & 1) === 0) {
    // Byte-aligned: copy straight across.
    out.set(p.subarray(s >> 1, e >> 1), pos)
    return pos + ((e - s) >> 1)
  }
  for (let i = s; i < e; i += 2) out[pos++] = (nib(p, i) << 4) | nib(p, i + 1)
  return pos
}

function hpStrLen(n: number): number {
  const len = hpLen(n)
  return len === 1 ? 1 : len < 56 ? len + 1 : len + 1 + lenOfLen(len)
}

/** RLP length a child reference takes inside its parent: a hash string or the embedded node. */
function refLen(r: Uint8Array): number {
  return r.length === 32 ? 33 : r.length
}

function writeRef(out: Uint8Array, pos: number, r: Uint8Array): number {
  if (r.length === 32) out[pos++] = 0xa0
  out.set(r, pos)
  return pos + r.length
}

/**
 * The reference of a node: its encoding when under 32 bytes, its keccak256 otherwise.
 * Computes (and caches) references of children first. `sink`, when given, receives every
 * node not yet stored whose reference is a hash (the caller stores a small root itself).
 */
export function nodeRef(node: TrieNode, sink?: NodeSink): Uint8Array {
  if (node.kind === HASH) return node.r
  if (node.r !== undefined && !(sink && node.d)) return node.r
  const enc = encodeNode(node, sink)
  const r = enc.length < 32 ? enc : keccak256(enc)
  node.r = r
  if (sink && node.d) {
    if (r.length === 32) sink(r, enc)
    node.d = false
  }
  return r
}

export type NodeSink = (hash: Uint8Array, encoding: Uint8Array) => void

/** The RLP encoding of a node (children referenced by hash or embedded). */
export function encodeNode(node: LeafNode | ExtNode | BranchNode, sink?: NodeSink): Uint8Array {
  if (node.kind === LEAF) {
    const pathLen = node.p.length * 2 - node.s
    const payload = hpStrLen(pathLen) + strLen(node.v)
    const out = new Uint8Array(listHeaderLen(payload) + payload)
    let pos = writeLenHeader(out, 0, 0xc0, payload)
    pos = writeHpStr(out, pos, node.p, node.s, node.p.length * 2, true)
    writeStr(out, pos, node.v)
    return out
  }
  if (node.kind === EXT) {
    const r = nodeRef(node.c, sink)
    const payload = hpStrLen(node.e - node.s) + refLen(r)
    const out = new Uint8Array(listHeaderLen(payload) + payload)
    let pos = writeLenHeader(out, 0, 0xc0, payload)
    pos = writeHpStr(out, pos, node.p, node.s, node.e, false)
    writeRef(out, pos, r)
    return out
  }
  const refs: Array<Uint8Array | null> = new Array(16)
  let payload = node.v === null ? 1 : strLen(node.v)
  for (let i = 0; i < 16; i++) {
    const c = node.c[i]
    if (c == null) {
      refs[i] = null
      payload += 1
    } else {
      const r = nodeRef(c, sink)
      refs[i] = r
      payload += refLen(r)
    }
  }
  const out = new Uint8Array(listHeaderLen(payload) + payload)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  for (let i = 0; i < 16; i++) {
    const r = refs[i]
    if (r === null) out[pos++] = 0x80
    else pos = writeRef(out, pos, r!)
  }
  if (node.v === null) out[pos] = 0x80
  else writeStr(out, pos, node.v)
  return out
}

/** Encodes a leaf straight from a path and value (used by the from-scratch root builder). */
export function encodeLeaf(p: Uint8Array, s: number, e: number, v: Uint8Array): Uint8Array {
  const payload = hpStrLen(e - s) + strLen(v)
  const out = new Uint8Array(listHeaderLen(payload) + payload)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  pos = writeHpStr(out, pos, p, s, e, true)
  writeStr(out, pos, v)
  return out
}

/** Encodes an extension from a path and its child's reference. */
export function encodeExt(p: Uint8Array, s: number, e: number, childRef: Uint8Array): Uint8Array {
  const payload = hpStrLen(e - s) + refLen(childRef)
  const out = new Uint8Array(listHeaderLen(payload) + payload)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  pos = writeHpStr(out, pos, p, s, e, false)
  writeRef(out, pos, childRef)
  return out
}

/** Encodes a branch from 16 child references (null for none) and a value. */
export function encodeBranch(refs: Array<Uint8Array | null>, v: Uint8Array | null): Uint8Array {
  let payload = v === null ? 1 : strLen(v)
  for (let i = 0; i < 16; i++) {
    const r = refs[i]
    payload += r == null ? 1 : refLen(r)
  }
  const out = new Uint8Array(listHeaderLen(payload) + payload)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  for (let i = 0; i < 16; i++) {
    const r = refs[i]
    if (r == null) out[pos++] = 0x80
    else pos = writeRef(out, pos, r)
  }
  if (v === null) out[pos] = 0x80
  else writeStr(out, pos, v)
  return out
}

// ---------------------------------------------------------------------------------------
// Decoding.

/** Decodes a stored or proven node. `hash` (when known) becomes its cached reference. */
export function decodeNode(bytes: Uint8Array, hash?: Uint8Array): LeafNode | ExtNode | BranchNode {
  let item: RlpItem
  try {
    item = decodeRlp(bytes)
  } catch (error) {
    throw new InvalidNodeError('not RLP', bytes, { cause: error })
  }
  const node = nodeFromItem(item, bytes)
  node.d = false
  // A small node keeps its encoding as reference: it is embedded wherever it is a child
  // (a small root is hashed by the trie itself).
  node.r = bytes.length < 32 ? bytes : hash
  return node
}

function nodeFromItem(item: RlpItem, bytes: Uint8Array): LeafNode | ExtNode | BranchNode {
  if (!Array.isArray(item)) throw new InvalidNodeError('a node must be a list', bytes)
  if (item.length === 2) {
    const hp = item[0]
    if (!(hp instanceof Uint8Array) || hp.length === 0) throw new InvalidNodeError('bad path', bytes)
    const flag = hp[0]! >> 4
    if (flag > 3 || (!(flag & 1) && (hp[0]! & 15) !== 0)) throw new InvalidNodeError('bad path prefix', bytes)
    const s = flag & 1 ? 1 : 2
    if (flag & 2) {
      const v = item[1]
      if (!(v instanceof Uint8Array)) throw new InvalidNodeError('leaf value is a list', bytes)
      return new LeafNode(hp, s, v, -1)
    }
    const e = hp.length * 2
    if (e === s) throw new InvalidNodeError('empty extension path', bytes)
    const child = childFromItem(item[1]!, bytes)
    if (child === null) throw new InvalidNodeError('extension without child', bytes)
    return new ExtNode(hp, s, e, child, -1)
  }
  if (item.length === 17) {
    const c: Array<TrieNode | null> = new Array(16)
    for (let i = 0; i < 16; i++) c[i] = childFromItem(item[i]!, bytes)
    const v = item[16]
    if (!(v instanceof Uint8Array)) throw new InvalidNodeError('branch value is a list', bytes)
    return new BranchNode(c, v.length === 0 ? null : v, -1)
  }
  throw new InvalidNodeError(`a node has 2 or 17 items, not ${item.length}`, bytes)
}

function childFromItem(item: RlpItem, bytes: Uint8Array): TrieNode | null {
  if (item instanceof Uint8Array) {
    if (item.length === 0) return null
    if (item.length === 32) return new HashNode(item)
    throw new InvalidNodeError(`child reference of ${item.length} bytes`, bytes)
  }
  const node = nodeFromItem(item, bytes)
  node.d = false
  return node
}

export { EMPTY_BYTES }
