import { bytesToHex } from '@crucible/primitives'
import { type StateSnapshot, WorldState, type WorldStateOptions } from '@crucible/state'
import type { Block } from '../body/block.js'
import type { Receipt } from '../body/receipt.js'

/** A block the chain has accepted, with what import learned about it. */
export interface StoredBlock {
  hash: Uint8Array
  /** Lowercase 0x-hex of {@link hash}, the store key. */
  key: string
  block: Block
  /** Sum of difficulties from genesis; stops growing after the merge. */
  totalDifficulty: bigint
  /** Receipts of its transactions (empty for genesis). */
  receipts: Receipt[]
  /** EIP-7685 requests, from Prague. */
  requests?: Uint8Array[]
}

/** How the canonical chain changes when a block becomes the head. */
export interface HeadChange {
  head: StoredBlock
  /**
   * The blocks that become canonical, the new head first, back to (not including) the first
   * ancestor that already is: usually just the head; more after a reorganisation.
   */
  canonical: StoredBlock[]
  /** When the old head was higher: canonical entries `dropFrom`..`dropTo` (inclusive) go. */
  dropFrom?: bigint
  dropTo?: bigint
}

/**
 * Where the chain keeps blocks, post-states and the canonical index. {@link MemoryChainStore}
 * holds everything in maps; `@crucible/chaindb` implements it over a key-value database, where
 * {@link ChainStore.commit} is one atomic write batch.
 */
export interface ChainStore {
  /** The stored block with this key (lowercase 0x-hex hash). */
  getBlock(key: string): StoredBlock | undefined
  hasBlock(key: string): boolean
  /** Key of the canonical block at `number`. */
  getCanonicalKey(number: bigint): string | undefined
  /** The head an earlier run recorded, when the store already holds a chain. */
  getHead(): StoredBlock | undefined
  /**
   * A working state at the post-state with this root (the caller may change it; the stored
   * state stays as it is), or undefined when that state is not kept.
   */
  openState(stateRoot: Uint8Array, options: WorldStateOptions): WorldState | undefined
  /**
   * Stores an accepted block, its post-state (`state`, as execution left it; the chain goes
   * on executing the next block on it) and, when the block becomes the head, the change of
   * the canonical chain: all of it, or (after a crash) none.
   */
  commit(block: StoredBlock, state: WorldState, head: HeadChange | undefined): void
}

/** Applies a {@link HeadChange} to a number → key map. */
export function applyHeadChange(canonical: Map<bigint, string>, change: HeadChange): void {
  if (change.dropFrom !== undefined && change.dropTo !== undefined)
    for (let n = change.dropFrom; n <= change.dropTo; n++) canonical.delete(n)
  for (const b of change.canonical) canonical.set(b.block.header.number, b.key)
}

/** Everything in memory (post-states as copy-on-write snapshots): for tests and short-lived tools. */
export class MemoryChainStore implements ChainStore {
  private readonly blocks = new Map<string, StoredBlock>()
  private readonly states = new Map<string, StateSnapshot>()
  private readonly canonical = new Map<bigint, string>()
  private head: StoredBlock | undefined

  getBlock(key: string): StoredBlock | undefined {
    return this.blocks.get(key)
  }
  hasBlock(key: string): boolean {
    return this.blocks.has(key)
  }
  getCanonicalKey(number: bigint): string | undefined {
    return this.canonical.get(number)
  }
  getHead(): StoredBlock | undefined {
    return this.head
  }
  openState(stateRoot: Uint8Array, options: WorldStateOptions): WorldState | undefined {
    const snapshot = this.states.get(bytesToHex(stateRoot))
    if (snapshot === undefined) return undefined
    const state = new WorldState(options)
    state.restore(snapshot)
    return state
  }
  commit(block: StoredBlock, state: WorldState, head: HeadChange | undefined): void {
    this.blocks.set(block.key, block)
    this.states.set(bytesToHex(block.block.header.stateRoot), state.snapshot())
    if (head !== undefined) {
      applyHeadChange(this.canonical, head)
      this.head = head.head
    }
  }
}
