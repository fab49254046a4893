import { Blockchain, BlockError, decodeBlock, defaultVm, encodeBlock, headerHash } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import type { Genesis } from './genesis.js'

/**
 * What the commands need of a chain on disk. The app stays a thin shell over this seam; the
 * storage (blocks, receipts, indexes, head pointers, archive state, atomic per-block commits)
 * is the chain database's.
 */
export interface NodeChain {
  readonly genesisHash: Uint8Array
  head(): { number: bigint; hash: Uint8Array }
  /** Whether a block with this hash is stored. */
  hasBlock(hash: Uint8Array): boolean
  /**
   * Validates, executes and commits one block (RLP). A refused block throws
   * {@link BlockError} and changes nothing.
   */
  importBlock(rlp: Uint8Array): Promise<ImportedBlock>
  /** The RLP of the canonical block at `number`. */
  canonicalBlockRlp(number: bigint): Promise<Uint8Array | undefined>
  /** Entries by kind, for `db inspect`. */
  inspect(): Promise<EntryStats[]>
  close(): Promise<void>
}

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

/** A chain in memory for one process (what the app runs on until the chain database is in). */
export class MemoryChain implements NodeChain {
  private readonly blockchain: Blockchain
  readonly genesisHash: Uint8Array

  constructor(genesis: Genesis) {
    this.blockchain = new Blockchain({
      chain: genesis.chain,
      genesis: genesis.header,
      state: genesis.state,
      vm: defaultVm,
    })
    this.genesisHash = genesis.hash
  }

  head() {
    const head = this.blockchain.head
    return { number: head.block.header.number, hash: head.hash }
  }

  hasBlock(hash: Uint8Array): boolean {
    return this.blockchain.getBlock(hash) !== undefined
  }

  async importBlock(rlp: Uint8Array): Promise<ImportedBlock> {
    const block = decodeBlock(rlp)
    const hash = headerHash(block.header)
    const number = block.header.number
    try {
      const result = this.blockchain.importDecoded(block, rlp.length)
      return {
        number,
        hash,
        known: result.known,
        txs: block.transactions.length,
        gasUsed: block.header.gasUsed,
      }
    } catch (error) {
      if (error instanceof BlockError) Object.assign(error.details, { number, hash: bytesToHex(hash) })
      throw error
    }
  }

  async canonicalBlockRlp(number: bigint): Promise<Uint8Array | undefined> {
    const stored = this.blockchain.getCanonicalBlock(number)
    return stored && encodeBlock(stored.block)
  }

  async inspect(): Promise<EntryStats[]> {
    return []
  }

  async close(): Promise<void> {}
}
