import { type KvStore, WriteBatch } from '@crucible/kv'
import { openLevelKv } from '@crucible/kv-level'
import { concatBytes, utf8ToBytes } from '@crucible/primitives'
import { type AsyncNodeStore, AsyncTrie } from '@crucible/trie'

/*
 * Layout: trie nodes under 'n' + keccak256(node), root records under 'r' + name. A flush is
 * one LevelDB write batch holding the new nodes followed by the root record; LevelDB applies
 * a batch atomically (through its write-ahead log), so after a crash the recorded root is
 * either the old one or the new one, and its nodes are always all there.
 */
const NODE_PREFIX = 0x6e // 'n'
const ROOT_PREFIX = 0x72 // 'r'

function nodeKey(hash: Uint8Array): Uint8Array {
  const key = new Uint8Array(1 + hash.length)
  key[0] = NODE_PREFIX
  key.set(hash, 1)
  return key
}

/**
 * Trie nodes in a key-value store (LevelDB through `@crucible/kv-level` when opened by path):
 * an {@link AsyncNodeStore} with a named root record.
 */
export class LevelNodeStore implements AsyncNodeStore {
  readonly kv: KvStore
  readonly #rootKey: Uint8Array

  /** Over an already open store (any `KvStore`); `name` picks the root record (default 'state'). */
  constructor(kv: KvStore, options?: { name?: string }) {
    this.kv = kv
    this.#rootKey = concatBytes(Uint8Array.of(ROOT_PREFIX), utf8ToBytes(options?.name ?? 'state'))
  }

  /** Opens (creating if needed) the LevelDB database at `path`. */
  static async open(path: string, options?: { name?: string }): Promise<LevelNodeStore> {
    return new LevelNodeStore(await openLevelKv(path), options)
  }

  getNode(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(nodeKey(hash))
  }

  /** Nodes first, then the root record, in one atomic batch. */
  async writeNodes(nodes: Array<[Uint8Array, Uint8Array]>, root: Uint8Array): Promise<void> {
    const batch = new WriteBatch()
    for (const [hash, enc] of nodes) batch.put(nodeKey(hash), enc)
    batch.put(this.#rootKey, root)
    await this.kv.write(batch)
  }

  /** The last root written by {@link LevelNodeStore.writeNodes}, if any. */
  readRoot(): Promise<Uint8Array | undefined> {
    return this.kv.get(this.#rootKey)
  }

  close(): Promise<void> {
    return this.kv.close()
  }
}

/**
 * Opens a persisted trie: the database at `path`, at its recorded root (empty when none).
 * Call `trie.flush()` to persist; `store.close()` when done.
 */
export async function openLevelTrie(
  path: string,
  options?: { name?: string; secure?: boolean },
): Promise<{ trie: AsyncTrie; store: LevelNodeStore }> {
  const store = await LevelNodeStore.open(path, options)
  const root = await store.readRoot()
  return { trie: new AsyncTrie(store, { root, secure: options?.secure }), store }
}
