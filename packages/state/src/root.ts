import { bigIntToBytes, encodeRlp, KECCAK256_RLP_EMPTY, keccak256 } from '@crucible/primitives'
import { Trie } from '@crucible/trie'
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
export function encodeAccount(a: Account): Uint8Array {
  return encodeRlp([a.nonce, a.balance, storageRootOf(a), a.codeHash])
}

/**
 * The account's storage root. Cached on the account until its storage changes; then the
 * account's own storage trie takes just the changed slots, or is rebuilt when more slots
 * changed than the account holds (or the account record is a fresh copy without a trie).
 */
export function storageRootOf(a: Account): Uint8Array {
  if (a.storageRoot !== undefined) return a.storageRoot
  if (a.partialStorage)
    throw new StateError(
      'INCOMPLETE_STORAGE',
      'Storage root of an account only partly loaded from the backend',
    )
  let trie = a.storageTrie as Trie | undefined
  const pending = a.pendingSlots
  if (trie === undefined || pending === undefined || pending.length >= a.storage.size) {
    trie = new Trie()
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

  private constructor(private readonly trie: Trie) {}

  /** The trie of every account in `accounts`. */
  static build(accounts: ReadonlyMap<bigint, Account>): RootCache {
    const trie = new Trie()
    for (const [address, a] of accounts) {
      trie.putRaw(accountKey(address), encodeAccount(a))
      a.dirty = false
    }
    return new RootCache(trie)
  }

  /** Brings the trie up to date for the addresses that changed (repeats are harmless). */
  update(accounts: ReadonlyMap<bigint, Account>, changed: readonly bigint[]): void {
    for (const address of changed) {
      const a = accounts.get(address)
      if (a === undefined) this.trie.delRaw(accountKey(address))
      else if (a.dirty) {
        this.trie.putRaw(accountKey(address), encodeAccount(a))
        a.dirty = false
      }
    }
  }

  root(): Uint8Array {
    return this.trie.root()
  }

  copy(): RootCache {
    return new RootCache(this.trie.copy())
  }
}
