import type { ChainStore, HeadChange, StoredBlock } from '@crucible/block'
import { bytesToHex, equalBytes, hexToBytes, KECCAK256_RLP_EMPTY } from '@crucible/primitives'
import type { WorldState, WorldStateOptions } from '@crucible/state'
import { type ChainDb, ChainDbError } from './chaindb.js'

/**
 * `@crucible/block`'s {@link ChainStore} over a {@link ChainDb}: what lets `Blockchain` import
 * into the database. Each accepted block is one atomic batch (state nodes and code, block,
 * receipts, indexes, head). Recently stored blocks are kept as objects, so the parent and
 * ancestor lookups of the next import decode nothing.
 */
export class ChainDbStore implements ChainStore {
  readonly db: ChainDb
  readonly #recent = new Map<string, StoredBlock>()
  readonly #recentLimit: number
  readonly #maxAccounts: number

  /**
   * `recentBlocks`: stored blocks kept as objects (default 512). `maxAccounts`: past this many
   * accounts in memory the working state is released after a commit (default 100,000).
   */
  constructor(db: ChainDb, options?: { recentBlocks?: number; maxAccounts?: number }) {
    this.db = db
    this.#recentLimit = options?.recentBlocks ?? 512
    this.#maxAccounts = options?.maxAccounts ?? 100_000
  }

  getBlock(key: string): StoredBlock | undefined {
    const recent = this.#recent.get(key)
    if (recent !== undefined) return recent
    const stored = this.db.getStoredBlock(hexToBytes(key))
    if (stored !== undefined) this.#remember(stored)
    return stored
  }

  hasBlock(key: string): boolean {
    return this.#recent.has(key) || this.db.getBlockNumber(hexToBytes(key)) !== undefined
  }

  getCanonicalKey(number: bigint): string | undefined {
    const hash = this.db.getCanonicalHash(number)
    return hash === undefined ? undefined : bytesToHex(hash)
  }

  getHead(): StoredBlock | undefined {
    const hash = this.db.getHeadHash()
    return hash === undefined ? undefined : this.getBlock(bytesToHex(hash))
  }

  openState(stateRoot: Uint8Array, options: WorldStateOptions): WorldState | undefined {
    if (!this.db.hasState(stateRoot)) return undefined
    return this.db.openState(stateRoot, { blockHash: options.blockHash })
  }

  commit(block: StoredBlock, state: WorldState, head: HeadChange | undefined): void {
    let changes: ReturnType<WorldState['persistChanges']>
    if (state.database === this.db.state) changes = state.persistChanges()
    else {
      // A state built in memory (a genesis allocation): write it out through a stored state.
      const stored = this.db.openState(KECCAK256_RLP_EMPTY)
      stored.loadAlloc(state.dumpAlloc())
      changes = stored.persistChanges()
    }
    if (!equalBytes(changes.root, block.block.header.stateRoot))
      throw new ChainDbError('STATE_NOT_KEPT', 'the state to commit does not have the block state root', {
        block: block.key,
        stateRoot: bytesToHex(changes.root),
      })
    this.db.commitBlock(block, changes, head)
    this.#remember(block)
    // Everything is persisted: past the limit the working state lets its cache go.
    if (state.database === this.db.state && state.accountsInMemory > this.#maxAccounts) state.releaseMemory()
  }

  #remember(block: StoredBlock): void {
    if (this.#recent.size >= this.#recentLimit) {
      const oldest = this.#recent.keys().next().value
      if (oldest !== undefined) this.#recent.delete(oldest)
    }
    this.#recent.set(block.key, block)
  }
}
