import type { Block, BlockchainOptions, BlockHeader, BlockState, StoredBlock } from '@crucible/block'
import { Blockchain } from '@crucible/block'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import { bytesToHex } from '@crucible/primitives'
import type { StateDatabase } from '@crucible/state'
import { decodeTransaction, transactionHash } from '@crucible/tx'

/**
 * A block the chain holds, with its receipts (the shape of `@crucible/block`'s `StoredBlock`).
 * `senders`, by transaction index, names senders that are not recovered from the signature
 * (a dev node's impersonated transactions).
 */
export type ChainBlock = StoredBlock & { senders?: readonly (bigint | undefined)[] }

/**
 * The state at a block as the handlers read it: the EVM host (a mutable copy: calls and
 * simulations write to it and the chain never sees it) plus what proofs and roots need.
 */
export interface ChainState extends BlockState {
  /** Storage root of one account. */
  storageRoot(address: bigint): Uint8Array
  /** Every account, for the account trie of `eth_getProof`. */
  addresses(): Iterable<bigint>
  /** Every non-zero slot of an account, for its storage trie. */
  storageEntries(address: bigint): Iterable<[bigint, bigint]>
  /**
   * The EIP-1186 proof nodes of an account and of some of its slots, read from the stored
   * tries (a database-backed state, as opened). Absent: `eth_getProof` rebuilds the tries from
   * {@link addresses} and {@link storageEntries}, which only a state held whole in memory can.
   */
  proof?(address: bigint, slots: readonly bigint[]): { account: Uint8Array[]; storage: Uint8Array[][] }
}

/** Where a transaction sits. */
export interface TransactionLocation {
  block: ChainBlock
  index: number
}

/**
 * What the JSON-RPC handlers need from a chain, and nothing more: canonical blocks by
 * number, any block by hash, the head and the consensus layer's safe and finalized blocks,
 * transaction lookup, the state after a block, and the rules in force. `@crucible/block`'s
 * `Blockchain` provides it through {@link MemoryChain}; `DatabaseChain` (db-chain.ts) serves a
 * Blockchain on `@crucible/chaindb` from the database's indexes and stored tries.
 */
export interface ChainReader {
  readonly config: ChainConfig
  /** The canonical head (`latest`). */
  head(): ChainBlock
  genesis(): ChainBlock
  /** The safe block set by the last forkchoice update, if any. */
  safe(): ChainBlock | undefined
  finalized(): ChainBlock | undefined
  blockByNumber(number: bigint): ChainBlock | undefined
  blockByHash(hash: Uint8Array): ChainBlock | undefined
  isCanonical(block: ChainBlock): boolean
  /** A canonical transaction by hash. */
  transaction(hash: Uint8Array): TransactionLocation | undefined
  /**
   * A mutable copy of the state after `block`. BLOCKHASH answers from `blockHash` when given
   * (simulations build blocks past the chain), else from the block and its ancestors.
   */
  stateAt(block: ChainBlock, blockHash?: (number: bigint) => bigint): ChainState
  /** The rules a block with this header runs under (as a child of its parent). */
  rules(block: Block): ForkRules
  /**
   * The canonical header at `number` alone, when the chain can read it more cheaply than the
   * block (a database): `eth_getLogs` tests its bloom before it loads the block and receipts.
   */
  canonicalHeader?(number: bigint): BlockHeader | undefined
  /** geth's `mergeNetsplitBlock`, which counts in the EIP-2124 fork id. */
  readonly mergeNetsplitBlock?: bigint
  /**
   * The stored state of every block (trie nodes and code by hash), when the chain keeps one
   * (a database: an archive): `debug_executionWitness` records from it. Without it the
   * parent's state is written out in memory first.
   */
  readonly stateDatabase?: StateDatabase
}

/** Outcome of importing a block through the Engine API or block building. */
export type ImportOutcome = { ok: true; hash: Uint8Array } | { ok: false; error: string }

/** A chain that also takes blocks and forkchoice updates (Engine API, `testing_buildBlockV1`). */
export interface ChainWriter extends ChainReader {
  importBlock(block: Block, size?: number): ImportOutcome
  /** Sets the head, safe and finalized blocks; false when one of them is not known. */
  forkchoice(head: Uint8Array, safe?: Uint8Array, finalized?: Uint8Array): boolean
}

/**
 * {@link ChainWriter} over `@crucible/block`'s {@link Blockchain} on any store. Transaction
 * lookups come from an index it builds in memory; safe and finalized live in memory.
 */
export class MemoryChain implements ChainWriter {
  readonly blockchain: Blockchain
  mergeNetsplitBlock?: bigint
  private safeBlock: ChainBlock | undefined
  private finalizedBlock: ChainBlock | undefined
  private readonly txIndex = new Map<string, { key: string; index: number }>()
  private indexedTo = -1n

  constructor(source: Blockchain | BlockchainOptions) {
    this.blockchain = source instanceof Blockchain ? source : new Blockchain(source)
  }

  get config(): ChainConfig {
    return this.blockchain.chain
  }
  head(): ChainBlock {
    return this.blockchain.head
  }
  genesis(): ChainBlock {
    return this.blockchain.genesis
  }
  safe(): ChainBlock | undefined {
    return this.safeBlock
  }
  finalized(): ChainBlock | undefined {
    return this.finalizedBlock
  }
  blockByNumber(number: bigint): ChainBlock | undefined {
    return this.blockchain.getCanonicalBlock(number)
  }
  blockByHash(hash: Uint8Array): ChainBlock | undefined {
    return this.blockchain.getBlock(hash)
  }
  isCanonical(block: ChainBlock): boolean {
    return this.blockchain.getCanonicalBlock(block.block.header.number)?.key === block.key
  }
  transaction(hash: Uint8Array): TransactionLocation | undefined {
    this.indexTransactions()
    const found = this.txIndex.get(bytesToHex(hash))
    if (!found) return undefined
    const block = this.blockchain.getBlock(found.key)
    if (!block || !this.isCanonical(block)) return undefined
    return { block, index: found.index }
  }
  stateAt(block: ChainBlock, blockHash?: (number: bigint) => bigint): ChainState {
    return this.blockchain.stateAt(block, blockHash)
  }
  rules(block: Block): ForkRules {
    const parent = block.header.number === 0n ? undefined : this.blockchain.getBlock(block.header.parentHash)
    return this.blockchain.rulesFor(block.header, parent)
  }

  importBlock(block: Block, size?: number): ImportOutcome {
    try {
      const result = this.blockchain.importDecoded(block, size)
      return { ok: true, hash: result.hash }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) }
    }
  }

  forkchoice(head: Uint8Array, safe?: Uint8Array, finalized?: Uint8Array): boolean {
    const blocks = this.forkchoiceBlocks(head, safe, finalized)
    if (!blocks) return false
    // The chain makes every post-merge block the head on import; a forkchoice to another
    // known block is taken as is for safe/finalized.
    if (blocks.safe) this.safeBlock = blocks.safe
    if (blocks.finalized) this.finalizedBlock = blocks.finalized
    return true
  }

  /**
   * The blocks a forkchoice update names (a zero hash: none), or undefined when one of them
   * is not known.
   */
  protected forkchoiceBlocks(
    head: Uint8Array,
    safe?: Uint8Array,
    finalized?: Uint8Array,
  ): { head: ChainBlock; safe?: ChainBlock; finalized?: ChainBlock } | undefined {
    const h = this.blockchain.getBlock(head)
    const s = safe && !isZero(safe) ? this.blockchain.getBlock(safe) : undefined
    const f = finalized && !isZero(finalized) ? this.blockchain.getBlock(finalized) : undefined
    if (!h || (safe && !isZero(safe) && !s) || (finalized && !isZero(finalized) && !f)) return undefined
    return { head: h, ...(s ? { safe: s } : {}), ...(f ? { finalized: f } : {}) }
  }

  /** Indexes the canonical transactions of blocks not indexed yet. */
  private indexTransactions(): void {
    const top = this.blockchain.head.block.header.number
    if (top < this.indexedTo) {
      this.txIndex.clear()
      this.indexedTo = -1n
    }
    for (let n = this.indexedTo + 1n; n <= top; n++) {
      const b = this.blockchain.getCanonicalBlock(n)
      if (!b) break
      b.block.transactions.forEach((bytes, index) => {
        this.txIndex.set(bytesToHex(transactionHash(decodeTransaction(bytes))), { key: b.key, index })
      })
      this.indexedTo = n
    }
  }
}

function isZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false
  return true
}
