import { type ChainConfig, Fork, type ForkRules, rulesAt } from '@crucible/forks'
import { bytesToBigInt, bytesToHex, equalBytes } from '@crucible/primitives'
import { type StateSnapshot, WorldState } from '@crucible/state'
import { type Block, decodeBlock } from '../body/block.js'
import { validateBody } from '../body/validate.js'
import { BlockError } from '../errors.js'
import { executeBlock } from '../exec/apply.js'
import { validateResult } from '../exec/validate.js'
import type { Vm } from '../exec/vm.js'
import { type BlockHeader, headerHash } from '../header/header.js'
import { type HeaderContext, validateHeader } from '../header/validate.js'
import { type ChainStore, MemoryChainStore, type StoredBlock } from './store.js'
import { validateUncles } from './uncles.js'

/** BLOCKHASH reaches this many ancestors back. */
const BLOCKHASH_WINDOW = 256n

export interface BlockchainOptions {
  chain: ChainConfig
  /** The genesis block (a header alone means no transactions, uncles or withdrawals). */
  genesis: Block | BlockHeader
  /** The genesis post-state. Its root must equal the genesis header's state root. */
  state: WorldState
  vm: Vm
  store?: ChainStore
}

/** What happened to an imported block. */
export interface ImportResult {
  hash: Uint8Array
  /** True when the block is now the canonical head. */
  head: boolean
  /** True when the block was already known (nothing done). */
  known: boolean
}

function isBlock(value: Block | BlockHeader): value is Block {
  return 'header' in value
}

/**
 * A block tree from a genesis, with the canonical head. Every imported block is validated
 * (header against its parent, body, uncles, execution on the parent's post-state) before it
 * is stored; an invalid block throws {@link BlockError} and changes nothing.
 *
 * Fork choice: before the merge the heaviest total difficulty wins (on a tie, the lower
 * block, as geth does, else the current head stays); a post-merge block becomes the head when
 * it is imported, which is what a node does once the consensus layer names it (and what the
 * blockchain fixtures' `lastblockhash` expects).
 */
export class Blockchain {
  readonly chain: ChainConfig
  readonly store: ChainStore
  private readonly vm: Vm
  private headBlock: StoredBlock
  /** Canonical block keys by number, kept in step with the head. */
  private readonly canonical = new Map<bigint, string>()
  readonly genesis: StoredBlock
  private readonly world: WorldState
  private blockHashTip: StoredBlock | undefined
  private blockHashCache: Map<bigint, bigint> | undefined

  constructor(options: BlockchainOptions) {
    this.chain = options.chain
    this.vm = options.vm
    this.store = options.store ?? new MemoryChainStore()
    this.world = new WorldState({ blockHash: (number) => this.blockHash(number) })
    const block: Block = isBlock(options.genesis)
      ? options.genesis
      : { header: options.genesis, transactions: [], uncles: [] }
    const root = options.state.stateRoot()
    if (!equalBytes(root, block.header.stateRoot)) {
      throw new BlockError('INVALID_STATE_ROOT', 'genesis state does not match the genesis header', {
        got: bytesToHex(root),
        header: bytesToHex(block.header.stateRoot),
      })
    }
    const hash = headerHash(block.header)
    const stored: StoredBlock = {
      hash,
      key: bytesToHex(hash),
      block,
      totalDifficulty: block.header.difficulty,
      receipts: [],
    }
    this.store.putBlock(stored)
    this.store.putState(bytesToHex(root), options.state.snapshot())
    this.genesis = stored
    this.headBlock = stored
    this.canonical.set(0n, stored.key)
  }

  /** The canonical head. */
  get head(): StoredBlock {
    return this.headBlock
  }

  getBlock(hash: Uint8Array | string): StoredBlock | undefined {
    return this.store.getBlock(typeof hash === 'string' ? hash.toLowerCase() : bytesToHex(hash))
  }

  /** The canonical block at `number`. */
  getCanonicalBlock(number: bigint): StoredBlock | undefined {
    const key = this.canonical.get(number)
    return key === undefined ? undefined : this.store.getBlock(key)
  }

  /** Makes `stored` the head: drops canonical entries above it and rewrites them back to the fork point. */
  private setHead(stored: StoredBlock): void {
    for (let n = this.headBlock.block.header.number; n > stored.block.header.number; n--)
      this.canonical.delete(n)
    let b: StoredBlock | undefined = stored
    while (b && this.canonical.get(b.block.header.number) !== b.key) {
      this.canonical.set(b.block.header.number, b.key)
      b = this.parentOf(b)
    }
    this.headBlock = stored
  }

  /**
   * A mutable copy of the post-state of a stored block, with BLOCKHASH answering from the
   * block and its ancestors (as for a block built on it): for reads, calls and block building.
   * Changes to it never reach the stored state.
   */
  stateAt(block: StoredBlock): WorldState {
    const snapshot = this.store.getState(bytesToHex(block.block.header.stateRoot))
    if (!snapshot) throw new BlockError('UNKNOWN_PARENT', 'post-state of the block is not kept')
    const hashes = this.ancestorHashes(block)
    const state = new WorldState({ blockHash: (number) => hashes.get(number) ?? 0n })
    state.restore(snapshot)
    return state
  }

  /** Hashes of `tip` and its ancestors within the BLOCKHASH window, by number. */
  private ancestorHashes(tip: StoredBlock): Map<bigint, bigint> {
    const cache = new Map<bigint, bigint>()
    let b: StoredBlock | undefined = tip
    for (let i = 0n; b && i < BLOCKHASH_WINDOW; i++) {
      cache.set(b.block.header.number, bytesToBigInt(b.hash))
      b = this.parentOf(b)
    }
    return cache
  }

  /** Whether a block's parent is past the terminal total difficulty (the merge by difficulty). */
  private mergedAfter(parent: StoredBlock): boolean {
    const ttd = this.chain.terminalTotalDifficulty
    return ttd !== undefined && parent.totalDifficulty >= ttd
  }

  /** The rules for a child of `parent` with this header. */
  rulesFor(header: BlockHeader, parent: StoredBlock | undefined): ForkRules {
    const merged = parent !== undefined && this.mergedAfter(parent)
    return rulesAt(this.chain, header.number, header.timestamp, merged)
  }

  private parentOf(stored: StoredBlock): StoredBlock | undefined {
    return stored.block.header.number === 0n ? undefined : this.getBlock(stored.block.header.parentHash)
  }

  private context(header: BlockHeader, parent: StoredBlock): HeaderContext {
    const grandparent = this.parentOf(parent)
    const ctx: HeaderContext = {
      rules: this.rulesFor(header, parent),
      parentRules: this.rulesFor(parent.block.header, grandparent),
    }
    if (this.chain.daoForkBlock !== undefined) ctx.daoForkBlock = this.chain.daoForkBlock
    return ctx
  }

  /**
   * Loads a stored post-state into the chain's working state (one instance reused for every
   * import; snapshots are copy-on-write, so the stored ones are never written through), with
   * BLOCKHASH answering from `tip` and its ancestors.
   */
  private openState(snapshot: StateSnapshot, tip: StoredBlock): WorldState {
    this.blockHashTip = tip
    this.blockHashCache = undefined
    this.world.restore(snapshot)
    return this.world
  }

  /** BLOCKHASH for the block being imported: ancestors of its parent within 256 blocks. */
  private blockHash(number: bigint): bigint {
    if (!this.blockHashCache)
      this.blockHashCache = this.blockHashTip ? this.ancestorHashes(this.blockHashTip) : new Map()
    return this.blockHashCache.get(number) ?? 0n
  }

  /** Decodes and imports a block given as RLP. */
  importBlock(rlp: Uint8Array): ImportResult {
    // A subclass (Node's Buffer) would leak into every decoded field; plain bytes only.
    const bytes = rlp.constructor === Uint8Array ? rlp : new Uint8Array(rlp)
    return this.importDecoded(decodeBlock(bytes), bytes.length)
  }

  /** Imports a decoded block; `size` is its RLP length when known (for EIP-7934). */
  importDecoded(block: Block, size?: number): ImportResult {
    const header = block.header
    const hash = headerHash(header)
    const key = bytesToHex(hash)
    if (this.store.getBlock(key)) return { hash, head: key === this.headBlock.key, known: true }
    const parent = this.getBlock(header.parentHash)
    if (!parent)
      throw new BlockError('UNKNOWN_PARENT', 'parent block is not known', {
        parentHash: bytesToHex(header.parentHash),
      })
    const context = this.context(header, parent)
    validateHeader(header, parent.block.header, context)
    validateBody(block, context.rules, size)
    if (block.uncles.length > 0) {
      const ancestors: StoredBlock[] = []
      for (let b: StoredBlock | undefined = parent; b && ancestors.length < 7; b = this.parentOf(b))
        ancestors.push(b)
      validateUncles(header, block.uncles, ancestors, (uncle) => {
        const uncleParent = this.getBlock(uncle.parentHash)!
        return this.context(uncle, uncleParent)
      })
    }
    const snapshot = this.store.getState(bytesToHex(parent.block.header.stateRoot))
    if (!snapshot) throw new BlockError('UNKNOWN_PARENT', 'post-state of the parent is not kept')
    const state = this.openState(snapshot, parent)
    const result = executeBlock(block, state, { chain: this.chain, rules: context.rules, vm: this.vm })
    validateResult(header, result)

    const stored: StoredBlock = {
      hash,
      key,
      block,
      totalDifficulty: parent.totalDifficulty + header.difficulty,
      receipts: result.receipts,
    }
    if (result.requests) stored.requests = result.requests
    this.store.putBlock(stored)
    this.store.putState(bytesToHex(result.stateRoot), state.snapshot())

    const head = this.headBlock
    let becomesHead: boolean
    if (context.rules.gte(Fork.Paris)) becomesHead = true
    else if (stored.totalDifficulty !== head.totalDifficulty)
      becomesHead = stored.totalDifficulty > head.totalDifficulty
    else becomesHead = header.number < head.block.header.number
    if (becomesHead) this.setHead(stored)
    return { hash, head: becomesHead, known: false }
  }
}
