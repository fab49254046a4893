import {
  Blockchain,
  type BlockchainOptions,
  BlockError,
  decodeBlock,
  defaultVm,
  headerHash,
} from '@crucible/block'
import { type ChainDb, ChainDbStore, databaseStats } from '@crucible/chaindb'
import { bytesToHex } from '@crucible/primitives'

/** Queued bytes after which the importer waits for the database (back-pressure). */
const FLUSH_BYTES = 64 << 20

export interface ImportedBlock {
  number: bigint
  hash: Uint8Array
  /** True when the block was already stored (nothing done). */
  known: boolean
  txs: number
  gasUsed: bigint
}

export interface EntryStats {
  kind: string
  count: number
  bytes: number
}

/**
 * The chain of a datadir: `@crucible/block`'s `Blockchain` over `@crucible/chaindb` (one atomic
 * write batch per block). The app stays a thin shell over this; storage is the packages'.
 */
export class NodeChain {
  readonly blockchain: Blockchain
  readonly db: ChainDb
  /** geth's `mergeNetsplitBlock` of the genesis config, when it has one (EIP-2124 fork id). */
  mergeNetsplitBlock?: bigint

  constructor(db: ChainDb, blockchain: Blockchain) {
    this.db = db
    this.blockchain = blockchain
  }

  get genesisHash(): Uint8Array {
    return this.blockchain.genesis.hash
  }

  head(): { number: bigint; hash: Uint8Array } {
    const head = this.blockchain.head
    return { number: head.block.header.number, hash: head.hash }
  }

  /**
   * Validates, executes and commits one block (RLP). A refused block throws {@link BlockError}
   * (with its number and hash in the details) and changes nothing.
   */
  async importBlock(rlp: Uint8Array): Promise<ImportedBlock> {
    const block = decodeBlock(rlp)
    let result: ReturnType<Blockchain['importDecoded']>
    try {
      result = this.blockchain.importDecoded(block, rlp.length)
    } catch (error) {
      if (error instanceof BlockError)
        Object.assign(error.details, {
          number: block.header.number,
          hash: bytesToHex(headerHash(block.header)),
        })
      throw error
    }
    // Let the database's write-behind queue land what is queued (its writes run on libuv's
    // threads while the next block executes); wait for it only when it falls far behind.
    if (this.db.pendingBytes > FLUSH_BYTES) await this.db.flush()
    else await new Promise<void>((resolve) => setImmediate(resolve))
    return {
      number: block.header.number,
      hash: result.hash,
      known: result.known,
      txs: block.transactions.length,
      gasUsed: block.header.gasUsed,
    }
  }

  /** The RLP of the canonical block at `number`, as stored. */
  canonicalBlockRlp(number: bigint): Uint8Array | undefined {
    const hash = this.db.getCanonicalHash(number)
    return hash && this.db.getBlockRlp(hash)
  }

  /** Entries by kind (a full scan), for `db inspect`. */
  async inspect(): Promise<EntryStats[]> {
    await this.db.flush()
    return (await databaseStats(this.db.kv)).map((e) => ({ kind: e.name, count: e.count, bytes: e.bytes }))
  }

  /** Writes what is queued and closes the database. */
  async close(): Promise<void> {
    await this.db.close()
  }
}

/** Opens the chain over a chain database, for the genesis described by `genesis`. */
export function chainOver(
  db: ChainDb,
  options: Omit<BlockchainOptions, 'store' | 'vm'>,
  config?: { mergeNetsplitBlock?: unknown },
): NodeChain {
  const chain = new NodeChain(db, new Blockchain({ ...options, vm: defaultVm, store: new ChainDbStore(db) }))
  const netsplit = config?.mergeNetsplitBlock
  if (typeof netsplit === 'number' || typeof netsplit === 'string')
    chain.mergeNetsplitBlock = BigInt(netsplit)
  return chain
}
