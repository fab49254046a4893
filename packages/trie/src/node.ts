import { keccak256 } from '@crucible/primitives'
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

function copy(out: Uint8Array, pos: number, b: Uint8Array, from: number, to: number): number {
  // Short copies are faster by hand than through a subarray and set().
  if (to - from < 48) {
    for (let i = from; i < to; i++) out[pos++] = b[i]!
    return pos
  }
  out.set(b.subarray(from, to), pos)
  return pos + (to - from)
}

function writeStr(out: Uint8Array, pos: number, b: Uint8Array): number {
  if (b.length === 1 && b[0]! < 0x80) {
    out[pos] = b[0]!
    return pos + 1
  }
  pos = writeLenHeader(out, pos, 0x80, b.length)
  return copy(out, pos, b, 0, b.length)
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
  // Byte-aligned: copy straight across.
  if ((s & 1) === 0) return copy(out, pos, p, s >> 1, e >> 1)
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
  return copy(out, pos, r, 0, r.length)
}

/*
 * Encoders write into one shared scratch buffer and return the length: a node's encoding is
 * only needed long enough to hash it, so allocating it would be pure garbage. Children's
 * references are always computed before a parent starts writing, so nesting is safe.
 */
let scratch = new Uint8Array(1024)

function room(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, scratch.length * 2))
  return scratch
}

/** The reference of the encoding now in scratch[0, len): itself when short, else its hash. */
function scratchRef(len: number): Uint8Array {
  return len < 32 ? scratch.slice(0, len) : keccak256(scratch.subarray(0, len))
}

/**
 * The reference of a node: its encoding when under 32 bytes, its keccak256 otherwise.
 * Computes (and caches) references of children first. `sink`, when given, receives every
 * node not yet stored whose reference is a hash (the caller stores a small root itself).
 */
export function nodeRef(node: TrieNode, sink?: NodeSink): Uint8Array {
  if (node.kind === HASH) return node.r
  if (node.r !== undefined && !(sink && node.d)) return node.r
  const len = encodeInto(node, sink)
  const r = scratchRef(len)
  node.r = r
  if (sink && node.d) {
    if (len >= 32) sink(r, scratch.slice(0, len))
    node.d = false
  }
  return r
}

export type NodeSink = (hash: Uint8Array, encoding: Uint8Array) => void

/** The RLP encoding of a node (children referenced by hash or embedded), as a fresh array. */
export function encodeNode(node: LeafNode | ExtNode | BranchNode, sink?: NodeSink): Uint8Array {
  const len = encodeInto(node, sink)
  return scratch.slice(0, len)
}

function encodeInto(node: LeafNode | ExtNode | BranchNode, sink?: NodeSink): number {
  if (node.kind === LEAF) return leafInto(node.p, node.s, node.p.length * 2, node.v)
  if (node.kind === EXT) return extInto(node.p, node.s, node.e, nodeRef(node.c, sink))
  const refs: Array<Uint8Array | null> = new Array(16)
  const c = node.c
  // Children first (they use the scratch buffer), then this node.
  for (let i = 0; i < 16; i++) {
    const child = c[i]
    refs[i] = child == null ? null : nodeRef(child, sink)
  }
  return branchInto(refs, node.v)
}

function leafInto(p: Uint8Array, s: number, e: number, v: Uint8Array): number {
  const payload = hpStrLen(e - s) + strLen(v)
  const total = listHeaderLen(payload) + payload
  const out = room(total)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  pos = writeHpStr(out, pos, p, s, e, true)
  writeStr(out, pos, v)
  return total
}

function extInto(p: Uint8Array, s: number, e: number, childRef: Uint8Array): number {
  const payload = hpStrLen(e - s) + refLen(childRef)
  const total = listHeaderLen(payload) + payload
  const out = room(total)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  pos = writeHpStr(out, pos, p, s, e, false)
  writeRef(out, pos, childRef)
  return total
}

function branchInto(refs: Array<Uint8Array | null>, v: Uint8Array | null): number {
  let payload = v === null ? 1 : strLen(v)
  for (let i = 0; i < 16; i++) {
    const r = refs[i]
    payload += r == null ? 1 : refLen(r)
  }
  const total = listHeaderLen(payload) + payload
  const out = room(total)
  let pos = writeLenHeader(out, 0, 0xc0, payload)
  for (let i = 0; i < 16; i++) {
    const r = refs[i]
    if (r == null) out[pos++] = 0x80
    else pos = writeRef(out, pos, r)
  }
  if (v === null) out[pos] = 0x80
  else writeStr(out, pos, v)
  return total
}

/** Reference of a leaf built straight from a path and value (the from-scratch root builder). */
export function leafRef(p: Uint8Array, s: number, e: number, v: Uint8Array): Uint8Array {
  return scratchRef(leafInto(p, s, e, v))
}

/** Reference of an extension from a path and its child's reference. */
export function extRef(p: Uint8Array, s: number, e: number, childRef: Uint8Array): Uint8Array {
  return scratchRef(extInto(p, s, e, childRef))
}

/** Reference of a branch from 16 child references (null for none) and a value. */
export function branchRef(refs: Array<Uint8Array | null>, v: Uint8Array | null): Uint8Array {
  return scratchRef(branchInto(refs, v))
}

// ---------------------------------------------------------------------------------------
// Decoding.

/*
 * A strict RLP reader specialised for nodes: items are read in place (values and paths are
 * views into the encoding) and any non-canonical form is rejected, as decodeRlp would.
 * The last item read is left in these variables rather than in an allocated object.
 */
let itemStart = 0
let itemEnd = 0
let itemIsList = false

function readItem(b: Uint8Array, pos: number, end: number, what: Uint8Array): number {
  if (pos >= end) throw new InvalidNodeError('truncated', what)
  const x = b[pos]!
  let len: number
  if (x < 0x80) {
    itemStart = pos
    itemEnd = pos + 1
    itemIsList = false
    return itemEnd
  }
  if (x < 0xb8 || (x >= 0xc0 && x < 0xf8)) {
    const list = x >= 0xc0
    len = x - (list ? 0xc0 : 0x80)
    itemStart = pos + 1
    itemIsList = list
    if (!list && len === 1 && itemStart < end && b[itemStart]! < 0x80)
      throw new InvalidNodeError('non-canonical single byte', what)
  } else {
    const list = x >= 0xf8
    const ll = x - (list ? 0xf7 : 0xb7)
    if (pos + 1 + ll > end) throw new InvalidNodeError('truncated length', what)
    if (b[pos + 1] === 0) throw new InvalidNodeError('length with leading zero', what)
    len = 0
    for (let i = 0; i < ll; i++) len = len * 256 + b[pos + 1 + i]!
    if (len < 56) throw new InvalidNodeError('non-canonical long length', what)
    itemStart = pos + 1 + ll
    itemIsList = list
  }
  itemEnd = itemStart + len
  if (itemEnd > end) throw new InvalidNodeError('item runs past its list', what)
  return itemEnd
}

/** Decodes a stored or proven node. `hash` (when known) becomes its cached reference. */
export function decodeNode(bytes: Uint8Array, hash?: Uint8Array): LeafNode | ExtNode | BranchNode {
  const next = readItem(bytes, 0, bytes.length, bytes)
  if (next !== bytes.length) throw new InvalidNodeError('trailing bytes', bytes)
  if (!itemIsList) throw new InvalidNodeError('a node must be a list', bytes)
  const node = decodeList(bytes, itemStart, itemEnd, bytes)
  // A small node keeps its encoding as reference: it is embedded wherever it is a child
  // (a small root is hashed by the trie itself).
  node.r = bytes.length < 32 ? bytes : hash
  return node
}

const itemStarts = new Int32Array(17)
const itemEnds = new Int32Array(17)
const itemLists: boolean[] = new Array(17).fill(false)
const itemHeads = new Int32Array(17)

/** Decodes the node whose list payload is b[start, end). */
function decodeList(
  b: Uint8Array,
  start: number,
  end: number,
  what: Uint8Array,
): LeafNode | ExtNode | BranchNode {
  // Item positions first (the buffers are reused, so copy out before recursing).
  let n = 0
  let pos = start
  while (pos < end) {
    if (n === 17) throw new InvalidNodeError('a node has 2 or 17 items, not more', what)
    const head = pos
    pos = readItem(b, pos, end, what)
    itemHeads[n] = head
    itemStarts[n] = itemStart
    itemEnds[n] = itemEnd
    itemLists[n] = itemIsList
    n++
  }
  if (n === 2) {
    if (itemLists[0]) throw new InvalidNodeError('bad path', what)
    const hp = b.subarray(itemStarts[0]!, itemEnds[0]!)
    if (hp.length === 0) throw new InvalidNodeError('bad path', what)
    const flag = hp[0]! >> 4
    if (flag > 3 || (!(flag & 1) && (hp[0]! & 15) !== 0)) throw new InvalidNodeError('bad path prefix', what)
    const s = flag & 1 ? 1 : 2
    if (flag & 2) {
      if (itemLists[1]) throw new InvalidNodeError('leaf value is a list', what)
      const leaf = new LeafNode(hp, s, b.subarray(itemStarts[1]!, itemEnds[1]!), -1)
      leaf.d = false
      return leaf
    }
    const e = hp.length * 2
    if (e === s) throw new InvalidNodeError('empty extension path', what)
    const child = decodeChild(b, itemHeads[1]!, itemStarts[1]!, itemEnds[1]!, itemLists[1]!, what)
    if (child === null) throw new InvalidNodeError('extension without child', what)
    const ext = new ExtNode(hp, s, e, child, -1)
    ext.d = false
    return ext
  }
  if (n === 17) {
    if (itemLists[16]) throw new InvalidNodeError('branch value is a list', what)
    const v = itemEnds[16]! > itemStarts[16]! ? b.subarray(itemStarts[16]!, itemEnds[16]!) : null
    const heads = itemHeads.slice(0, 16)
    const starts = itemStarts.slice(0, 16)
    const ends = itemEnds.slice(0, 16)
    const lists = itemLists.slice(0, 16)
    const c: Array<TrieNode | null> = new Array(16)
    for (let i = 0; i < 16; i++) c[i] = decodeChild(b, heads[i]!, starts[i]!, ends[i]!, lists[i]!, what)
    const branch = new BranchNode(c, v, -1)
    branch.d = false
    return branch
  }
  throw new InvalidNodeError(`a node has 2 or 17 items, not ${n}`, what)
}

function decodeChild(
  b: Uint8Array,
  head: number,
  start: number,
  end: number,
  list: boolean,
  what: Uint8Array,
): TrieNode | null {
  if (!list) {
    const len = end - start
    if (len === 0) return null
    if (len === 32) return new HashNode(b.subarray(start, end))
    throw new InvalidNodeError(`child reference of ${len} bytes`, what)
  }
  if (end - head >= 32) throw new InvalidNodeError('embedded node of 32 bytes or more', what)
  const node = decodeList(b, start, end, what)
  node.r = b.subarray(head, end)
  return node
}
