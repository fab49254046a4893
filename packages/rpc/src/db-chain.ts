import {
  type Block,
  Blockchain,
  type BlockchainOptions,
  type BlockHeader,
  defaultVm,
  encodeBlock,
} from '@crucible/block'
import { type ChainDb, ChainDbStore } from '@crucible/chaindb'
import { accountKey, type StateDatabase, slotKey } from '@crucible/state'
import { createProof, Trie } from '@crucible/trie'
import {
  type ChainBlock,
  type ChainState,
  type ImportOutcome,
  MemoryChain,
  type TransactionLocation,
} from './chain.js'

/** What an import through the chain (Engine API, block building) reports to a listener. */
export interface ImportEvent {
  block: Block
  outcome: ImportOutcome
  /** Wall time of validation, execution and commit, in milliseconds. */
  elapsedMs: number
}

export interface DatabaseChainOptions {
  /** geth's `mergeNetsplitBlock` (EIP-2124 fork id). */
  mergeNetsplitBlock?: bigint
  /** Called after every block given to {@link DatabaseChain.importBlock}. */
  onImport?: (event: ImportEvent) => void
}

/**
 * The chain of a `@crucible/chaindb` database, as the handlers read it: `Blockchain` on a
 * `ChainDbStore` (blocks decoded on demand, the last 512 kept), with what a chain too big for
 * memory needs from the database itself: transaction lookups from its index, safe and
 * finalized from its pointers (they survive a restart), `eth_getLogs` header blooms without
 * loading blocks, and `eth_getProof` from the stored tries of any past block (archive).
 *
 * Reads see whole blocks only: an import validates, executes and commits synchronously and
 * moves the head last, and every handler runs synchronously, so no read runs in the middle of
 * an import; queued writes are served from the database's overlay until they land.
 */
export class DatabaseChain extends MemoryChain {
  readonly db: ChainDb
  private readonly onImport: ((event: ImportEvent) => void) | undefined

  constructor(blockchain: Blockchain, db: ChainDb, options: DatabaseChainOptions = {}) {
    super(blockchain)
    this.db = db
    this.onImport = options.onImport
    if (options.mergeNetsplitBlock !== undefined) this.mergeNetsplitBlock = options.mergeNetsplitBlock
  }

  /**
   * Opens the chain in `db` (a new database gets the genesis block and `options.state`; one
   * holding a chain resumes at its head).
   */
  static open(
    db: ChainDb,
    chain: Omit<BlockchainOptions, 'store' | 'vm'>,
    options?: DatabaseChainOptions,
  ): DatabaseChain {
    const blockchain = new Blockchain({ ...chain, vm: defaultVm, store: new ChainDbStore(db) })
    return new DatabaseChain(blockchain, db, options)
  }

  /** The chain database's archive state: execution witnesses are recorded from it. */
  get stateDatabase(): StateDatabase {
    return this.db.state
  }

  override safe(): ChainBlock | undefined {
    const hash = this.db.getSafeHash()
    return hash && this.blockByHash(hash)
  }

  override finalized(): ChainBlock | undefined {
    const hash = this.db.getFinalizedHash()
    return hash && this.blockByHash(hash)
  }

  override transaction(hash: Uint8Array): TransactionLocation | undefined {
    const location = this.db.getTransactionLocation(hash)
    const block = location && this.blockByHash(location.blockHash)
    return block && { block, index: location!.index }
  }

  canonicalHeader(number: bigint): BlockHeader | undefined {
    return this.db.getHeaderByNumber(number)
  }

  override stateAt(block: ChainBlock, blockHash?: (number: bigint) => bigint): ChainState {
    const state = super.stateAt(block, blockHash)
    const root = block.block.header.stateRoot
    const nodes = this.db.state
    // Proofs come from the tries as stored at the block: callers may change the state they
    // were given (calls do), the stored tries stay what the block committed.
    return Object.assign(state, {
      proof: (address: bigint, slots: readonly bigint[]) => {
        const storageRoot = super.stateAt(block).storageRoot(address)
        return {
          account: storedProof(nodes, root, accountKey(address)),
          storage: slots.map((slot) => storedProof(nodes, storageRoot, slotKey(slot))),
        }
      },
    })
  }

  override importBlock(block: Block, size?: number): ImportOutcome {
    const started = performance.now()
    const outcome = super.importBlock(block, size ?? encodeBlock(block).length)
    this.onImport?.({ block, outcome, elapsedMs: performance.now() - started })
    return outcome
  }

  override forkchoice(head: Uint8Array, safe?: Uint8Array, finalized?: Uint8Array): boolean {
    const blocks = this.forkchoiceBlocks(head, safe, finalized)
    if (!blocks) return false
    if (blocks.safe) this.db.setSafeHash(blocks.safe.hash)
    if (blocks.finalized) this.db.setFinalizedHash(blocks.finalized.hash)
    return true
  }
}

const READ_ONLY = { put() {} }

/** The proof nodes of `key` (already in trie form) in the trie stored at `root`. */
function storedProof(nodes: StateDatabase, root: Uint8Array, key: Uint8Array): Uint8Array[] {
  const trie = new Trie({ store: { ...READ_ONLY, get: (hash) => nodes.getNode(hash) }, root })
  return createProof(trie, key)
}
