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
} from '@crucible/kv'
import { ClassicLevel } from 'classic-level'

/** The classic-level database under a {@link LevelKv} (keys and values as bytes). */
export type Db = ClassicLevel<Uint8Array, Uint8Array>
type LevelSnapshot = ReturnType<Db['snapshot']>

/** classic-level hands out Buffers; the rest of Crucible sees plain Uint8Arrays only. */
function plain(bytes: Uint8Array): Uint8Array
function plain(bytes: Uint8Array | undefined): Uint8Array | undefined
function plain(bytes: Uint8Array | undefined): Uint8Array | undefined {
  if (bytes === undefined || bytes.constructor === Uint8Array) return bytes
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** LevelDB reports a second opener as a LEVEL_LOCKED cause under LEVEL_DATABASE_NOT_OPEN. */
function isLocked(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.code === 'LEVEL_LOCKED') return true
  return false
}

const ENCODINGS = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const

export interface LevelKvOptions {
  /** Create the database when the folder holds none (default true). */
  createIfMissing?: boolean
  /** LevelDB's block cache, in bytes (default 8 MiB). */
  cacheSize?: number
}

/** Reads against the live database or one of its snapshots. */
class LevelReader implements KvReader {
  constructor(
    protected readonly db: Db,
    protected readonly isClosed: () => boolean,
    private readonly view?: LevelSnapshot,
  ) {}

  protected check(): void {
    if (this.isClosed()) throw new KvError('CLOSED', 'the key-value store is closed')
  }

  private options(): { snapshot?: LevelSnapshot } {
    return this.view === undefined ? {} : { snapshot: this.view }
  }

  getSync(key: Uint8Array): Uint8Array | undefined {
    this.check()
    try {
      return plain(this.db.getSync(key, { ...ENCODINGS, ...this.options() }))
    } catch (error) {
      throw new KvError('READ_FAILED', 'LevelDB read failed', {}, { cause: error })
    }
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.check()
    try {
      return plain(await this.db.get(key, { ...ENCODINGS, ...this.options() }))
    } catch (error) {
      if (this.isClosed()) throw new KvError('CLOSED', 'the key-value store is closed')
      throw new KvError('READ_FAILED', 'LevelDB read failed', {}, { cause: error })
    }
  }

  async getMany(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | undefined>> {
    this.check()
    try {
      const values = await this.db.getMany(keys as Uint8Array[], { ...ENCODINGS, ...this.options() })
      return values.map((v) => plain(v))
    } catch (error) {
      throw new KvError('READ_FAILED', 'LevelDB read failed', {}, { cause: error })
    }
  }

  async *iterate(range?: KvRange): AsyncIterableIterator<[Uint8Array, Uint8Array]> {
    this.check()
    const bounds = rangeBounds(range)
    const it = this.db.iterator({
      ...ENCODINGS,
      ...this.options(),
      ...bounds,
      reverse: range?.reverse ?? false,
      limit: range?.limit ?? -1,
    })
    try {
      for (;;) {
        const entries = await it.nextv(1000)
        if (entries.length === 0) return
        for (const [key, value] of entries) yield [plain(key), plain(value)]
      }
    } finally {
      await it.close()
    }
  }
}

/**
 * A {@link KvStore} on a LevelDB database (classic-level 3). `getSync` reads the database
 * synchronously (classic-level's `db.getSync`); writes are atomic LevelDB write batches.
 * LevelDB holds a lock on the folder: a second process gets a `LOCKED` {@link KvError}.
 */
export class LevelKv extends LevelReader implements KvStore {
  #closed = false
  readonly path: string

  private constructor(db: Db, path: string) {
    super(db, () => this.#closed)
    this.path = path
  }

  /**
   * Opens (creating when missing, unless `createIfMissing` is false) the database at `path`.
   * `cacheSize` is LevelDB's block cache in bytes (classic-level's default is 8 MiB).
   */
  static async open(path: string, options?: LevelKvOptions): Promise<LevelKv> {
    const db: Db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      ...ENCODINGS,
      ...(options?.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
    })
    try {
      await db.open({ createIfMissing: options?.createIfMissing ?? true })
    } catch (error) {
      if (isLocked(error))
        throw new KvError('LOCKED', 'the database is in use by another process', { path }, { cause: error })
      throw new KvError('OPEN_FAILED', 'cannot open the database', { path }, { cause: error })
    }
    return new LevelKv(db, path)
  }

  get closed(): boolean {
    return this.#closed
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    await this.write([{ type: 'put', key, value }])
  }

  async delete(key: Uint8Array): Promise<void> {
    await this.write([{ type: 'del', key }])
  }

  async write(batch: WriteBatch | readonly KvOp[]): Promise<void> {
    this.check()
    const ops = batchOps(batch)
    if (ops.length === 0) return
    try {
      await this.db.batch(ops as KvOp[], ENCODINGS)
    } catch (error) {
      throw new KvError('WRITE_FAILED', 'LevelDB write failed', { path: this.path }, { cause: error })
    }
  }

  snapshot(): KvSnapshot {
    this.check()
    const view = this.db.snapshot()
    let released = false
    const reader = new LevelReader(this.db, () => released || this.#closed, view)
    return Object.assign(reader, {
      async release(): Promise<void> {
        if (released) return
        released = true
        await view.close()
      },
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.db.close()
  }
}

/** Opens a LevelDB-backed {@link KvStore} at `path` (see {@link LevelKv.open}). */
export function openLevelKv(path: string, options?: LevelKvOptions): Promise<LevelKv> {
  return LevelKv.open(path, options)
}
