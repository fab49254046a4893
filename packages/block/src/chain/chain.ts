import { type ChainConfig, Fork, type ForkRules, rulesAt } from '@crucible/forks'
import { bytesToBigInt, bytesToHex, equalBytes, hexToBigInt } from '@crucible/primitives'
import type { WorldState } from '@crucible/state'
import { type Block, decodeBlock } from '../body/block.js'
import { validateBody } from '../body/validate.js'
import { BlockError } from '../errors.js'
import { executeBlock } from '../exec/apply.js'
import { validateResult } from '../exec/validate.js'
import type { Vm } from '../exec/vm.js'
import { type BlockHeader, headerHash } from '../header/header.js'
import { type HeaderContext, validateHeader } from '../header/validate.js'
import { ChainError } from './errors.js'
import { type ChainStore, type HeadChange, MemoryChainStore, type StoredBlock } from './store.js'
import { validateUncles } from './uncles.js'

/** BLOCKHASH reaches this many ancestors back. */
const BLOCKHASH_WINDOW = 256n

export interface BlockchainOptions {
  chain: ChainConfig
  /** The genesis block (a header alone means no transactions, uncles or withdrawals). */
  genesis: Block | BlockHeader
  /**
   * The genesis post-state. Its root must equal the genesis header's state root. Needed only
   * when the store holds no chain yet; a store that does resumes at its recorded head.
   */
  state?: WorldState
  vm: Vm
  /** Where blocks and states live; a {@link MemoryChainStore} when absent. */
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
  readonly genesis: StoredBlock
  /** The post-state of the last imported block, kept to execute its child without reopening. */
  private working: { state: WorldState; key: string } | undefined
  private blockHashTip: StoredBlock | undefined
  private blockHashCache: Map<bigint, bigint> | undefined
  private blockHashCanonical = false

  /**
   * Opens the chain in `store`: a store that already holds a chain must hold this genesis (else
   * a {@link ChainError} `GENESIS_MISMATCH`) and resumes at its recorded head; an empty store
   * gets the genesis block and state.
   */
  constructor(options: BlockchainOptions) {
    this.chain = options.chain
    this.vm = options.vm
    this.store = options.store ?? new MemoryChainStore()
    const block: Block = isBlock(options.genesis)
      ? options.genesis
      : { header: options.genesis, transactions: [], uncles: [] }
    const hash = headerHash(block.header)
    const stored: StoredBlock = {
      hash,
      key: bytesToHex(hash),
      block,
      totalDifficulty: block.header.difficulty,
      receipts: [],
    }
    const head = this.store.getHead()
    if (head !== undefined) {
      const storedGenesis = this.store.getCanonicalKey(0n)
      if (storedGenesis !== stored.key)
        throw new ChainError('GENESIS_MISMATCH', 'the store holds a chain with another genesis', {
          stored: storedGenesis,
          given: stored.key,
        })
      this.genesis = this.store.getBlock(stored.key) ?? stored
      this.headBlock = head
      return
    }
    if (options.state === undefined)
      throw new ChainError('NO_GENESIS_STATE', 'an empty store needs the genesis state')
    const root = options.state.stateRoot()
    if (!equalBytes(root, block.header.stateRoot)) {
      throw new BlockError('INVALID_STATE_ROOT', 'genesis state does not match the genesis header', {
        got: bytesToHex(root),
        header: bytesToHex(block.header.stateRoot),
      })
    }
    this.store.commit(stored, options.state, { head: stored, canonical: [stored] })
    this.genesis = stored
    this.headBlock = stored
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
    const key = this.store.getCanonicalKey(number)
    return key === undefined ? undefined : this.store.getBlock(key)
  }

  /** What making `stored` the head changes: canonical entries back to the fork point, and above it. */
  private headChange(stored: StoredBlock): HeadChange {
    const canonical: StoredBlock[] = []
    let b: StoredBlock | undefined = stored
    while (b && this.store.getCanonicalKey(b.block.header.number) !== b.key) {
      canonical.push(b)
      b = this.parentOf(b)
    }
    const change: HeadChange = { head: stored, canonical }
    const oldNumber = this.headBlock.block.header.number
    if (oldNumber > stored.block.header.number) {
      change.dropFrom = stored.block.header.number + 1n
      change.dropTo = oldNumber
    }
    return change
  }

  /**
   * A mutable copy of the post-state of a stored block, with BLOCKHASH answering from the
   * block and its ancestors (as for a block built on it): for reads, calls and block building.
   * Changes to it never reach the stored state. `blockHash` replaces that BLOCKHASH source.
   */
  stateAt(block: StoredBlock, blockHash?: (number: bigint) => bigint): WorldState {
    let hashes: Map<bigint, bigint> | undefined
    const state = this.store.openState(block.block.header.stateRoot, {
      blockHash:
        blockHash ??
        ((number) => {
          hashes ??= this.ancestorHashes(block)
          return hashes.get(number) ?? 0n
        }),
    })
    if (!state)
      throw new ChainError('STATE_NOT_KEPT', 'post-state of the block is not kept', {
        block: block.key,
      })
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
   * The state to execute a child of `parent` on: the working state when it is the parent's
   * post-state (the usual case, importing in order), else the stored post-state reopened.
   * BLOCKHASH answers from `parent` and its ancestors.
   */
  private stateFor(parent: StoredBlock): WorldState {
    this.blockHashTip = parent
    this.blockHashCache = undefined
    if (this.working?.key === parent.key) return this.working.state
    this.working = undefined
    const state = this.store.openState(parent.block.header.stateRoot, {
      blockHash: (number) => this.blockHash(number),
    })
    if (!state) throw new BlockError('UNKNOWN_PARENT', 'post-state of the parent is not kept')
    return state
  }

  /**
   * BLOCKHASH for the block being imported: ancestors of its parent within 256 blocks. On the
   * canonical chain (the usual case) each is one canonical-index lookup; on a side branch
   * the branch is walked once.
   */
  private blockHash(number: bigint): bigint {
    const tip = this.blockHashTip
    if (tip === undefined) return 0n
    const top = tip.block.header.number
    if (number > top || number + BLOCKHASH_WINDOW <= top) return 0n
    if (!this.blockHashCache) {
      this.blockHashCache = new Map()
      this.blockHashCanonical = this.store.getCanonicalKey(top) === tip.key
    }
    const cached = this.blockHashCache.get(number)
    if (cached !== undefined) return cached
    if (this.blockHashCanonical) {
      const key = this.store.getCanonicalKey(number)
      const value = key === undefined ? 0n : hexToBigInt(key)
      this.blockHashCache.set(number, value)
      return value
    }
    this.blockHashCache = this.ancestorHashes(tip)
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
    if (this.store.hasBlock(key)) return { hash, head: key === this.headBlock.key, known: true }
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
    const state = this.stateFor(parent)
    let result: ReturnType<typeof executeBlock>
    try {
      result = executeBlock(block, state, { chain: this.chain, rules: context.rules, vm: this.vm })
      validateResult(header, result)
    } catch (error) {
      // The working state holds part of a refused block: drop it, the parent's state is stored.
      this.working = undefined
      throw error
    }

    const stored: StoredBlock = {
      hash,
      key,
      block,
      totalDifficulty: parent.totalDifficulty + header.difficulty,
      receipts: result.receipts,
    }
    if (result.requests) stored.requests = result.requests

    const head = this.headBlock
    let becomesHead: boolean
    if (context.rules.gte(Fork.Paris)) becomesHead = true
    else if (stored.totalDifficulty !== head.totalDifficulty)
      becomesHead = stored.totalDifficulty > head.totalDifficulty
    else becomesHead = header.number < head.block.header.number
    try {
      this.store.commit(stored, state, becomesHead ? this.headChange(stored) : undefined)
    } catch (error) {
      this.working = undefined
      throw error
    }
    this.working = { state, key }
    if (becomesHead) this.headBlock = stored
    return { hash, head: becomesHead, known: false }
  }
}
