import type { StateSnapshot } from '@crucible/state'
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

/**
 * Where the chain keeps blocks and post-states. {@link MemoryChainStore} holds everything in
 * maps; a node implements this over a database (states keyed by state root, so blocks with the
 * same post-state share one entry).
 */
export interface ChainStore {
  getBlock(key: string): StoredBlock | undefined
  putBlock(block: StoredBlock): void
  /** The post-state with this root (0x-hex), if kept. */
  getState(stateRoot: string): StateSnapshot | undefined
  putState(stateRoot: string, state: StateSnapshot): void
}

/** Everything in memory: fine for tests and short-lived tools. */
export class MemoryChainStore implements ChainStore {
  private readonly blocks = new Map<string, StoredBlock>()
  private readonly states = new Map<string, StateSnapshot>()

  getBlock(key: string): StoredBlock | undefined {
    return this.blocks.get(key)
  }
  putBlock(block: StoredBlock): void {
    this.blocks.set(block.key, block)
  }
  getState(stateRoot: string): StateSnapshot | undefined {
    return this.states.get(stateRoot)
  }
  putState(stateRoot: string, state: StateSnapshot): void {
    this.states.set(stateRoot, state)
  }
}
