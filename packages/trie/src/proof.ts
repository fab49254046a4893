import {
  assertBytes,
  bytesToUnprefixedHex,
  describeType,
  equalBytes,
  KECCAK256_RLP_EMPTY,
  keccak256,
} from '@crucible/primitives'
import { InvalidNodeError, ProofError } from './errors.js'
import {
  BRANCH,
  type BranchNode,
  decodeNode,
  EXT,
  type ExtNode,
  encodeNode,
  HASH,
  LEAF,
  type LeafNode,
  matchLen,
  nib,
  type TrieNode,
} from './node.js'
import type { Trie } from './trie.js'

/**
 * A Merkle proof for `key` in the eth_getProof shape: the RLP of every node on the path from
 * the root (always included) to the key's leaf, skipping nodes embedded in their parent. For
 * an absent key it ends at the node that shows the absence. `key` is the caller's key (hashed
 * first when the trie is secure).
 */
export function createProof(trie: Trie, key: Uint8Array): Uint8Array[] {
  assertBytes(key, 'createProof key')
  return proofOfRaw(trie, trie.trieKey(key))
}

/** {@link createProof} for a key already in trie form. */
function proofOfRaw(trie: Trie, k: Uint8Array): Uint8Array[] {
  const K = k.length * 2
  const proof: Uint8Array[] = []
  let node: TrieNode | null = trie.rootNode()
  let d = 0
  let first = true
  while (node !== null) {
    const n: LeafNode | ExtNode | BranchNode = trie.loadNode(node)
    const enc = encodeNode(n)
    if (first || enc.length >= 32) proof.push(enc)
    first = false
    if (n.kind === LEAF) break
    if (n.kind === EXT) {
      if (matchLen(n.p, n.s, n.e, k, d, K) !== n.e - n.s) break
      d += n.e - n.s
      node = n.c
    } else {
      if (d === K) break
      node = n.c[nib(k, d)]!
      d++
    }
  }
  return proof
}

/**
 * The proof snap sync sends with a range: the nodes of the proofs of both edge keys, each
 * once. Keys are in trie form (already hashed for a secure trie), as range proofs use them.
 */
export function createRangeProof(trie: Trie, firstKey: Uint8Array, lastKey: Uint8Array): Uint8Array[] {
  assertBytes(firstKey, 'createRangeProof firstKey')
  assertBytes(lastKey, 'createRangeProof lastKey')
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  for (const enc of [...proofOfRaw(trie, firstKey), ...proofOfRaw(trie, lastKey)]) {
    const id = bytesToUnprefixedHex(enc)
    if (seen.has(id)) continue
    seen.add(id)
    out.push(enc)
  }
  return out
}

/*
 * Proofs arrive from outside (eth_getProof answers, snap sync peers): the verifiers check the
 * type of everything they are given and answer a wrong one with a ProofError, never a
 * TypeError.
 */

/** Throws {@link ProofError} unless `value` is a `Uint8Array`; `what` names the argument. */
export function checkProofBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new ProofError(`${what} is not a Uint8Array (${describeType(value)})`)
}

/** Throws {@link ProofError} unless `value` is an array of `Uint8Array`s. */
export function checkProofList(value: unknown, what: string): asserts value is readonly Uint8Array[] {
  if (!Array.isArray(value)) throw new ProofError(`${what} is not an array (${describeType(value)})`)
  for (let i = 0; i < value.length; i++) checkProofBytes(value[i], `${what}[${i}]`)
}

/** Proof nodes by the hex of their hash. */
export function proofMap(proof: readonly Uint8Array[]): Map<string, Uint8Array> {
  const map = new Map<string, Uint8Array>()
  for (const enc of proof) map.set(bytesToUnprefixedHex(keccak256(enc)), enc)
  return map
}

const MISSING = 'node missing from proof'

/** Decodes the proof node with this hash, or throws {@link ProofError}. */
export function proofNode(map: Map<string, Uint8Array>, hash: Uint8Array): LeafNode | ExtNode | BranchNode {
  const enc = map.get(bytesToUnprefixedHex(hash))
  if (enc === undefined) throw new ProofError(MISSING, hash)
  try {
    return decodeNode(enc, hash)
  } catch (error) {
    if (error instanceof InvalidNodeError) throw new ProofError(error.shortMessage, hash, { cause: error })
    throw error
  }
}

/**
 * Checks a proof made by {@link createProof} (or eth_getProof) against `root`: returns the
 * value of `key`, or undefined when the proof shows the key is absent. A proof that is
 * incomplete, does not decode or does not hash up to `root` is a {@link ProofError}. With
 * `secure`, the key is hashed first (as for account and storage proofs).
 */
export function verifyProof(
  root: Uint8Array,
  key: Uint8Array,
  proof: readonly Uint8Array[],
  options?: { secure?: boolean },
): Uint8Array | undefined {
  checkProofBytes(root, 'root')
  checkProofBytes(key, 'key')
  checkProofList(proof, 'proof')
  if (options !== undefined && (options === null || typeof options !== 'object'))
    throw new ProofError(`options is not an object (${describeType(options)})`)
  const secure = options?.secure === true
  if (equalBytes(root, KECCAK256_RLP_EMPTY) && proof.length === 0) return undefined
  const map = proofMap(proof)
  try {
    return walkProof(map, root, secure ? keccak256(key) : key)
  } catch (error) {
    // The usual cause of a missing node: a secure-trie proof (eth_getProof) checked with the
    // raw key, or the other way round. If the other keying proves the key present, say so.
    if (!(error instanceof ProofError) || error.details.reason !== MISSING) throw error
    let other: Uint8Array | undefined
    try {
      other = walkProof(map, root, secure ? key : keccak256(key))
    } catch {
      throw error
    }
    if (other === undefined) throw error
    const hint = secure
      ? 'the proof verifies without { secure: true }: a proof of a plain (not secure) trie?'
      : 'the proof verifies with { secure: true }: a secure-trie proof (eth_getProof), keyed by keccak256(key)?'
    throw new ProofError(`${MISSING}; ${hint}`, error.details.hash, { cause: error })
  }
}

/** Walks `proof` from `root` along the trie key `k`: the value, or undefined for a proven absence. */
function walkProof(map: Map<string, Uint8Array>, root: Uint8Array, k: Uint8Array): Uint8Array | undefined {
  const K = k.length * 2
  let node: TrieNode = proofNode(map, root)
  let d = 0
  for (;;) {
    if (node.kind === HASH) node = proofNode(map, node.r)
    if (node.kind === LEAF) {
      const e = node.p.length * 2
      return e - node.s === K - d && matchLen(node.p, node.s, e, k, d, K) === K - d ? node.v : undefined
    }
    if (node.kind === EXT) {
      if (matchLen(node.p, node.s, node.e, k, d, K) !== node.e - node.s) return undefined
      d += node.e - node.s
      node = node.c
    } else if (node.kind === BRANCH) {
      if (d === K) return node.v ?? undefined
      const c: TrieNode | null = node.c[nib(k, d)]!
      if (c === null) return undefined
      node = c
      d++
    }
  }
}
