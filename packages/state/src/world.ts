import type { Host } from '@crucible/evm-types'
import {
  bytesToBigInt,
  bytesToHex,
  decodeRlp,
  EMPTY_BYTES,
  KECCAK256_EMPTY,
  keccak256,
  numberToHex,
} from '@crucible/primitives'
import { type NodeStore, Trie } from '@crucible/trie'
import { Account, EMPTY_STORAGE_ROOT } from './account.js'
import { type Alloc, dumpAlloc, loadAlloc } from './alloc.js'
import type { StateBackend, StateBase } from './backend.js'
import type { StateChanges, StateDatabase } from './database.js'
import { StateError } from './errors.js'
import { RootCache, slotKey, storageRootOf } from './root.js'

/**
 * The address of the RIPEMD-160 precompile. Its touch survives a revert (EIP-716 note): on
 * mainnet block 2675119 an out-of-gas call to the empty account 0x03 still deleted it, and
 * every client since reproduces that.
 */
const RIPEMD160 = 3n

// Journal entry kinds. The journal is one flat array of (kind, address, a, b) quadruples,
// so recording a change allocates nothing beyond the array's own growth.
const J_NEW = 0 // account did not exist; undo deletes it
const J_REPLACE = 1 // account record replaced by createAccount; a = previous record or undefined
const J_BALANCE = 2 // b = previous balance
const J_NONCE = 3 // b = previous nonce
const J_CODE = 4 // a = previous code, b = previous code hash
const J_STORAGE = 5 // a = key, b = previous value
const J_TRANSIENT = 6 // a = key, b = previous value
const J_CREATED = 7 // added to the created-in-transaction set
const J_TOUCH = 8 // added to the touched set
const J_WARM_ACCOUNT = 9
const J_WARM_SLOT = 10 // a = key

// Generations are global, not per instance, so that a snapshot taken from one WorldState can
// be restored into another without both believing they own the same account records.
let lastGeneration = 0
function nextGeneration(): number {
  return ++lastGeneration
}

/** An immutable copy of a whole state, from {@link WorldState.snapshot}. */
export interface StateSnapshot {
  /** @internal Shared account records; never mutated once captured. */
  readonly accounts: ReadonlyMap<bigint, Account>
  /** @internal The account trie as it was, when it was up to date. */
  readonly roots: RootCache | undefined
  /** @internal Addresses known to be absent from the stored state (a state over stored state only). */
  readonly absent?: ReadonlySet<bigint>
}

export interface WorldStateOptions {
  /**
   * BLOCKHASH: the hash of ancestor block `number` as a word, or 0n when unknown. The caller
   * applies the 256-block window; by default every hash is unknown.
   */
  blockHash?: (number: bigint) => bigint
  /**
   * An asynchronous source of accounts missing from memory, read only by
   * {@link WorldState.prefetch}. With a backend set, reading an account or slot that was not
   * prefetched is a `STATE_MISS` {@link StateError} naming it, never a silent zero.
   */
  backend?: StateBackend
  /** Stored state read synchronously on a miss (see {@link WorldState.open}). */
  database?: StateDatabase
  /** With `database`: the state root to open at (the empty trie when absent). */
  root?: Uint8Array
  /**
   * With `database`: the state below the stored trie (a forked chain's upstream at its fork
   * block), consulted for what the trie does not hold. See {@link StateBase}.
   */
  base?: StateBase
  /**
   * Told before each read of the stored state or backend: an account or slot not in memory
   * is about to be loaded. It may throw to refuse the read (a strict replay does). Misses
   * only, so the hot path does not pay for it.
   */
  observer?: StateReadObserver
}

/**
 * What a {@link WorldState} over stored state reads, as it reads it: every account and slot
 * loaded from the database (or missing from the backend), once each, before the load. The
 * recording side of an execution witness; a strict replay refuses reads by throwing.
 */
export interface StateReadObserver {
  /** The account at `address` is about to be read from the stored state. */
  account(address: bigint): void
  /** The slot `key` of the stored account at `address` is about to be read from its storage trie. */
  storage(address: bigint, key: bigint): void
}

/**
 * Node store of a state over a {@link StateDatabase}: reads go to the database, new nodes
 * are collected for {@link WorldState.persistChanges}.
 */
class CollectingNodeStore implements NodeStore {
  written: Array<[Uint8Array, Uint8Array]> = []
  constructor(private readonly db: StateDatabase) {}
  get(hash: Uint8Array): Uint8Array | undefined {
    return this.db.getNode(hash)
  }
  put(hash: Uint8Array, encoding: Uint8Array): void {
    this.written.push([hash, encoding])
  }
}

function addressHex(address: bigint): string {
  return `0x${address.toString(16).padStart(40, '0')}`
}

/**
 * The world state: every account in bigint-keyed maps, a journal that undoes changes back to
 * any checkpoint, the per-transaction sets the EVM needs (warm addresses and slots, transient
 * storage, original slot values, created and touched accounts), and an incrementally
 * maintained state root. Implements the EVM {@link Host}.
 *
 * Snapshots are copy-on-write: {@link snapshot} copies the address map (not the accounts) and
 * moves the state to a new generation; an account record from another generation is copied
 * the first time it is written. A snapshot may be restored into any WorldState, any number of
 * times.
 */
export class WorldState implements Host {
  private accounts: Map<bigint, Account>
  private gen = nextGeneration()
  /**
   * Entries live in [0, journalLength); the array is reused across transactions rather than
   * emptied, so recording a change is four stores, not an array growth.
   */
  private readonly journal: unknown[] = []
  private journalLength = 0
  private readonly created = new Set<bigint>()
  private readonly touched = new Set<bigint>()
  private readonly warmAccounts = new Set<bigint>()
  private readonly warmSlots = new Map<bigint, Set<bigint>>()
  private readonly transient = new Map<bigint, Map<bigint, bigint>>()
  /** Value of each slot written in this transaction, as it was when the transaction began. */
  private readonly originals = new Map<bigint, Map<bigint, bigint>>()
  /** Addresses whose account changed (or went away) since the last root; may repeat. */
  private dirtyList: bigint[] = []
  private roots: RootCache | undefined = undefined
  private readonly blockHashFn: ((number: bigint) => bigint) | undefined
  readonly backend: StateBackend | undefined
  /** The stored state read on a miss (see {@link WorldState.open}). */
  readonly database: StateDatabase | undefined
  private readonly nodeStore: CollectingNodeStore | undefined
  /** True when memory is not the whole state: a miss is loaded or is an error, never zero. */
  private readonly sourced: boolean
  /** Addresses known absent from the stored state: looked up and not found, or deleted since. */
  private absent = new Set<bigint>()
  /** Accounts whose storage trie may hold nodes not yet handed out by persistChanges. */
  private readonly storageChanged = new Set<bigint>()
  private codeWrites: Array<[Uint8Array, Uint8Array]> = []
  private readonly observer: StateReadObserver | undefined
  /** The state below the stored trie (see {@link StateBase}), with a database only. */
  readonly base: StateBase | undefined

  constructor(options: WorldStateOptions = {}) {
    this.accounts = new Map()
    this.observer = options.observer
    this.base = options.database !== undefined ? options.base : undefined
    this.blockHashFn = options.blockHash
    this.backend = options.backend
    this.database = options.database
    if (options.database !== undefined) {
      this.nodeStore = new CollectingNodeStore(options.database)
      this.roots = RootCache.open(this.nodeStore, options.root ?? EMPTY_STORAGE_ROOT)
    } else this.nodeStore = undefined
    this.sourced = options.backend !== undefined || options.database !== undefined
  }

  /**
   * A state over stored state at `root`: accounts, slots and code not in memory are read
   * synchronously from `database` when first used (and kept), changed accounts and slots
   * update the stored tries from their stored nodes, and {@link persistChanges} hands out the
   * new nodes and code. Any root whose nodes the database holds can be opened (archive).
   */
  static open(
    database: StateDatabase,
    root: Uint8Array,
    options: Omit<WorldStateOptions, 'database' | 'root'> = {},
  ): WorldState {
    return new WorldState({ ...options, database, root })
  }

  /** A state holding the accounts of a fixture-style allocation. */
  static fromAlloc(alloc: Alloc, options?: WorldStateOptions): WorldState {
    const state = new WorldState(options)
    state.loadAlloc(alloc)
    return state
  }

  // ---- Reading (the interpreter's hot path: no allocation) -----------------------------

  exists(address: bigint): boolean {
    return this.account(address) !== undefined
  }

  isEmpty(address: bigint): boolean {
    const a = this.account(address)
    return a === undefined || (a.nonce === 0n && a.balance === 0n && a.code.length === 0)
  }

  getBalance(address: bigint): bigint {
    const a = this.account(address)
    return a === undefined ? 0n : a.balance
  }

  getNonce(address: bigint): bigint {
    const a = this.account(address)
    return a === undefined ? 0n : a.nonce
  }

  getCode(address: bigint): Uint8Array {
    const a = this.account(address)
    return a === undefined ? EMPTY_BYTES : a.code
  }

  getCodeHash(address: bigint): Uint8Array {
    const a = this.account(address)
    return a === undefined ? KECCAK256_EMPTY : a.codeHash
  }

  getStorage(address: bigint, key: bigint): bigint {
    const a = this.account(address)
    if (a === undefined) return 0n
    const v = a.storage.get(key)
    if (v !== undefined) return v
    return a.partialStorage ? this.storageMiss(address, a, key) : 0n
  }

  getOriginalStorage(address: bigint, key: bigint): bigint {
    // The storage an account had before it was created in this transaction does not count.
    if (this.created.has(address)) return 0n
    const m = this.originals.get(address)
    if (m !== undefined) {
      const v = m.get(key)
      if (v !== undefined) return v
    }
    return this.getStorage(address, key)
  }

  hasStorage(address: bigint): boolean {
    const a = this.account(address)
    if (a === undefined) return false
    if (!a.partialStorage) return a.storage.size > 0
    // A partly loaded account knows it has storage from its root, not from the slots in hand.
    if (a.storageRoot === undefined && a.storageTrie === undefined) return true
    return !equal32(storageRootOf(a), EMPTY_STORAGE_ROOT)
  }

  getTransientStorage(address: bigint, key: bigint): bigint {
    const m = this.transient.get(address)
    if (m === undefined) return 0n
    const v = m.get(key)
    return v === undefined ? 0n : v
  }

  getBlockHash(number: bigint): bigint {
    return this.blockHashFn === undefined ? 0n : this.blockHashFn(number)
  }

  // ---- Writing -------------------------------------------------------------------------

  setBalance(address: bigint, value: bigint): void {
    const a = this.writable(address)
    this.record(J_BALANCE, address, undefined, a.balance)
    a.balance = value
    this.markDirty(address, a)
  }

  setNonce(address: bigint, value: bigint): void {
    const a = this.writable(address)
    this.record(J_NONCE, address, undefined, a.nonce)
    a.nonce = value
    this.markDirty(address, a)
  }

  setCode(address: bigint, code: Uint8Array): void {
    const a = this.writable(address)
    this.record(J_CODE, address, a.code, a.codeHash)
    a.code = code
    a.codeHash = code.length === 0 ? KECCAK256_EMPTY : keccak256(code)
    if (this.nodeStore !== undefined && code.length > 0) this.codeWrites.push([a.codeHash, code])
    this.markDirty(address, a)
  }

  setStorage(address: bigint, key: bigint, value: bigint): void {
    const a = this.writable(address)
    const stored = a.storage.get(key)
    const prev = stored !== undefined ? stored : a.partialStorage ? this.storageMiss(address, a, key) : 0n
    if (prev === value) return
    let m = this.originals.get(address)
    if (m === undefined) {
      m = new Map()
      this.originals.set(address, m)
    }
    if (!m.has(key)) m.set(key, prev)
    this.record(J_STORAGE, address, key, prev)
    this.writeSlot(address, a, key, value)
  }

  setTransientStorage(address: bigint, key: bigint, value: bigint): void {
    let m = this.transient.get(address)
    if (m === undefined) {
      m = new Map()
      this.transient.set(address, m)
    }
    const stored = m.get(key)
    const prev = stored === undefined ? 0n : stored
    if (prev === value) return
    this.record(J_TRANSIENT, address, key, prev)
    if (value === 0n) m.delete(key)
    else m.set(key, value)
  }

  createAccount(address: bigint): void {
    const old = this.account(address)
    const a = Account.empty(this.gen)
    if (old !== undefined) a.balance = old.balance
    this.accounts.set(address, a)
    this.record(J_REPLACE, address, old, undefined)
    this.markDirty(address, a)
    if (!this.created.has(address)) {
      this.created.add(address)
      this.record(J_CREATED, address, undefined, undefined)
    }
  }

  isCreatedInTransaction(address: bigint): boolean {
    return this.created.has(address)
  }

  /**
   * Marks the account touched, creating it (empty) when missing, as execution-specs'
   * `touch_account` does: before Spurious Dragon that empty account stays in the state.
   */
  touch(address: bigint): void {
    if (this.account(address) === undefined) this.markDirty(address, this.writable(address))
    if (this.touched.has(address)) return
    this.touched.add(address)
    // Not journaled for 0x03, so that revert keeps it (see RIPEMD160 above).
    if (address !== RIPEMD160) this.record(J_TOUCH, address, undefined, undefined)
  }

  warmAccount(address: bigint): boolean {
    if (this.warmAccounts.has(address)) return true
    this.warmAccounts.add(address)
    this.record(J_WARM_ACCOUNT, address, undefined, undefined)
    return false
  }

  warmSlot(address: bigint, key: bigint): boolean {
    let s = this.warmSlots.get(address)
    if (s === undefined) {
      s = new Set()
      this.warmSlots.set(address, s)
    } else if (s.has(key)) return true
    s.add(key)
    this.record(J_WARM_SLOT, address, key, undefined)
    return false
  }

  // ---- Journal -------------------------------------------------------------------------

  /** Checkpoint ids are journal positions: nested checkpoints need no bookkeeping. */
  checkpoint(): number {
    return this.journalLength
  }

  commit(checkpoint: number): void {
    if (checkpoint > this.journalLength || checkpoint % 4 !== 0)
      throw new StateError('UNKNOWN_CHECKPOINT', 'Commit of an unknown checkpoint', { checkpoint })
  }

  revert(checkpoint: number): void {
    const j = this.journal
    if (checkpoint > this.journalLength || checkpoint % 4 !== 0)
      throw new StateError('UNKNOWN_CHECKPOINT', 'Revert to an unknown checkpoint', { checkpoint })
    for (let i = this.journalLength - 4; i >= checkpoint; i -= 4) {
      const address = j[i + 1] as bigint
      switch (j[i] as number) {
        case J_NEW:
          this.accounts.delete(address)
          this.dirtyList.push(address)
          break
        case J_REPLACE: {
          const old = j[i + 2] as Account | undefined
          if (old === undefined) this.accounts.delete(address)
          else {
            this.accounts.set(address, old)
            old.dirty = true
          }
          this.dirtyList.push(address)
          break
        }
        case J_BALANCE: {
          const a = this.writable(address)
          a.balance = j[i + 3] as bigint
          this.markDirty(address, a)
          break
        }
        case J_NONCE: {
          const a = this.writable(address)
          a.nonce = j[i + 3] as bigint
          this.markDirty(address, a)
          break
        }
        case J_CODE: {
          const a = this.writable(address)
          a.code = j[i + 2] as Uint8Array
          a.codeHash = j[i + 3] as Uint8Array
          this.markDirty(address, a)
          break
        }
        case J_STORAGE:
          this.writeSlot(address, this.writable(address), j[i + 2] as bigint, j[i + 3] as bigint)
          break
        case J_TRANSIENT: {
          const m = this.transient.get(address)!
          const v = j[i + 3] as bigint
          if (v === 0n) m.delete(j[i + 2] as bigint)
          else m.set(j[i + 2] as bigint, v)
          break
        }
        case J_CREATED:
          this.created.delete(address)
          break
        case J_TOUCH:
          this.touched.delete(address)
          break
        case J_WARM_ACCOUNT:
          this.warmAccounts.delete(address)
          break
        case J_WARM_SLOT:
          this.warmSlots.get(address)!.delete(j[i + 2] as bigint)
          break
      }
    }
    this.journalLength = checkpoint
  }

  // ---- Transaction boundaries ----------------------------------------------------------

  beginTransaction(): void {
    this.clearTransaction()
  }

  endTransaction(destroyed: Iterable<bigint>, deleteTouchedEmpty: boolean): void {
    for (const address of destroyed) this.deleteAccount(address)
    if (deleteTouchedEmpty) {
      for (const address of this.touched) {
        const a = this.accounts.get(address)
        if (a?.isEmpty()) this.deleteAccount(address)
      }
    }
    this.clearTransaction()
  }

  /** True while changes since the last transaction boundary can still be reverted. */
  get inTransaction(): boolean {
    return this.journalLength > 0
  }

  // ---- Whole-state operations ----------------------------------------------------------

  /** The state root: keccak of the account trie's root node. Only changed accounts are rehashed. */
  stateRoot(): Uint8Array {
    if (this.roots === undefined) {
      this.roots = RootCache.build(this.accounts)
    } else {
      this.roots.update(this.accounts, this.dirtyList)
    }
    this.dirtyList = []
    return this.roots.root()
  }

  /** The storage root of one account (the empty-trie root for a missing account). */
  storageRoot(address: bigint): Uint8Array {
    const a = this.account(address)
    return a === undefined ? EMPTY_STORAGE_ROOT : storageRootOf(a)
  }

  /**
   * An immutable copy of the state, for {@link restore}. O(accounts) for the address map;
   * account records are shared until written. Only between transactions.
   */
  snapshot(): StateSnapshot {
    this.assertIdle('snapshot')
    if (this.roots !== undefined && this.dirtyList.length > 0) this.stateRoot()
    const snap: StateSnapshot = this.sourced
      ? { accounts: new Map(this.accounts), roots: this.roots?.copy(), absent: new Set(this.absent) }
      : { accounts: new Map(this.accounts), roots: this.roots?.copy() }
    this.gen = nextGeneration()
    return snap
  }

  /**
   * Replaces the whole state with a snapshot's (which stays usable). Anything not yet
   * committed by {@link endTransaction} is discarded with the rest.
   */
  restore(snapshot: StateSnapshot): void {
    this.accounts = new Map(snapshot.accounts)
    this.gen = nextGeneration()
    this.dirtyList = []
    this.roots = snapshot.roots?.copy()
    this.absent = new Set(snapshot.absent)
    this.clearTransaction()
  }

  /** Adds the accounts of a fixture-style allocation (outside any transaction; not journaled). */
  loadAlloc(alloc: Alloc): void {
    this.assertIdle('loadAlloc')
    for (const [address, account] of loadAlloc(alloc, this.gen)) {
      this.accounts.set(address, account)
      if (this.nodeStore !== undefined) {
        if (account.code.length > 0) this.codeWrites.push([account.codeHash, account.code])
        if (account.storage.size > 0) this.storageChanged.add(address)
      }
      account.dirty = true
      this.dirtyList.push(address)
    }
  }

  /** The state in fixture-style allocation form (hex quantities, sorted by address). */
  dumpAlloc(): Alloc {
    return dumpAlloc(this.accounts)
  }

  /** Every address in the state. */
  addresses(): IterableIterator<bigint> {
    return this.accounts.keys()
  }

  /** Every non-zero storage slot of an account held in memory (for stored state: the slots used so far). */
  *storageEntries(address: bigint): IterableIterator<[bigint, bigint]> {
    const storage = this.accounts.get(address)?.storage
    if (storage === undefined) return
    for (const entry of storage) if (entry[1] !== 0n) yield entry
  }

  /**
   * Brings the state root up to date and hands out what changed since the last call: the new
   * trie nodes (account trie and storage tries) and the new code, to store in one write batch.
   * Only for a state over stored state ({@link WorldState.open}), between transactions.
   */
  persistChanges(): StateChanges {
    this.assertIdle('persistChanges')
    const store = this.nodeStore
    if (store === undefined || this.roots === undefined)
      throw new StateError('NOT_PERSISTENT', 'persistChanges needs a state opened over a database')
    const root = this.stateRoot()
    for (const address of this.storageChanged) {
      const a = this.accounts.get(address)
      const trie = a?.storageTrie as Trie | undefined
      if (trie !== undefined) trie.persist()
    }
    this.storageChanged.clear()
    this.roots.persist()
    const changes: StateChanges = { root, nodes: store.written, code: this.codeWrites }
    store.written = []
    this.codeWrites = []
    return changes
  }

  /** How many accounts the state holds in memory (loaded, created or changed). */
  get accountsInMemory(): number {
    return this.accounts.size
  }

  /**
   * Forgets what a state over stored state holds in memory (accounts, known-absent
   * addresses, decoded trie nodes); everything is read again from the database when next
   * used. Bounds the memory of a long import. Only after {@link persistChanges}, between
   * transactions: unpersisted changes would be lost, so they are refused.
   */
  releaseMemory(): void {
    this.assertIdle('releaseMemory')
    const store = this.nodeStore
    if (store === undefined || this.roots === undefined)
      throw new StateError('NOT_PERSISTENT', 'releaseMemory needs a state opened over a database')
    if (
      this.dirtyList.length > 0 ||
      this.storageChanged.size > 0 ||
      this.codeWrites.length > 0 ||
      store.written.length > 0
    )
      throw new StateError('UNPERSISTED', 'releaseMemory with changes not yet persisted')
    this.roots = RootCache.open(store, this.roots.root())
    this.accounts = new Map()
    this.absent = new Set()
    this.gen = nextGeneration()
  }

  /**
   * Loads accounts, code and slots from the backend ahead of execution, so that the
   * synchronous Host methods find them in memory. Accounts already in memory are kept.
   */
  async prefetch(
    addresses: Iterable<bigint>,
    slots: Iterable<readonly [bigint, bigint]> = [],
  ): Promise<void> {
    const backend = this.backend
    if (backend === undefined) return
    const pending: Promise<void>[] = []
    for (const address of addresses) {
      if (this.accounts.has(address) || this.absent.has(address)) continue
      pending.push(
        backend.getAccount(address).then(async (data) => {
          if (this.accounts.has(address)) return
          if (data === undefined) {
            this.absent.add(address)
            return
          }
          const code = equal32(data.codeHash, KECCAK256_EMPTY)
            ? EMPTY_BYTES
            : await backend.getCode(data.codeHash)
          const a = new Account(data.nonce, data.balance, code, data.codeHash, new Map(), this.gen)
          if (data.storageRoot !== undefined && !equal32(data.storageRoot, EMPTY_STORAGE_ROOT)) {
            a.storageRoot = data.storageRoot
            a.partialStorage = true
          }
          this.accounts.set(address, a)
        }),
      )
    }
    await Promise.all(pending)
    const reads: Promise<void>[] = []
    for (const [address, key] of slots) {
      // Only a partly loaded account has slots to fetch; zeros are kept, as known values.
      const a = this.accounts.get(address)
      if (a === undefined || !a.partialStorage || a.storage.has(key)) continue
      reads.push(
        backend.getStorage(address, key).then((value) => {
          if (!a.storage.has(key)) a.storage.set(key, value)
        }),
      )
    }
    await Promise.all(reads)
  }

  // ---- Internals -----------------------------------------------------------------------

  /** The account, loaded from stored state on a miss (the hot path is the map lookup alone). */
  private account(address: bigint): Account | undefined {
    const a = this.accounts.get(address)
    return a !== undefined || !this.sourced ? a : this.accountMiss(address)
  }

  /** An account not in memory: read from the database, or, with only a backend, an error. */
  private accountMiss(address: bigint): Account | undefined {
    if (this.absent.has(address)) return undefined
    this.observer?.account(address)
    if (this.database === undefined)
      throw new StateError('STATE_MISS', 'account was not loaded from the backend', {
        kind: 'account',
        address: addressHex(address),
      })
    const enc = this.roots!.get(address)
    if (enc === undefined) {
      const a = this.base === undefined ? undefined : this.fromBase(address)
      if (a === undefined) this.absent.add(address)
      else this.accounts.set(address, a)
      return a
    }
    const a = this.decodeStored(address, enc)
    this.accounts.set(address, a)
    return a
  }

  /** An account of the base (not changed over it yet): its storage trie starts empty. */
  private fromBase(address: bigint): Account | undefined {
    const data = this.base!.account(address)
    if (data === undefined) return undefined
    const codeHash = data.code.length === 0 ? KECCAK256_EMPTY : keccak256(data.code)
    const a = new Account(data.nonce, data.balance, data.code, codeHash, new Map(), this.gen)
    a.partialStorage = true
    a.overBase = true
    a.storageTrie = new Trie({ store: this.nodeStore!, root: EMPTY_STORAGE_ROOT })
    a.pendingSlots = []
    return a
  }

  /** An account record from its trie RLP, its code read from the database. */
  private decodeStored(address: bigint, enc: Uint8Array): Account {
    const fields = decodeRlp(enc) as Uint8Array[]
    const codeHash = fields[3]!
    let code = EMPTY_BYTES
    if (!equal32(codeHash, KECCAK256_EMPTY)) {
      // Code a forked chain did not change is the base's (only code set here is stored).
      const stored = this.database!.getCode(codeHash) ?? this.base?.account(address)?.code
      if (stored === undefined)
        throw new StateError('MISSING_CODE', 'code of a stored account is not in the database', {
          kind: 'code',
          address: addressHex(address),
          codeHash: bytesToHex(codeHash),
        })
      code = stored
    }
    const a = new Account(
      bytesToBigInt(fields[0]!),
      bytesToBigInt(fields[1]!),
      code,
      codeHash,
      new Map(),
      this.gen,
    )
    const storageRoot = fields[2]!
    if (this.base !== undefined) {
      // Over a base, the stored trie holds the slots changed here; the rest are the base's.
      a.storageRoot = storageRoot
      a.partialStorage = true
      a.overBase = true
      a.storageTrie = new Trie({ store: this.nodeStore!, root: storageRoot })
      a.pendingSlots = []
    } else if (!equal32(storageRoot, EMPTY_STORAGE_ROOT)) {
      a.storageRoot = storageRoot
      a.partialStorage = true
      a.storageTrie = new Trie({ store: this.nodeStore!, root: storageRoot })
      a.pendingSlots = []
    }
    return a
  }

  /**
   * A slot of a partly loaded account that is not in memory: read from its stored trie (a key
   * absent from the map was never written here, so the trie still holds its value), or, with
   * only a backend, an error naming it.
   */
  private storageMiss(address: bigint, a: Account, key: bigint): bigint {
    this.observer?.storage(address, key)
    const trie = a.storageTrie as Trie | undefined
    if (this.database === undefined || trie === undefined)
      throw new StateError('STATE_MISS', 'storage slot was not loaded from the backend', {
        kind: 'storage',
        address: addressHex(address),
        key: numberToHex(key),
      })
    const enc = trie.getRaw(slotKey(key))
    const value =
      enc !== undefined
        ? bytesToBigInt(decodeRlp(enc) as Uint8Array)
        : a.overBase
          ? this.base!.storage(address, key)
          : 0n
    a.storage.set(key, value)
    return value
  }

  /** The account record this generation may mutate, created (journaled) when missing. */
  private writable(address: bigint): Account {
    let a = this.account(address)
    if (a === undefined) {
      a = Account.empty(this.gen)
      this.accounts.set(address, a)
      this.record(J_NEW, address, undefined, undefined)
    } else if (a.gen !== this.gen) {
      a = a.copy(this.gen)
      this.accounts.set(address, a)
    }
    return a
  }

  private writeSlot(address: bigint, a: Account, key: bigint, value: bigint): void {
    // A partly loaded account keeps the zero: an absent key would be read from the stored trie.
    if (value === 0n && !a.partialStorage) a.storage.delete(key)
    else a.storage.set(key, value)
    a.storageRoot = undefined
    if (a.pendingSlots !== undefined) a.pendingSlots.push(key)
    if (this.nodeStore !== undefined) this.storageChanged.add(address)
    this.markDirty(address, a)
  }

  private record(kind: number, address: bigint, a: unknown, b: unknown): void {
    const j = this.journal
    const n = this.journalLength
    j[n] = kind
    j[n + 1] = address
    j[n + 2] = a
    j[n + 3] = b
    this.journalLength = n + 4
  }

  private markDirty(address: bigint, a: Account): void {
    if (a.dirty) return
    a.dirty = true
    this.dirtyList.push(address)
  }

  private deleteAccount(address: bigint): void {
    if (this.accounts.delete(address)) this.dirtyList.push(address)
    if (this.sourced) this.absent.add(address)
  }

  private clearTransaction(): void {
    this.journalLength = 0
    // A huge transaction's journal is let go rather than kept (with what it references).
    if (this.journal.length > 1 << 16) this.journal.length = 0
    this.created.clear()
    this.touched.clear()
    this.warmAccounts.clear()
    this.warmSlots.clear()
    this.transient.clear()
    this.originals.clear()
  }

  private assertIdle(what: string): void {
    // The usual way here is set-up code: setBalance/setCode are journaled like the EVM's own
    // writes, so a state built with them is "in a transaction" until endTransaction. Say so.
    if (this.journalLength > 0)
      throw new StateError(
        'IN_TRANSACTION',
        `${what} is only allowed between transactions: journaled changes are not ended yet (writes such as setBalance and setCode are journaled outside a transaction too); call endTransaction([], false) after setting up, or set up with loadAlloc`,
        { what },
      )
  }
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}
