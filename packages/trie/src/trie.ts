import { assertBytes, EMPTY_BYTES, equalBytes, KECCAK256_RLP_EMPTY, keccak256 } from '@crucible/primitives'
import { CheckpointError, MissingNodeError } from './errors.js'
import { ascending, descending, type Entry, nextKey, prevKey } from './iterate.js'
import {
  BRANCH,
  BranchNode,
  decodeNode,
  EXT,
  ExtNode,
  HASH,
  HashNode,
  joinPaths,
  LEAF,
  LeafNode,
  matchLen,
  nib,
  nodeRef,
  type TrieNode,
} from './node.js'
import { MemoryStore, type NodeStore } from './store.js'

// Generations are global so that tries sharing nodes (copies, snapshots) never both think
// they own the same node.
let generation = 0
function nextGeneration(): number {
  return ++generation
}

export interface TrieOptions {
  /** Hash keys with keccak256 before use (the state and storage tries do). */
  secure?: boolean
  /** Node storage; a fresh {@link MemoryStore} when absent. */
  store?: NodeStore
  /** Open the trie at this root (its nodes are read from `store` as they are needed). */
  root?: Uint8Array
}

/** One step of {@link Trie.batch}: a put (an empty value deletes) or a delete. */
export type BatchOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

/**
 * The Merkle-Patricia trie of the Yellow Paper (appendix D), synchronous, over a
 * {@link NodeStore}.
 *
 * Nodes live in memory as objects; hashes are computed lazily by {@link Trie.root} and cached,
 * so a run of updates costs one hash per touched node, not per update. {@link Trie.persist}
 * writes new nodes to the store. Checkpoints are O(1): the trie never changes a node that a
 * checkpoint (or a {@link Trie.copy}) can still see; it copies it instead.
 *
 * The trie keeps references to the key and value bytes it is given: do not change them after.
 * A node missing from the store is a {@link MissingNodeError}, thrown before anything changes.
 */
export class Trie {
  #root: TrieNode | null
  #gen: number
  readonly #store: NodeStore
  readonly #secure: boolean
  #stack: Array<TrieNode | null> = []

  constructor(options: TrieOptions = {}) {
    this.#store = options.store ?? new MemoryStore()
    this.#secure = options.secure ?? false
    this.#gen = nextGeneration()
    const root = options.root
    this.#root = root === undefined || equalBytes(root, KECCAK256_RLP_EMPTY) ? null : new HashNode(root)
  }

  get secure(): boolean {
    return this.#secure
  }

  get store(): NodeStore {
    return this.#store
  }

  /** The key as the trie stores it (keccak256 of it for a secure trie). */
  trieKey(key: Uint8Array): Uint8Array {
    return this.#secure ? keccak256(key) : key
  }

  // --- reads -----------------------------------------------------------------------------

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getRaw(this.trieKey(key))
  }

  /** {@link Trie.get} with a key already in trie form (hashed, for a secure trie). */
  getRaw(k: Uint8Array): Uint8Array | undefined {
    assertBytes(k, 'trie key')
    const K = k.length * 2
    let node = this.#resolveRoot()
    let d = 0
    while (node !== null) {
      if (node.kind === LEAF) {
        const e = node.p.length * 2
        return e - node.s === K - d && matchLen(node.p, node.s, e, k, d, K) === K - d ? node.v : undefined
      }
      if (node.kind === EXT) {
        const n = node.e - node.s
        if (matchLen(node.p, node.s, node.e, k, d, K) !== n) return undefined
        d += n
        node = this.#extChild(node)
      } else if (node.kind === BRANCH) {
        if (d === K) return node.v ?? undefined
        node = this.#branchChild(node, nib(k, d))
        d++
      } else node = this.#resolve(node)
    }
    return undefined
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined
  }

  /** True when the trie holds nothing. */
  get empty(): boolean {
    return this.#root === null
  }

  /**
   * Entries in ascending key order from the first key >= `from`. Keys are in trie form
   * (keccak256 of the original key for a secure trie, which keeps no preimages).
   */
  entries(from?: Uint8Array): Generator<Entry> {
    return ascending(this, from)
  }

  /** Entries in descending key order from the last key <= `to` (trie-form keys). */
  entriesDescending(to?: Uint8Array): Generator<Entry> {
    return descending(this, to)
  }

  /** The smallest trie-form key strictly after `key`. */
  nextKey(key: Uint8Array): Uint8Array | undefined {
    return nextKey(this, key)
  }

  /** The largest trie-form key strictly before `key`. */
  prevKey(key: Uint8Array): Uint8Array | undefined {
    return prevKey(this, key)
  }

  // --- writes ----------------------------------------------------------------------------

  /** Sets `key` to `value`; an empty value deletes the key (a trie cannot hold one). */
  put(key: Uint8Array, value: Uint8Array): void {
    this.putRaw(this.trieKey(key), value)
  }

  putRaw(k: Uint8Array, value: Uint8Array): void {
    assertBytes(k, 'trie key')
    assertBytes(value, 'trie value')
    if (value.length === 0) {
      this.delRaw(k)
      return
    }
    this.#root = this.#insert(this.#root, k, 0, k.length * 2, value)
  }

  del(key: Uint8Array): void {
    this.delRaw(this.trieKey(key))
  }

  delRaw(k: Uint8Array): void {
    assertBytes(k, 'trie key')
    const out = this.#delete(this.#root, k, 0, k.length * 2)
    if (out !== UNCHANGED) this.#root = out
  }

  /** Applies puts and deletes in order. */
  batch(ops: Iterable<BatchOp>): void {
    for (const op of ops) {
      if (op.type === 'put') this.put(op.key, op.value)
      else this.del(op.key)
    }
  }

  // --- hashing and storage ---------------------------------------------------------------

  /** The root hash (keccak256 of RLP(0x80) when empty). */
  root(): Uint8Array {
    if (this.#root === null) return KECCAK256_RLP_EMPTY
    const r = nodeRef(this.#root)
    return r.length === 32 ? r : keccak256(r)
  }

  /** Writes every node not yet stored to the store and returns the root hash. */
  persist(): Uint8Array {
    if (this.#root === null) return KECCAK256_RLP_EMPTY
    const store = this.#store
    const r = nodeRef(this.#root, (hash, enc) => store.put(hash, enc))
    if (r.length === 32) return r
    // The root is stored by hash even when it is small enough to embed.
    const hash = keccak256(r)
    store.put(hash, r)
    return hash
  }

  /** Points the trie at another root in the same store (drops checkpoints). */
  setRoot(root: Uint8Array): void {
    assertBytes(root, 'trie root')
    this.#root = equalBytes(root, KECCAK256_RLP_EMPTY) ? null : new HashNode(root)
    this.#stack = []
    this.#gen = nextGeneration()
  }

  /** An independent trie with the same contents and store; O(1), nodes are shared. */
  copy(): Trie {
    const t = new Trie({ store: this.#store, secure: this.#secure })
    t.#root = this.#root
    this.#gen = nextGeneration()
    return t
  }

  /** @internal A memory trie over an already built (possibly partial) node tree. */
  static fromRootNode(root: TrieNode | null): Trie {
    const t = new Trie()
    t.#root = root
    return t
  }

  // --- checkpoints -----------------------------------------------------------------------

  /** Remembers the current contents; {@link Trie.revert} returns to them. Nestable. */
  checkpoint(): void {
    this.#stack.push(this.#root)
    this.#gen = nextGeneration()
  }

  /** Keeps the changes since the last checkpoint and forgets it. */
  commit(): void {
    if (this.#stack.length === 0) throw new CheckpointError('commit')
    this.#stack.pop()
  }

  /** Discards the changes since the last checkpoint. */
  revert(): void {
    if (this.#stack.length === 0) throw new CheckpointError('revert')
    this.#root = this.#stack.pop()!
    this.#gen = nextGeneration()
  }

  get checkpoints(): number {
    return this.#stack.length
  }

  // --- internals shared with iteration and proofs ----------------------------------------

  /** @internal The root node, loaded if only its hash is known. */
  rootNode(): TrieNode | null {
    return this.#resolveRoot()
  }

  /** @internal Loads a node by hash or throws {@link MissingNodeError}. */
  loadNode(node: TrieNode): LeafNode | ExtNode | BranchNode {
    return node.kind === HASH ? this.#resolve(node) : node
  }

  #resolve(node: HashNode): LeafNode | ExtNode | BranchNode {
    const enc = this.#store.get(node.r)
    if (enc === undefined) throw new MissingNodeError(node.r)
    return decodeNode(enc, node.r)
  }

  // Replacing a hash child by its decoded node changes nothing observable, so it is done
  // even in nodes this trie does not own.
  #resolveRoot(): TrieNode | null {
    const r = this.#root
    if (r !== null && r.kind === HASH) return (this.#root = this.#resolve(r))
    return r
  }

  #extChild(x: ExtNode): TrieNode {
    const c = x.c
    return c.kind === HASH ? (x.c = this.#resolve(c)) : c
  }

  #branchChild(b: BranchNode, i: number): TrieNode | null {
    const c = b.c[i]!
    return c !== null && c.kind === HASH ? (b.c[i] = this.#resolve(c)) : c
  }

  #insert(node: TrieNode | null, k: Uint8Array, d: number, K: number, v: Uint8Array): TrieNode {
    const gen = this.#gen
    if (node === null) return new LeafNode(k, d, v, gen)
    switch (node.kind) {
      case LEAF: {
        const e = node.p.length * 2
        const m = matchLen(node.p, node.s, e, k, d, K)
        if (m === e - node.s && d + m === K) {
          if (node.g === gen) {
            node.v = v
            node.r = undefined
            node.d = true
            return node
          }
          return new LeafNode(node.p, node.s, v, gen)
        }
        const b = new BranchNode(emptyChildren(), null, gen)
        const ls = node.s + m
        if (ls === e) b.v = node.v
        else b.c[nib(node.p, ls)] = new LeafNode(node.p, ls + 1, node.v, gen)
        const ks = d + m
        if (ks === K) b.v = v
        else b.c[nib(k, ks)] = new LeafNode(k, ks + 1, v, gen)
        return m > 0 ? new ExtNode(k, d, ks, b, gen) : b
      }
      case EXT: {
        const n = node.e - node.s
        const m = matchLen(node.p, node.s, node.e, k, d, K)
        if (m === n) {
          const c = this.#insert(node.c, k, d + n, K, v)
          if (node.g === gen) {
            node.c = c
            node.r = undefined
            node.d = true
            return node
          }
          return new ExtNode(node.p, node.s, node.e, c, gen)
        }
        const b = new BranchNode(emptyChildren(), null, gen)
        const xs = node.s + m
        b.c[nib(node.p, xs)] = xs + 1 < node.e ? new ExtNode(node.p, xs + 1, node.e, node.c, gen) : node.c
        const ks = d + m
        if (ks === K) b.v = v
        else b.c[nib(k, ks)] = new LeafNode(k, ks + 1, v, gen)
        return m > 0 ? new ExtNode(node.p, node.s, xs, b, gen) : b
      }
      case BRANCH: {
        if (d === K) {
          if (node.g === gen) {
            node.v = v
            node.r = undefined
            node.d = true
            return node
          }
          return new BranchNode(node.c.slice(), v, gen)
        }
        const i = nib(k, d)
        const c = this.#insert(node.c[i]!, k, d + 1, K, v)
        if (node.g === gen) {
          node.c[i] = c
          node.r = undefined
          node.d = true
          return node
        }
        const cc = node.c.slice()
        cc[i] = c
        return new BranchNode(cc, node.v, gen)
      }
      default:
        return this.#insert(this.#resolve(node), k, d, K, v)
    }
  }

  /**
   * Returns the node after deleting k (possibly the same object, changed in place), or
   * {@link UNCHANGED} when k is not there.
   */
  #delete(node: TrieNode | null, k: Uint8Array, d: number, K: number): TrieNode | null | typeof UNCHANGED {
    if (node === null) return UNCHANGED
    const gen = this.#gen
    switch (node.kind) {
      case LEAF: {
        const e = node.p.length * 2
        return e - node.s === K - d && matchLen(node.p, node.s, e, k, d, K) === K - d ? null : UNCHANGED
      }
      case EXT: {
        const n = node.e - node.s
        if (matchLen(node.p, node.s, node.e, k, d, K) !== n) return UNCHANGED
        const c = this.#delete(node.c, k, d + n, K)
        if (c === UNCHANGED || c === null) return c
        return this.#prefixed(node.p, node.s, node.e, c)
      }
      case BRANCH: {
        let slot = -1
        let old: TrieNode | null = null
        if (d === K) {
          if (node.v === null) return UNCHANGED
        } else {
          slot = nib(k, d)
          old = node.c[slot]!
          if (old === null) return UNCHANGED
        }
        // If the branch may collapse to its one other entry, load that entry now: loading
        // can fail, and must fail before anything below has been changed.
        let count = node.v === null ? 0 : 1
        for (let i = 0; i < 16; i++) if (node.c[i] !== null) count++
        if (count === 2) {
          for (let i = 0; i < 16; i++) if (i !== slot && node.c[i] !== null) this.#branchChild(node, i)
        }
        let c: TrieNode | null = null
        if (slot >= 0) {
          const out = this.#delete(old, k, d + 1, K)
          if (out === UNCHANGED) return UNCHANGED
          c = out
        }
        let b: BranchNode
        if (node.g === gen) {
          b = node
          b.r = undefined
          b.d = true
        } else b = new BranchNode(node.c.slice(), node.v, gen)
        if (slot >= 0) b.c[slot] = c
        else b.v = null
        if (count > 2 || (count === 2 && c !== null)) return b
        // One entry left: the branch turns into a leaf or joins its only child.
        if (b.v !== null) return new LeafNode(EMPTY_BYTES, 0, b.v, gen)
        let j = 0
        while (b.c[j] === null) j++
        return this.#prefixed(Uint8Array.of(j << 4), 0, 1, b.c[j]!)
      }
      default:
        return this.#delete(this.#resolve(node), k, d, K)
    }
  }

  /** A node for nibbles [s,e) of p followed by `child` (merging into a leaf or extension child). */
  #prefixed(p: Uint8Array, s: number, e: number, child: TrieNode): TrieNode {
    const gen = this.#gen
    if (child.kind === HASH) child = this.#resolve(child)
    if (child.kind === LEAF) {
      const [np, ns] = joinPaths(p, s, e, child.p, child.s, child.p.length * 2)
      return new LeafNode(np, ns, child.v, gen)
    }
    if (child.kind === EXT) {
      const [np, ns] = joinPaths(p, s, e, child.p, child.s, child.e)
      return new ExtNode(np, ns, np.length * 2, child.c, gen)
    }
    return new ExtNode(p, s, e, child, gen)
  }
}

/** What {@link Trie} deletion returns when the key was not there (nothing to update above). */
const UNCHANGED: unique symbol = Symbol('unchanged')

function emptyChildren(): Array<TrieNode | null> {
  return [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]
}
