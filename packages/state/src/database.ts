import { bytesToUnprefixedHex } from '@crucible/primitives'

/**
 * Stored state a {@link WorldState} reads synchronously: the trie nodes of the account trie
 * and of every storage trie (one store, keyed by node hash), and contract code by hash. A
 * database with synchronous reads (LevelDB's `getSync`, see `@crucible/chaindb`) or a map.
 */
export interface StateDatabase {
  /** The RLP of the trie node with this keccak256 hash, undefined when absent. */
  getNode(hash: Uint8Array): Uint8Array | undefined
  /** The code with this keccak256 hash, undefined when absent. */
  getCode(codeHash: Uint8Array): Uint8Array | undefined
}

/**
 * What {@link WorldState.persistChanges} hands over: the new state root, the trie nodes and
 * the code written since the last call. Store them together (one write batch) and the state
 * reopens at `root`.
 */
export interface StateChanges {
  root: Uint8Array
  nodes: Array<[hash: Uint8Array, encoding: Uint8Array]>
  code: Array<[codeHash: Uint8Array, code: Uint8Array]>
}

/** A {@link StateDatabase} in maps: for tests and tools. `apply` stores a {@link StateChanges}. */
export class MemoryStateDatabase implements StateDatabase {
  // Typed, not inferred: see the note on `keys` in @crucible/chaindb's schema (TypeScript < 5.7).
  readonly nodes: Map<string, Uint8Array> = new Map()
  readonly code: Map<string, Uint8Array> = new Map()

  getNode(hash: Uint8Array): Uint8Array | undefined {
    return this.nodes.get(bytesToUnprefixedHex(hash))
  }

  getCode(codeHash: Uint8Array): Uint8Array | undefined {
    return this.code.get(bytesToUnprefixedHex(codeHash))
  }

  apply(changes: StateChanges): void {
    for (const [hash, enc] of changes.nodes) this.nodes.set(bytesToUnprefixedHex(hash), enc)
    for (const [hash, code] of changes.code) this.code.set(bytesToUnprefixedHex(hash), code)
  }
}
