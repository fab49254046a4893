import { CrucibleError, compareBytes } from '@crucible/primitives'

/** Why a key-value store refused: closed, held by another process, or an I/O failure below. */
export type KvErrorCode = 'CLOSED' | 'LOCKED' | 'OPEN_FAILED' | 'WRITE_FAILED' | 'READ_FAILED'

/** A failure of a key-value store, with the store's own error as `cause`. */
export class KvError extends CrucibleError {
  override name = 'KvError'
  declare readonly code: KvErrorCode
  constructor(
    code: KvErrorCode,
    shortMessage: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, shortMessage, details, options)
  }
}

/** One change of a write batch. */
export type KvOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

/**
 * Changes to apply together: {@link KvStore.write} applies all of them or none. Later
 * operations on the same key win. Keys and values are kept by reference: do not change them.
 */
export class WriteBatch {
  readonly ops: KvOp[] = []
  /** Bytes of keys and values so far (what the batch will write). */
  bytes = 0

  put(key: Uint8Array, value: Uint8Array): this {
    this.ops.push({ type: 'put', key, value })
    this.bytes += key.length + value.length
    return this
  }

  delete(key: Uint8Array): this {
    this.ops.push({ type: 'del', key })
    this.bytes += key.length
    return this
  }

  get length(): number {
    return this.ops.length
  }
}

/**
 * Which keys an iteration visits, in ascending byte order: those starting with `prefix`,
 * and within that `gte` ≤ key < `lt` when given. `reverse` walks them in descending order;
 * `limit` stops after that many entries.
 */
export interface KvRange {
  prefix?: Uint8Array
  gte?: Uint8Array
  lt?: Uint8Array
  reverse?: boolean
  limit?: number
}

/** Reads: the part of a store that a consistent view ({@link KvSnapshot}) also offers. */
export interface KvReader {
  /** The value, or undefined when the key is absent. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>
  /**
   * The same read, answered synchronously (classic-level's `getSync`): what lets synchronous
   * code, such as a trie walk inside block execution, read the database directly.
   */
  getSync(key: Uint8Array): Uint8Array | undefined
  /** Several reads at once, in the order of `keys`. */
  getMany(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | undefined>>
  /** Entries in key order within the range (see {@link KvRange}). */
  iterate(range?: KvRange): AsyncIterableIterator<[key: Uint8Array, value: Uint8Array]>
}

/** A read view frozen at the moment it was taken: later writes to the store are not seen. */
export interface KvSnapshot extends KvReader {
  /** Releases the view (further reads fail with `CLOSED`). */
  release(): Promise<void>
}

/**
 * A key-value store over byte keys and byte values. Values handed out are plain
 * `Uint8Array`s the caller may keep (never a subclass such as Node's Buffer).
 */
export interface KvStore extends KvReader {
  put(key: Uint8Array, value: Uint8Array): Promise<void>
  delete(key: Uint8Array): Promise<void>
  /** Applies every operation of the batch atomically: after a crash, all or none are there. */
  write(batch: WriteBatch | readonly KvOp[]): Promise<void>
  /** A consistent read view of the store as it is now (for readers while writes go on). */
  snapshot(): KvSnapshot
  /** Closes the store; later calls fail with a `CLOSED` {@link KvError}. */
  close(): Promise<void>
  readonly closed: boolean
}

/** The operations of a batch or op list. */
export function batchOps(batch: WriteBatch | readonly KvOp[]): readonly KvOp[] {
  const ops = batch instanceof WriteBatch ? batch.ops : batch
  // Checked before anything is written, so that a bad operation leaves the store unchanged.
  ops.forEach((op, index) => {
    const ok =
      op.key instanceof Uint8Array &&
      (op.type === 'del' || (op.type === 'put' && op.value instanceof Uint8Array))
    if (!ok) throw new KvError('WRITE_FAILED', 'write batch holds an invalid operation', { index })
  })
  return ops
}

/**
 * The smallest key above every key starting with `prefix` (the exclusive end of a prefix
 * range), or undefined when there is none (an all-0xff prefix).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = prefix.slice(0, i + 1)
      end[i]! += 1
      return end
    }
  }
  return undefined
}

/** Turns a {@link KvRange} into one lower (inclusive) and one upper (exclusive) bound. */
export function rangeBounds(range: KvRange = {}): { gte?: Uint8Array; lt?: Uint8Array } {
  let gte = range.gte
  let lt = range.lt
  if (range.prefix !== undefined && range.prefix.length > 0) {
    const p = range.prefix
    if (gte === undefined || compareBytes(gte, p) < 0) gte = p
    const end = prefixEnd(p)
    if (end !== undefined && (lt === undefined || compareBytes(end, lt) < 0)) lt = end
  }
  const out: { gte?: Uint8Array; lt?: Uint8Array } = {}
  if (gte !== undefined) out.gte = gte
  if (lt !== undefined) out.lt = lt
  return out
}
