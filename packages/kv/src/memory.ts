import { bytesToUnprefixedHex, compareBytes } from '@crucible/primitives'
import {
  batchOps,
  KvError,
  type KvOp,
  type KvRange,
  type KvReader,
  type KvSnapshot,
  type KvStore,
  rangeBounds,
  type WriteBatch,
} from './kv.js'

/** MemoryKv's contents: hex key → [key, value]. */
export type Entries = Map<string, [Uint8Array, Uint8Array]>

/** Reads over a map of entries (the live store or a frozen copy of it). */
class MapReader implements KvReader {
  constructor(
    protected entries: Entries,
    protected readonly isClosed: () => boolean,
  ) {}

  protected check(): void {
    if (this.isClosed()) throw new KvError('CLOSED', 'the key-value store is closed')
  }

  getSync(key: Uint8Array): Uint8Array | undefined {
    this.check()
    return this.entries.get(bytesToUnprefixedHex(key))?.[1]
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.getSync(key)
  }

  async getMany(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | undefined>> {
    return keys.map((key) => this.getSync(key))
  }

  async *iterate(range?: KvRange): AsyncIterableIterator<[Uint8Array, Uint8Array]> {
    this.check()
    const { gte, lt } = rangeBounds(range)
    const picked: Array<[Uint8Array, Uint8Array]> = []
    for (const entry of this.entries.values()) {
      if (gte !== undefined && compareBytes(entry[0], gte) < 0) continue
      if (lt !== undefined && compareBytes(entry[0], lt) >= 0) continue
      picked.push(entry)
    }
    picked.sort((a, b) => compareBytes(a[0], b[0]))
    if (range?.reverse) picked.reverse()
    const limit = range?.limit ?? Number.POSITIVE_INFINITY
    for (let i = 0; i < picked.length && i < limit; i++) {
      this.check()
      yield [picked[i]![0], picked[i]![1]]
    }
  }
}

/**
 * A {@link KvStore} in memory: for tests and short-lived tools. Snapshots copy the entry map
 * (O(entries)); iteration sorts the keys in range.
 */
export class MemoryKv extends MapReader implements KvStore {
  #closed = false

  constructor() {
    super(new Map(), () => this.#closed)
  }

  get closed(): boolean {
    return this.#closed
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    this.check()
    this.entries.set(bytesToUnprefixedHex(key), [key.slice(), value.slice()])
  }

  async delete(key: Uint8Array): Promise<void> {
    this.check()
    this.entries.delete(bytesToUnprefixedHex(key))
  }

  async write(batch: WriteBatch | readonly KvOp[]): Promise<void> {
    this.check()
    for (const op of batchOps(batch)) {
      const id = bytesToUnprefixedHex(op.key)
      if (op.type === 'put') this.entries.set(id, [op.key.slice(), op.value.slice()])
      else this.entries.delete(id)
    }
  }

  snapshot(): KvSnapshot {
    this.check()
    let released = false
    const reader = new MapReader(new Map(this.entries), () => released || this.#closed)
    return Object.assign(reader, {
      async release(): Promise<void> {
        released = true
      },
    })
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}
