import { bigIntToBytes, encodeRlp, KECCAK256_RLP_EMPTY, keccak256 } from '@crucible/primitives'
import { type NodeStore, Trie } from '@crucible/trie'
import type { Account } from './account.js'
import { StateError } from './errors.js'

/** Trie key of an account: keccak256 of its 20-byte address. */
export function accountKey(address: bigint): Uint8Array {
  return keccak256(bigIntToBytes(address, 20))
}

/** Trie key of a storage slot: keccak256 of the key as a 32-byte word. */
export function slotKey(key: bigint): Uint8Array {
  return keccak256(bigIntToBytes(key, 32))
}

/** RLP of an account as the state trie stores it: [nonce, balance, storageRoot, codeHash]. */
export function encodeAccount(a: Account, store?: NodeStore): Uint8Array {
  return encodeRlp([a.nonce, a.balance, storageRootOf(a, store), a.codeHash])
}

/**
 * The account's storage root. Cached on the account until its storage changes; then the
 * account's own storage trie takes just the changed slots, or is rebuilt when more slots
 * changed than the account holds (or the account record is a fresh copy without a trie).
 * A trie built here keeps its nodes in `store` (for a state that persists its changes).
 * An account from stored state updates its stored trie: only the changed slots, never a
 * rebuild (its slot map is not the whole storage).
 */
export function storageRootOf(a: Account, store?: NodeStore): Uint8Array {
  if (a.storageRoot !== undefined) return a.storageRoot
  let trie = a.storageTrie as Trie | undefined
  const pending = a.pendingSlots
  if (a.partialStorage) {
    if (trie === undefined || pending === undefined)
      throw new StateError(
        'INCOMPLETE_STORAGE',
        'Storage root of an account only partly loaded from the backend',
      )
    for (const key of pending) {
      const value = a.storage.get(key)
      if (a.overBase && value !== undefined) trie.putRaw(slotKey(key), encodeRlp(value))
      else if (value === undefined || value === 0n) trie.delRaw(slotKey(key))
      else trie.putRaw(slotKey(key), encodeRlp(value))
    }
  } else if (trie === undefined || pending === undefined || pending.length >= a.storage.size) {
    trie = new Trie(store === undefined ? undefined : { store })
    for (const [key, value] of a.storage) trie.putRaw(slotKey(key), encodeRlp(value))
  } else {
    for (const key of pending) {
      const value = a.storage.get(key)
      if (value === undefined) trie.delRaw(slotKey(key))
      else trie.putRaw(slotKey(key), encodeRlp(value))
    }
  }
  a.storageTrie = trie
  a.pendingSlots = []
  a.storageRoot = trie.root()
  return a.storageRoot
}

/**
 * The account trie, kept up to date from the list of changed addresses. Copies share nodes
 * (the trie's own copy-on-write), so snapshots keep their root for free.
 */
export class RootCache {
  static readonly emptyRoot: Uint8Array = KECCAK256_RLP_EMPTY

  private constructor(
    private readonly trie: Trie,
    /** Where new storage tries keep their nodes (a persisting state's collecting store). */
    readonly store: NodeStore | undefined,
  ) {}

  /** The trie of every account in `accounts`. */
  static build(accounts: ReadonlyMap<bigint, Account>, store?: NodeStore): RootCache {
    const trie = new Trie(store === undefined ? undefined : { store })
    for (const [address, a] of accounts) {
      trie.putRaw(accountKey(address), encodeAccount(a, store))
      a.dirty = false
    }
    return new RootCache(trie, store)
  }

  /** The stored account trie at `root`, its nodes read from (and new ones written to) `store`. */
  static open(store: NodeStore, root: Uint8Array): RootCache {
    return new RootCache(new Trie({ store, root }), store)
  }

  /** The stored RLP of an account (as of the last {@link update}), undefined when absent. */
  get(address: bigint): Uint8Array | undefined {
    return this.trie.getRaw(accountKey(address))
  }

  /** Brings the trie up to date for the addresses that changed (repeats are harmless). */
  update(accounts: ReadonlyMap<bigint, Account>, changed: readonly bigint[]): void {
    for (const address of changed) {
      const a = accounts.get(address)
      if (a === undefined) this.trie.delRaw(accountKey(address))
      else if (a.dirty) {
        this.trie.putRaw(accountKey(address), encodeAccount(a, this.store))
        a.dirty = false
      }
    }
  }

  root(): Uint8Array {
    return this.trie.root()
  }

  /** Writes the trie's new nodes to its store; returns the root. */
  persist(): Uint8Array {
    return this.trie.persist()
  }

  copy(): RootCache {
    return new RootCache(this.trie.copy(), this.store)
  }
}
