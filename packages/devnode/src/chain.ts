import type { Block, StoredBlock } from '@crucible/block'
import { type ChainDb, ChainDbStore, keys, PREFIX } from '@crucible/chaindb'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import { rulesAt } from '@crucible/forks'
import { type KvStore, WriteBatch } from '@crucible/kv'
import {
  bytesToHex,
  bytesToUtf8,
  CrucibleError,
  concatBytes,
  equalBytes,
  hexToBigInt,
  utf8ToBytes,
} from '@crucible/primitives'
import type { ChainBlock, ChainState, ChainWriter, ImportOutcome, TransactionLocation } from '@crucible/rpc'
import type { WorldState } from '@crucible/state'
import type { ForkState } from './fork.js'
import type { DevGenesis } from './genesis.js'

const SENDERS = concatBytes(Uint8Array.of(PREFIX.meta), utf8ToBytes('dev:i:'))
const sendersKey = (hash: Uint8Array) => concatBytes(SENDERS, hash)

/**
 * The chain of a dev node, over `@crucible/chaindb` (LevelDB, or `MemoryKv` for a throwaway
 * one): what the JSON-RPC handlers read ({@link ChainWriter}), plus what a dev node does that a
 * validating chain does not — commit blocks it built itself, move the head back (snapshots,
 * rollback), and keep a **pending state**: the head's post-state with the out-of-band changes
 * (`anvil_setBalance`, ...) made since, which `latest` reads and the next block builds on.
 * Every post-state stays in the database (archive), so moving the head back is a pointer write.
 */
export class DevChain implements ChainWriter {
  readonly db: ChainDb
  readonly config: ChainConfig
  readonly #store: ChainDbStore
  #genesis: StoredBlock
  #head: StoredBlock
  /** Root of the pending state, persisted (its nodes are in the database). */
  #pendingRoot: Uint8Array
  /** The pending state itself, kept between blocks (what execution runs on). */
  #working: WorldState | undefined
  /** Senders of impersonated transactions (no real signature), by block key. */
  readonly #senders = new Map<string, (bigint | undefined)[]>()
  /** A forked chain's upstream at the fork block: the state below every post-state here. */
  readonly fork: ForkState | undefined
  /**
   * Root of the genesis block's state here. A forked chain's first block is the upstream's
   * fork block, whose header names the upstream's state root; its state here is the trie of
   * what the fork changed (the dev accounts' balances), empty otherwise.
   */
  readonly #genesisRoot: Uint8Array

  private constructor(
    db: ChainDb,
    config: ChainConfig,
    genesis: StoredBlock,
    head: StoredBlock,
    fork?: { state: ForkState; root: Uint8Array },
  ) {
    this.db = db
    this.config = config
    this.#store = new ChainDbStore(db)
    this.#genesis = genesis
    this.#head = head
    this.fork = fork?.state
    this.#genesisRoot = fork?.root ?? genesis.block.header.stateRoot
    this.#pendingRoot = this.rootOf(head)
  }

  /**
   * Opens a forked dev chain: `genesis` is the upstream's fork block, already in `db` (see
   * {@link commitForkGenesis}), and `root` the root of its state here.
   */
  static openFork(
    db: ChainDb,
    config: ChainConfig,
    genesis: Uint8Array,
    root: Uint8Array,
    fork: ForkState,
  ): DevChain {
    const store = new ChainDbStore(db)
    const stored = store.getBlock(bytesToHex(genesis))
    const head = store.getHead()
    if (!stored || !head)
      throw new DevChainError('GENESIS_MISMATCH', 'the database does not hold the fork block', {
        given: bytesToHex(genesis),
      })
    return new DevChain(db, config, stored, head, { state: fork, root })
  }

  /** Stores a forked chain's first block (the upstream's fork block) with its state here. */
  static commitForkGenesis(db: ChainDb, stored: StoredBlock, state: WorldState): Uint8Array {
    const changes = state.persistChanges()
    db.commitBlock(stored, changes, { head: stored, canonical: [stored] })
    return changes.root
  }

  /** The root of a block's post-state in this database (the fork block's is not its header's). */
  rootOf(block: ChainBlock): Uint8Array {
    return block.key === this.#genesis.key ? this.#genesisRoot : block.block.header.stateRoot
  }

  /**
   * Opens the dev chain in `db`: a database that already holds a chain must hold this genesis
   * and resumes at its head; an empty one gets the genesis block and state.
   */
  static open(db: ChainDb, genesis: DevGenesis): DevChain {
    const stored: StoredBlock = {
      hash: genesis.hash,
      key: bytesToHex(genesis.hash),
      block: { header: genesis.header, transactions: [], uncles: [] },
      totalDifficulty: 0n,
      receipts: [],
    }
    if (genesis.header.withdrawalsRoot) stored.block.withdrawals = []
    const store = new ChainDbStore(db)
    const head = store.getHead()
    if (head === undefined) {
      store.commit(stored, genesis.state, { head: stored, canonical: [stored] })
      return new DevChain(db, genesis.chain, stored, stored)
    }
    const storedGenesis = db.getCanonicalHash(0n)
    if (!storedGenesis || !equalBytes(storedGenesis, genesis.hash))
      throw new DevChainError('GENESIS_MISMATCH', 'the database holds another chain', {
        stored: storedGenesis && bytesToHex(storedGenesis),
        given: stored.key,
      })
    return new DevChain(db, genesis.chain, store.getBlock(stored.key) ?? stored, head)
  }

  /** Reads the impersonated senders recorded by earlier runs (after the queue is flushed). */
  async loadSenders(kv: KvStore): Promise<void> {
    for await (const [key, value] of kv.iterate({ prefix: SENDERS })) {
      const list = JSON.parse(bytesToUtf8(value)) as (string | null)[]
      this.#senders.set(
        bytesToHex(key.subarray(SENDERS.length)),
        list.map((s) => (s === null ? undefined : BigInt(s))),
      )
    }
  }

  // ---- ChainReader ----------------------------------------------------------------------

  head(): ChainBlock {
    return this.#head
  }
  genesis(): ChainBlock {
    return this.#genesis
  }
  /** A dev chain is final at once: safe and finalized are the head (as in Hardhat). */
  safe(): ChainBlock {
    return this.#head
  }
  finalized(): ChainBlock {
    return this.#head
  }
  blockByNumber(number: bigint): ChainBlock | undefined {
    if (number > this.#head.block.header.number || number < 0n) return undefined
    const key = this.#store.getCanonicalKey(number)
    return key === undefined ? undefined : this.#block(key)
  }
  blockByHash(hash: Uint8Array): ChainBlock | undefined {
    return this.#block(bytesToHex(hash))
  }

  /** A stored block, with the senders of its impersonated transactions when it has some. */
  #block(key: string): ChainBlock | undefined {
    const block: ChainBlock | undefined = this.#store.getBlock(key)
    const senders = this.#senders.get(key)
    if (block && senders && !block.senders) block.senders = senders
    return block
  }
  isCanonical(block: ChainBlock): boolean {
    return (
      block.block.header.number <= this.#head.block.header.number &&
      this.#store.getCanonicalKey(block.block.header.number) === block.key
    )
  }
  transaction(hash: Uint8Array): TransactionLocation | undefined {
    const location = this.db.getTransactionLocation(hash)
    if (!location || location.blockNumber > this.#head.block.header.number) return undefined
    const block = this.#block(bytesToHex(location.blockHash))
    return block && { block, index: location.index }
  }
  /** A copy of a block's post-state; for the head, of the pending state (out-of-band changes in). */
  stateAt(block: ChainBlock, blockHash?: (number: bigint) => bigint): ChainState {
    const root = block.key === this.#head.key ? this.#pendingRoot : this.rootOf(block)
    return this.#open(root, blockHash ?? this.#canonicalHash)
  }
  rules(block: Block): ForkRules {
    return rulesAt(this.config, block.header.number, block.header.timestamp, true)
  }

  /** A dev node builds its own blocks; the Engine API is not served. */
  importBlock(): ImportOutcome {
    return { ok: false, error: 'a dev node mines its own blocks' }
  }
  forkchoice(): boolean {
    return false
  }

  #open(root: Uint8Array, blockHash: (number: bigint) => bigint): WorldState {
    return this.fork === undefined
      ? this.db.openState(root, { blockHash })
      : this.db.openState(root, { blockHash, base: this.fork })
  }

  readonly #canonicalHash = (number: bigint): bigint => {
    // Before a fork block, the upstream's chain.
    if (this.fork !== undefined && number < this.#genesis.block.header.number)
      return this.fork.blockHash(number)
    const key = this.#store.getCanonicalKey(number)
    return key === undefined || number > this.#head.block.header.number ? 0n : hexToBigInt(key)
  }

  // ---- The pending state ----------------------------------------------------------------

  get pendingRoot(): Uint8Array {
    return this.#pendingRoot
  }

  /**
   * The pending state to change or build on (kept between calls). After a failed build call
   * {@link dropWorking}: it is reopened from the persisted pending root.
   */
  working(): WorldState {
    this.#working ??= this.#open(this.#pendingRoot, this.#canonicalHash)
    return this.#working
  }

  dropWorking(): void {
    this.#working = undefined
  }

  /**
   * Persists out-of-band changes made to {@link working}: its new trie nodes and code go to
   * the database with `extra` (the dev node's record) in one atomic batch.
   */
  persistPending(extra?: WriteBatch): void {
    const state = this.working()
    const changes = state.persistChanges()
    const batch = extra ?? new WriteBatch()
    for (const [hash, enc] of changes.nodes) batch.put(keys.trieNode(hash), enc)
    for (const [hash, code] of changes.code) batch.put(keys.code(hash), code)
    this.db.write(batch)
    this.#pendingRoot = changes.root
  }

  /** Sets the pending root (a record read at start-up, a snapshot restored). */
  setPendingRoot(root: Uint8Array): void {
    if (!this.db.hasState(root))
      throw new DevChainError('STATE_NOT_KEPT', 'no state with this root', { root: bytesToHex(root) })
    this.#pendingRoot = root
    this.#working = undefined
  }

  // ---- Writes ---------------------------------------------------------------------------

  /** Commits a block built on the head from the working state; it becomes the head. */
  commit(stored: ChainBlock): void {
    const state = this.working()
    if (stored.senders) {
      // Written before the block: after a crash between the two, a record without its block
      // is harmless, a block without its record is not.
      const list = [...stored.senders]
      this.#senders.set(stored.key, list)
      this.db.write(
        new WriteBatch().put(
          sendersKey(stored.hash),
          utf8ToBytes(JSON.stringify(list.map((s) => (s === undefined ? null : `0x${s.toString(16)}`)))),
        ),
      )
    }
    this.#store.commit(stored, state, { head: stored, canonical: [stored] })
    this.#head = stored
    this.#pendingRoot = stored.block.header.stateRoot
  }

  /** Moves the head back to an earlier canonical block (its post-state becomes pending). */
  setHead(hash: Uint8Array): void {
    const block = this.#store.getBlock(bytesToHex(hash))
    if (!block || !this.isCanonical(block))
      throw new DevChainError('UNKNOWN_BLOCK', 'not a canonical block', { hash: bytesToHex(hash) })
    const batch = new WriteBatch()
    for (let n = block.block.header.number + 1n; n <= this.#head.block.header.number; n++)
      batch.delete(keys.canonical(n))
    batch.put(keys.meta('head'), block.hash)
    this.db.write(batch)
    this.#head = block
    this.#pendingRoot = this.rootOf(block)
    this.#working = undefined
  }
}

export type DevChainErrorCode = 'GENESIS_MISMATCH' | 'STATE_NOT_KEPT' | 'UNKNOWN_BLOCK'

export class DevChainError extends CrucibleError {
  override name = 'DevChainError'
  declare readonly code: DevChainErrorCode
  constructor(code: DevChainErrorCode, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}
