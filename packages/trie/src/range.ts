import { compareBytes, equalBytes } from '@crucible/primitives'
import { MissingNodeError, ProofError } from './errors.js'
import {
  BRANCH,
  type BranchNode,
  EXT,
  type ExtNode,
  HASH,
  LEAF,
  type LeafNode,
  nib,
  type TrieNode,
} from './node.js'
import { checkProofBytes, checkProofList, proofMap, proofNode } from './proof.js'
import { trieRoot } from './root.js'
import { Trie } from './trie.js'

/*
 * Range proofs as snap sync uses them, following go-ethereum's trie.VerifyRangeProof: the
 * two edge proofs are decoded into a partial trie, everything strictly between the edges is
 * cut away, the given leaves are inserted again, and the result must hash to the root.
 *
 * Paths here are nibble arrays with go-ethereum's terminator: a key is its nibbles plus 16,
 * a leaf's path ends in 16, and a branch's value sits in "child" 16. Keeping the terminator
 * keeps the comparisons below exactly those of the reference.
 */

const TERM = 16

function keyPath(key: Uint8Array): number[] {
  const out = new Array<number>(key.length * 2 + 1)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4
    out[2 * i + 1] = key[i]! & 15
  }
  out[key.length * 2] = TERM
  return out
}

type Short = LeafNode | ExtNode

function shortKey(n: Short): number[] {
  const e = n.kind === LEAF ? n.p.length * 2 : n.e
  const out: number[] = []
  for (let i = n.s; i < e; i++) out.push(nib(n.p, i))
  if (n.kind === LEAF) out.push(TERM)
  return out
}

function cmp(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

function hasPrefix(key: number[], pos: number, prefix: number[]): boolean {
  if (key.length - pos < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (key[pos + i] !== prefix[i]) return false
  return true
}

function isShort(n: TrieNode | null): n is Short {
  return n !== null && (n.kind === LEAF || n.kind === EXT)
}

/**
 * Resolves the path of `key` from the proof into the partial trie at `root` (decoding the
 * root first when null). Returns the root and the value found, if the key is present.
 */
function proofToPath(
  rootHash: Uint8Array,
  root: LeafNode | ExtNode | BranchNode | null,
  key: Uint8Array,
  proof: Map<string, Uint8Array>,
  allowNonExistent: boolean,
): { root: LeafNode | ExtNode | BranchNode; value: Uint8Array | undefined } {
  if (root === null) root = proofNode(proof, rootHash)
  const path = keyPath(key)
  let pos = 0
  let node: LeafNode | ExtNode | BranchNode = root
  for (;;) {
    let child: TrieNode | null
    if (node.kind === BRANCH) {
      const i = path[pos]!
      if (i === TERM) {
        if (node.v !== null) return { root, value: node.v }
        child = null
      } else {
        child = node.c[i]!
        if (child !== null && child.kind === HASH) child = node.c[i] = proofNode(proof, child.r)
      }
      pos++
    } else {
      const sk = shortKey(node)
      if (!hasPrefix(path, pos, sk)) child = null
      else if (node.kind === LEAF) return { root, value: node.v }
      else {
        child = node.c
        if (child.kind === HASH) child = node.c = proofNode(proof, child.r)
        pos += sk.length
      }
    }
    if (child === null) {
      if (allowNonExistent) return { root, value: undefined }
      throw new ProofError('the key is not in the trie')
    }
    node = child as LeafNode | ExtNode | BranchNode
  }
}

/**
 * Removes every reference strictly between the two edge paths. Returns true when the whole
 * trie is to be dropped (the edges fork at a root leaf or extension).
 */
function unsetInternal(
  root: LeafNode | ExtNode | BranchNode,
  leftKey: Uint8Array,
  rightKey: Uint8Array,
): boolean {
  const left = keyPath(leftKey)
  const right = keyPath(rightKey)
  let pos = 0
  let parent: BranchNode | ExtNode | null = null
  let node: TrieNode = root
  let forkLeft = 0
  let forkRight = 0
  for (;;) {
    if (isShort(node)) {
      const sk = shortKey(node)
      forkLeft = cmp(left.slice(pos, pos + sk.length), sk)
      forkRight = cmp(right.slice(pos, pos + sk.length), sk)
      if (forkLeft !== 0 || forkRight !== 0 || node.kind === LEAF) break
      parent = node
      node = node.c
      pos += sk.length
    } else if (node.kind === BRANCH) {
      const l: TrieNode | null = node.c[left[pos]!] ?? null
      const r: TrieNode | null = node.c[right[pos]!] ?? null
      if (l === null || r === null || l !== r) break
      parent = node
      node = l
      pos++
    } else throw new ProofError('edge proofs do not reach the fork point')
  }
  if (isShort(node)) {
    if (forkLeft === -1 && forkRight === -1) throw new ProofError('empty range')
    if (forkLeft === 1 && forkRight === 1) throw new ProofError('empty range')
    const parentBranch = parent as BranchNode | null
    if (forkLeft !== 0 && forkRight !== 0) {
      if (parentBranch === null) return true
      parentBranch.c[left[pos - 1]!] = null
      return false
    }
    if (forkRight !== 0) {
      if (node.kind === LEAF) {
        if (parentBranch === null) return true
        parentBranch.c[left[pos - 1]!] = null
        return false
      }
      unset(node, node.c, left, pos + shortKey(node).length, false)
      return false
    }
    if (forkLeft !== 0) {
      if (node.kind === LEAF) {
        if (parentBranch === null) return true
        parentBranch.c[right[pos - 1]!] = null
        return false
      }
      unset(node, node.c, right, pos + shortKey(node).length, true)
      return false
    }
    return false
  }
  const b = node as BranchNode
  const lo = left[pos]!
  const hi = right[pos]!
  for (let i = lo + 1; i < hi && i < 16; i++) b.c[i] = null
  if (lo === TERM || hi === TERM) throw new ProofError('edge keys end inside the trie')
  unset(b, b.c[lo] ?? null, left, pos + 1, false)
  unset(b, b.c[hi] ?? null, right, pos + 1, true)
  return false
}

/** Removes everything left (or right) of `key` below `child`, whose parent is `parent`. */
function unset(
  parent: BranchNode | ExtNode,
  child: TrieNode | null,
  key: number[],
  pos: number,
  removeLeft: boolean,
): void {
  if (child === null) return
  if (child.kind === BRANCH) {
    const x = key[pos]!
    if (removeLeft) for (let i = 0; i < x && i < 16; i++) child.c[i] = null
    else for (let i = x + 1; i < 16; i++) child.c[i] = null
    if (x === TERM) return
    unset(child, child.c[x] ?? null, key, pos + 1, removeLeft)
    return
  }
  if (isShort(child)) {
    const sk = shortKey(child)
    const slot = key[pos - 1]!
    if (!hasPrefix(key, pos, sk)) {
      // The key forks away here: the node is wholly on one side of it.
      const c = cmp(sk, key.slice(pos))
      if ((removeLeft && c < 0) || (!removeLeft && c > 0)) (parent as BranchNode).c[slot] = null
      return
    }
    if (child.kind === LEAF) {
      ;(parent as BranchNode).c[slot] = null
      return
    }
    unset(child, child.c, key, pos + sk.length, removeLeft)
    return
  }
  throw new ProofError('edge proof incomplete', child.r)
}

/** Whether anything sits to the right of `key`'s path. */
function hasRightElement(root: TrieNode | null, key: Uint8Array): boolean {
  const path = keyPath(key)
  let pos = 0
  let node = root
  while (node !== null) {
    if (node.kind === BRANCH) {
      const x = path[pos]!
      for (let i = x + 1; i < 16; i++) if (node.c[i] !== null) return true
      if (x === TERM) return false
      node = node.c[x]!
      pos++
    } else if (isShort(node)) {
      const sk = shortKey(node)
      if (!hasPrefix(path, pos, sk)) return cmp(sk, path.slice(pos)) > 0
      if (node.kind === LEAF) return false
      node = node.c
      pos += sk.length
    } else throw new ProofError('edge proof incomplete', node.r)
  }
  return false
}

/** Drops cached hashes along every resolved path: the cut nodes must be hashed afresh. */
function forget(node: TrieNode | null): void {
  if (node === null || node.kind === HASH) return
  node.r = undefined
  node.d = true
  if (node.kind === EXT) forget(node.c)
  else if (node.kind === BRANCH) for (const c of node.c) forget(c)
}

/**
 * Verifies that `keys`/`values` are all the entries of the trie with root `rootHash` in the
 * range [firstKey, lastKey], given `proof`: the nodes of the Merkle proofs of both edge keys
 * (either may prove absence). Returns whether entries exist to the right of the range.
 * Throws {@link ProofError} when the proof does not hold.
 *
 * Special cases, as go-ethereum: a null proof means the entries are the whole trie; with no
 * entries the proof must show nothing at or after `firstKey`; with one entry and
 * firstKey = lastKey, one proof of that entry suffices. Keys are in trie form (hashed).
 * Without `lastKey` the last entry's key is used (go-ethereum's newer five-argument form).
 */
export function verifyRangeProof(
  rootHash: Uint8Array,
  firstKey: Uint8Array,
  lastKey: Uint8Array | undefined,
  keys: readonly Uint8Array[],
  values: readonly Uint8Array[],
  proof: readonly Uint8Array[] | null,
): boolean {
  checkProofBytes(rootHash, 'rootHash')
  checkProofBytes(firstKey, 'firstKey')
  if (lastKey !== undefined) checkProofBytes(lastKey, 'lastKey')
  checkProofList(keys, 'keys')
  checkProofList(values, 'values')
  if (proof !== null) checkProofList(proof, 'proof')
  if (keys.length !== values.length)
    throw new ProofError(`inconsistent proof data: ${keys.length} keys, ${values.length} values`)
  for (let i = 0; i + 1 < keys.length; i++)
    if (compareBytes(keys[i]!, keys[i + 1]!) >= 0)
      throw new ProofError('range is not monotonically increasing')
  for (const v of values) if (v.length === 0) throw new ProofError('range contains deletion')

  if (proof === null) {
    const root = trieRoot(keys.map((k, i) => [k, values[i]!] as [Uint8Array, Uint8Array]))
    if (!equalBytes(root, rootHash)) throw new ProofError('entries do not hash to the root', root)
    return false
  }
  const map = proofMap(proof)
  if (lastKey === undefined) lastKey = keys.length > 0 ? keys[keys.length - 1]! : firstKey
  if (keys.length === 0) {
    const { root, value } = proofToPath(rootHash, null, firstKey, map, true)
    if (value !== undefined || hasRightElement(root, firstKey)) throw new ProofError('more entries available')
    return false
  }
  if (keys.length === 1 && equalBytes(firstKey, lastKey)) {
    const { root, value } = proofToPath(rootHash, null, firstKey, map, false)
    if (!equalBytes(firstKey, keys[0]!)) throw new ProofError('correct proof but invalid key')
    if (value === undefined || !equalBytes(value, values[0]!))
      throw new ProofError('correct proof but invalid data')
    return hasRightElement(root, firstKey)
  }
  if (compareBytes(firstKey, lastKey) >= 0) throw new ProofError('invalid edge keys')
  if (firstKey.length !== lastKey.length) throw new ProofError('inconsistent edge keys')
  if (compareBytes(keys[0]!, firstKey) < 0 || compareBytes(keys[keys.length - 1]!, lastKey) > 0)
    throw new ProofError('entries outside the edge keys')

  let { root } = proofToPath(rootHash, null, firstKey, map, true)
  root = proofToPath(rootHash, root, lastKey, map, true).root
  const empty = unsetInternal(root, firstKey, lastKey)
  forget(root)
  const trie = Trie.fromRootNode(empty ? null : root)
  try {
    for (let i = 0; i < keys.length; i++) trie.putRaw(keys[i]!, values[i]!)
  } catch (error) {
    if (error instanceof MissingNodeError)
      throw new ProofError('entries reach outside the proven range', error.details.hash, { cause: error })
    throw error
  }
  const got = trie.root()
  if (!equalBytes(got, rootHash)) throw new ProofError('entries do not hash to the root', got)
  return hasRightElement(trie.rootNode(), keys[keys.length - 1]!)
}
