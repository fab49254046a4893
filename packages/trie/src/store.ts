import { bytesToUnprefixedHex, hexToBytes } from '@crucible/primitives'

/**
 * Where a trie keeps its nodes: RLP encodings keyed by their keccak256. Synchronous on
 * purpose (the trie's hot paths stay free of promises); a slow backend sits behind
 * {@link AsyncTrie}, which fills a synchronous cache on demand.
 */
export interface NodeStore {
  get(hash: Uint8Array): Uint8Array | undefined
  put(hash: Uint8Array, encoding: Uint8Array): void
}

/** A {@link NodeStore} in a Map. `pending()` hands out what was written since the last call. */
export class MemoryStore implements NodeStore {
  readonly #nodes = new Map<string, Uint8Array>()
  #pending: Array<[Uint8Array, Uint8Array]> = []
  #track: boolean

  /** With `trackWrites`, puts are also queued for {@link MemoryStore.takePending}. */
  constructor(options?: { trackWrites?: boolean }) {
    this.#track = options?.trackWrites ?? false
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    return this.#nodes.get(bytesToUnprefixedHex(hash))
  }

  put(hash: Uint8Array, encoding: Uint8Array): void {
    this.#nodes.set(bytesToUnprefixedHex(hash), encoding)
    if (this.#track) this.#pending.push([hash, encoding])
  }

  /** Adds a node without queueing it as a write (it came from the backing store). */
  cache(hash: Uint8Array, encoding: Uint8Array): void {
    this.#nodes.set(bytesToUnprefixedHex(hash), encoding)
  }

  /** Writes queued since the last call, oldest first. */
  takePending(): Array<[Uint8Array, Uint8Array]> {
    const out = this.#pending
    this.#pending = []
    return out
  }

  /** Puts writes back at the head of the queue (a flush that failed will retry them). */
  requeue(writes: Array<[Uint8Array, Uint8Array]>): void {
    this.#pending = writes.concat(this.#pending)
  }

  get size(): number {
    return this.#nodes.size
  }

  *entries(): IterableIterator<[Uint8Array, Uint8Array]> {
    for (const [k, v] of this.#nodes) yield [hexToBytes(k), v]
  }
}
