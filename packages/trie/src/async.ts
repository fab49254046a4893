import { equalBytes } from '@crucible/primitives'
import { MissingNodeError } from './errors.js'
import type { Entry } from './iterate.js'
import { createProof } from './proof.js'
import { MemoryStore } from './store.js'
import { type BatchOp, Trie } from './trie.js'

/**
 * A slow (asynchronous) node store: a database on disk, a remote peer. Writes come as one
 * call so the store can make them atomic: the nodes, then the record of the new root.
 */
export interface AsyncNodeStore {
  getNode(hash: Uint8Array): Promise<Uint8Array | undefined>
  /** Stores `nodes` and records `root` as the current root, all or nothing. */
  writeNodes(nodes: Array<[hash: Uint8Array, encoding: Uint8Array]>, root: Uint8Array): Promise<void>
}

/**
 * A {@link Trie} over an {@link AsyncNodeStore}. The synchronous trie runs over an in-memory
 * cache; when it reaches a node the cache lacks it throws {@link MissingNodeError} before
 * changing anything, and this wrapper loads that node from the backend and runs the
 * operation again. So every node is fetched once, on first use, and the trie code itself
 * stays synchronous and fast. {@link AsyncTrie.flush} writes new nodes and the root in one
 * call to the backend.
 */
export class AsyncTrie {
  readonly trie: Trie
  readonly #cache: MemoryStore
  readonly #backend: AsyncNodeStore

  constructor(backend: AsyncNodeStore, options?: { root?: Uint8Array; secure?: boolean }) {
    this.#backend = backend
    this.#cache = new MemoryStore({ trackWrites: true })
    this.trie = new Trie({ store: this.#cache, secure: options?.secure, root: options?.root })
  }

  /** Runs `fn` until it stops asking for missing nodes. A node the backend lacks too is rethrown. */
  async retry<T>(fn: (trie: Trie) => T): Promise<T> {
    for (;;) {
      try {
        return fn(this.trie)
      } catch (error) {
        if (!(error instanceof MissingNodeError)) throw error
        const hash = error.details.hash
        const enc = await this.#backend.getNode(hash)
        if (enc === undefined) throw error
        this.#cache.cache(hash, enc)
      }
    }
  }

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.retry((t) => t.get(key))
  }

  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    return this.retry((t) => t.put(key, value))
  }

  del(key: Uint8Array): Promise<void> {
    return this.retry((t) => t.del(key))
  }

  /** Applies the operations in order; each one is atomic, the batch as a whole is not. */
  async batch(ops: Iterable<BatchOp>): Promise<void> {
    for (const op of ops) await this.retry((t) => t.batch([op]))
  }

  createProof(key: Uint8Array): Promise<Uint8Array[]> {
    return this.retry((t) => createProof(t, key))
  }

  /** The root hash of the current contents (in memory; see {@link AsyncTrie.flush}). */
  root(): Uint8Array {
    return this.trie.root()
  }

  /** Writes the nodes not yet in the backend, and the root record, in one atomic call. */
  async flush(): Promise<Uint8Array> {
    const root = this.trie.persist()
    const pending = this.#cache.takePending()
    try {
      await this.#backend.writeNodes(pending, root)
    } catch (error) {
      this.#cache.requeue(pending)
      throw error
    }
    return root
  }

  /** Entries in key order from `from` (trie-form keys), loading nodes as the walk reaches them. */
  async *entries(from?: Uint8Array): AsyncGenerator<Entry> {
    let last: Uint8Array | undefined
    for (;;) {
      const it = this.trie.entries(last ?? from)
      try {
        for (const entry of it) {
          // After a restart the walk begins again at the last key handed out.
          if (last !== undefined && equalBytes(entry[0], last)) continue
          last = entry[0]
          yield entry
        }
        return
      } catch (error) {
        if (!(error instanceof MissingNodeError)) throw error
        const enc = await this.#backend.getNode(error.details.hash)
        if (enc === undefined) throw error
        this.#cache.cache(error.details.hash, enc)
      }
    }
  }

  checkpoint(): void {
    this.trie.checkpoint()
  }

  commit(): void {
    this.trie.commit()
  }

  revert(): void {
    this.trie.revert()
  }
}
