import {
  type Block,
  type BlockHeader,
  decodeBlock,
  decodeHeader,
  encodeBlock,
  encodeHeader,
  type HeadChange,
  type Receipt,
  type StoredBlock,
} from '@crucible/block'
import { type KvStore, WriteBatch } from '@crucible/kv'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  bytesToUnprefixedHex,
  CrucibleError,
  equalBytes,
  KECCAK256_RLP_EMPTY,
  keccak256,
} from '@crucible/primitives'
import { type StateChanges, type StateDatabase, WorldState, type WorldStateOptions } from '@crucible/state'
import {
  decodeByteList,
  decodeReceipts,
  decodeTxLocation,
  encodeByteList,
  encodeReceipts,
  encodeTxLocation,
  type TxLocation,
} from './codec.js'
import { WriteQueue } from './queue.js'
import { keys, readU64, SCHEMA_VERSION, u64 } from './schema.js'

/** Why the chain database refused: a database of an unknown schema, or a state it does not hold. */
export type ChainDbErrorCode = 'UNKNOWN_SCHEMA' | 'STATE_NOT_KEPT' | 'CLOSED'

export class ChainDbError extends CrucibleError {
  override name = 'ChainDbError'
  declare readonly code: ChainDbErrorCode
  constructor(code: ChainDbErrorCode, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}

export interface ChainDbOptions {
  /** Trie nodes kept in the read cache (two generations of this many). Default 50,000. */
  nodeCache?: number
  /** Contract codes kept in the read cache. Default 4,096. */
  codeCache?: number
}

/**
 * A read cache of two generations: lookups promote from the old one, and when the young one
 * fills up the old one is dropped. Near-LRU at the cost of two map operations.
 */
class TwoGenerationCache {
  #young = new Map<string, Uint8Array>()
  #old = new Map<string, Uint8Array>()
  constructor(private readonly limit: number) {}
  get(id: string): Uint8Array | undefined {
    const hit = this.#young.get(id)
    if (hit !== undefined) return hit
    const old = this.#old.get(id)
    if (old !== undefined) this.set(id, old)
    return old
  }
  set(id: string, value: Uint8Array): void {
    if (this.#young.size >= this.limit) {
      this.#old = this.#young
      this.#young = new Map()
    }
    this.#young.set(id, value)
  }
}

/**
 * The chain database over a {@link KvStore}: headers, blocks, receipts, requests, total
 * difficulty, the canonical index, transaction lookups, head/safe/finalized pointers, and the
 * state (trie nodes and code; archive: every committed root stays readable). Key layout in
 * `schema.ts`.
 *
 * Reads are synchronous (the store's `getSync`, through a write-behind overlay and caches),
 * so block execution reads state directly. Writes are queued batches, each applied
 * atomically in order; {@link flush} waits for them to land.
 */
export class ChainDb {
  readonly kv: KvStore
  readonly #queue: WriteQueue
  readonly #nodes: TwoGenerationCache
  readonly #code: TwoGenerationCache
  /** The state database block execution reads from (trie nodes and code). */
  readonly state: StateDatabase

  private constructor(kv: KvStore, options: ChainDbOptions) {
    this.kv = kv
    this.#queue = new WriteQueue(kv)
    this.#nodes = new TwoGenerationCache(options.nodeCache ?? 50_000)
    this.#code = new TwoGenerationCache(options.codeCache ?? 4096)
    this.state = {
      getNode: (hash) => this.#cached(this.#nodes, keys.trieNode(hash)),
      getCode: (codeHash) => this.#cached(this.#code, keys.code(codeHash)),
    }
  }

  /** Opens the chain database in `kv` (an empty store becomes an empty chain database). */
  static async open(kv: KvStore, options: ChainDbOptions = {}): Promise<ChainDb> {
    const version = await kv.get(keys.meta('version'))
    if (version === undefined) {
      const empty = (await kv.iterate({ limit: 1 }).next()).done === true
      if (!empty) throw new ChainDbError('UNKNOWN_SCHEMA', 'the database is not a Crucible chain database')
      await kv.put(keys.meta('version'), Uint8Array.of(SCHEMA_VERSION))
    } else if (version.length !== 1 || version[0] !== SCHEMA_VERSION) {
      throw new ChainDbError('UNKNOWN_SCHEMA', 'the chain database has an unknown schema version', {
        version: bytesToHex(version),
        supported: SCHEMA_VERSION,
      })
    }
    return new ChainDb(kv, options)
  }

  // ---- Raw reads ------------------------------------------------------------------------

  /** A value as the database will hold it once queued writes land. */
  read(key: Uint8Array): Uint8Array | undefined {
    if (!this.#queue.idle) {
      const queued = this.#queue.lookup(bytesToUnprefixedHex(key))
      if (queued !== undefined) return queued ?? undefined
    }
    return this.kv.getSync(key)
  }

  #cached(cache: TwoGenerationCache, key: Uint8Array): Uint8Array | undefined {
    const id = bytesToUnprefixedHex(key)
    const hit = cache.get(id)
    if (hit !== undefined) return hit
    const queued = this.#queue.lookup(id)
    const value = queued !== undefined ? (queued ?? undefined) : this.kv.getSync(key)
    if (value !== undefined) cache.set(id, value)
    return value
  }

  // ---- Pointers and the canonical index -------------------------------------------------

  getHeadHash(): Uint8Array | undefined {
    return this.read(keys.meta('head'))
  }
  getSafeHash(): Uint8Array | undefined {
    return this.read(keys.meta('safe'))
  }
  getFinalizedHash(): Uint8Array | undefined {
    return this.read(keys.meta('finalized'))
  }
  /** Records the safe block (a forkchoice update); queued like every write. */
  setSafeHash(hash: Uint8Array): void {
    this.write(new WriteBatch().put(keys.meta('safe'), hash))
  }
  setFinalizedHash(hash: Uint8Array): void {
    this.write(new WriteBatch().put(keys.meta('finalized'), hash))
  }

  getCanonicalHash(number: bigint): Uint8Array | undefined {
    return this.read(keys.canonical(number))
  }

  getBlockNumber(hash: Uint8Array): bigint | undefined {
    const value = this.read(keys.blockNumber(hash))
    return value === undefined ? undefined : readU64(value)
  }

  // ---- Blocks ---------------------------------------------------------------------------

  getHeader(hash: Uint8Array): BlockHeader | undefined {
    const number = this.getBlockNumber(hash)
    const rlp = number === undefined ? undefined : this.read(keys.header(number, hash))
    return rlp === undefined ? undefined : decodeHeader(rlp)
  }

  getHeaderByNumber(number: bigint): BlockHeader | undefined {
    const hash = this.getCanonicalHash(number)
    return hash === undefined ? undefined : this.getHeader(hash)
  }

  /** The block's RLP exactly as stored (what `crucible export` writes). */
  getBlockRlp(hash: Uint8Array): Uint8Array | undefined {
    const number = this.getBlockNumber(hash)
    return number === undefined ? undefined : this.read(keys.block(number, hash))
  }

  getBlock(hash: Uint8Array): Block | undefined {
    const rlp = this.getBlockRlp(hash)
    return rlp === undefined ? undefined : decodeBlock(rlp)
  }

  getBlockByNumber(number: bigint): Block | undefined {
    const hash = this.getCanonicalHash(number)
    return hash === undefined ? undefined : this.getBlock(hash)
  }

  getReceipts(hash: Uint8Array): Receipt[] | undefined {
    const number = this.getBlockNumber(hash)
    const rlp = number === undefined ? undefined : this.read(keys.receipts(number, hash))
    return rlp === undefined ? undefined : decodeReceipts(rlp)
  }

  getRequests(hash: Uint8Array): Uint8Array[] | undefined {
    const number = this.getBlockNumber(hash)
    const rlp = number === undefined ? undefined : this.read(keys.requests(number, hash))
    return rlp === undefined ? undefined : decodeByteList(rlp)
  }

  getTotalDifficulty(hash: Uint8Array): bigint | undefined {
    const number = this.getBlockNumber(hash)
    const value = number === undefined ? undefined : this.read(keys.totalDifficulty(number, hash))
    return value === undefined ? undefined : bytesToBigInt(value)
  }

  /** A whole stored block as the chain sees it (block, total difficulty, receipts, requests). */
  getStoredBlock(hash: Uint8Array): StoredBlock | undefined {
    const block = this.getBlock(hash)
    if (block === undefined) return undefined
    const stored: StoredBlock = {
      hash,
      key: bytesToHex(hash),
      block,
      totalDifficulty: this.getTotalDifficulty(hash) ?? 0n,
      receipts: this.getReceipts(hash) ?? [],
    }
    const requests = this.getRequests(hash)
    if (requests !== undefined) stored.requests = requests
    return stored
  }

  /** Where a transaction of the canonical chain is, by its hash. */
  getTransactionLocation(txHash: Uint8Array): TxLocation | undefined {
    const value = this.read(keys.txLookup(txHash))
    if (value === undefined) return undefined
    const location = decodeTxLocation(value)
    // A lookup written for a block that a reorganisation later replaced is stale.
    const canonical = this.getCanonicalHash(location.blockNumber)
    return canonical !== undefined && equalBytes(canonical, location.blockHash) ? location : undefined
  }

  /** A transaction of the canonical chain (its canonical encoding) with its location. */
  getTransaction(txHash: Uint8Array): { transaction: Uint8Array; location: TxLocation } | undefined {
    const location = this.getTransactionLocation(txHash)
    const block = location && this.getBlock(location.blockHash)
    const transaction = block?.transactions[location!.index]
    return transaction === undefined ? undefined : { transaction, location: location! }
  }

  // ---- State ----------------------------------------------------------------------------

  /** Whether the state with this root is stored (its root node is there). */
  hasState(stateRoot: Uint8Array): boolean {
    return equalBytes(stateRoot, KECCAK256_RLP_EMPTY) || this.state.getNode(stateRoot) !== undefined
  }

  /**
   * The state with this root, to read or to execute on (changes stay in memory until handed
   * to a commit). Any root of an imported block opens: the database is an archive.
   */
  openState(stateRoot: Uint8Array, options: Omit<WorldStateOptions, 'database' | 'root'> = {}): WorldState {
    if (!this.hasState(stateRoot))
      throw new ChainDbError('STATE_NOT_KEPT', 'no state with this root in the database', {
        stateRoot: bytesToHex(stateRoot),
      })
    return WorldState.open(this.state, stateRoot, options)
  }

  // ---- Writes ---------------------------------------------------------------------------

  /** Queues a batch: applied atomically, after every batch queued before it. */
  write(batch: WriteBatch): void {
    this.#queue.enqueue(batch)
  }

  /** Resolves when every queued batch is on disk; rejects with the first write failure. */
  flush(): Promise<void> {
    return this.#queue.flush()
  }

  /** Bytes queued and not yet written (an importer flushes when this grows). */
  get pendingBytes(): number {
    return this.#queue.pendingBytes
  }

  /**
   * The batch that commits one block: its state changes (trie nodes and code), header, block,
   * receipts, requests, total difficulty, number index and, when it becomes the head, the
   * canonical entries, transaction lookups and head pointer. Queued as one atomic write.
   */
  commitBlock(stored: StoredBlock, changes: StateChanges | undefined, head: HeadChange | undefined): void {
    const batch = new WriteBatch()
    if (changes !== undefined) {
      for (const [hash, enc] of changes.nodes) batch.put(keys.trieNode(hash), enc)
      for (const [hash, code] of changes.code) batch.put(keys.code(hash), code)
    }
    const { header } = stored.block
    const number = header.number
    const hash = stored.hash
    batch.put(keys.header(number, hash), encodeHeader(header))
    batch.put(keys.block(number, hash), encodeBlock(stored.block))
    batch.put(keys.receipts(number, hash), encodeReceipts(stored.receipts))
    if (stored.requests !== undefined) batch.put(keys.requests(number, hash), encodeByteList(stored.requests))
    batch.put(keys.totalDifficulty(number, hash), bigIntToBytes(stored.totalDifficulty))
    batch.put(keys.blockNumber(hash), u64(number))
    if (head !== undefined) {
      if (head.dropFrom !== undefined && head.dropTo !== undefined)
        for (let n = head.dropFrom; n <= head.dropTo; n++) batch.delete(keys.canonical(n))
      for (const b of head.canonical) {
        const n = b.block.header.number
        batch.put(keys.canonical(n), b.hash)
        b.block.transactions.forEach((tx, index) => {
          batch.put(
            keys.txLookup(keccak256(tx)),
            encodeTxLocation({ blockNumber: n, blockHash: b.hash, index }),
          )
        })
      }
      batch.put(keys.meta('head'), head.head.hash)
    }
    this.write(batch)
  }

  /** Writes what is queued and closes the store. */
  async close(): Promise<void> {
    if (this.kv.closed) return
    try {
      await this.flush()
    } finally {
      await this.kv.close()
    }
  }
}
