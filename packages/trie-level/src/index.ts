import { concatBytes, utf8ToBytes } from '@crucible/primitives'
import { type AsyncNodeStore, AsyncTrie } from '@crucible/trie'
import { ClassicLevel } from 'classic-level'

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

function plain(bytes: Uint8Array): Uint8Array {
  // classic-level hands out Buffers; keep the rest of Crucible on plain Uint8Array.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Trie nodes in a LevelDB database: an {@link AsyncNodeStore} with a named root record. */
export class LevelNodeStore implements AsyncNodeStore {
  readonly db: ClassicLevel<Uint8Array, Uint8Array>
  readonly #rootKey: Uint8Array

  private constructor(db: ClassicLevel<Uint8Array, Uint8Array>, name: string) {
    this.db = db
    this.#rootKey = concatBytes(Uint8Array.of(ROOT_PREFIX), utf8ToBytes(name))
  }

  /** Opens (creating if needed) the database at `path`; `name` picks the root record (default 'state'). */
  static async open(path: string, options?: { name?: string }): Promise<LevelNodeStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open()
    return new LevelNodeStore(db, options?.name ?? 'state')
  }

  async getNode(hash: Uint8Array): Promise<Uint8Array | undefined> {
    const value = await this.db.get(nodeKey(hash))
    return value === undefined ? undefined : plain(value)
  }

  /** Nodes first, then the root record, in one atomic batch. */
  async writeNodes(nodes: Array<[Uint8Array, Uint8Array]>, root: Uint8Array): Promise<void> {
    const batch = this.db.batch()
    for (const [hash, enc] of nodes) batch.put(nodeKey(hash), enc)
    batch.put(this.#rootKey, root)
    await batch.write()
  }

  /** The last root written by {@link LevelNodeStore.writeNodes}, if any. */
  async readRoot(): Promise<Uint8Array | undefined> {
    const value = await this.db.get(this.#rootKey)
    return value === undefined ? undefined : plain(value)
  }

  close(): Promise<void> {
    return this.db.close()
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
