import { EMPTY_BYTES, KECCAK256_EMPTY, KECCAK256_RLP_EMPTY } from '@crucible/primitives'

/**
 * One account as the world state holds it: a mutable record owned by one {@link WorldState}
 * generation (see `gen`). Code lives on the account with its hash so that CALL and
 * EXTCODESIZE read it without a second lookup.
 *
 * Storage never holds a zero value: writing zero deletes the slot, so `storage.size > 0` is
 * "has storage" and the storage trie is exactly the map.
 */
export class Account {
  /** Cached storage root; undefined while the storage changed since it was last computed. */
  storageRoot: Uint8Array | undefined
  /**
   * The storage trie kept between root computations, so that a few changed slots cost a few
   * trie updates. Opaque here (see root.ts); undefined means "rebuild from `storage`".
   */
  storageTrie: unknown
  /** Slots written since `storageTrie` was last brought up to date (duplicates allowed). */
  pendingSlots: bigint[] | undefined
  /** True while the address is in the state's dirty list (see WorldState.markDirty). */
  dirty = false
  /**
   * True when the account came from stored state (a database or a backend) and `storage`
   * holds only the slots read or written so far. Such a map may hold zeros (a slot known to
   * be empty, or emptied), and a slot absent from it is read from the stored storage trie
   * (`storageTrie`, opened at the stored root) or, without one, is a state miss.
   */
  partialStorage = false
  /**
   * True when the account's storage trie holds only the slots written over a {@link StateBase}
   * (a forked chain's): an emptied slot stays in it as a zero, since an absent one is the base's.
   */
  overBase = false

  constructor(
    public nonce: bigint,
    public balance: bigint,
    public code: Uint8Array,
    public codeHash: Uint8Array,
    public storage: Map<bigint, bigint>,
    /** Generation of the state that may mutate this record; older records are shared with snapshots. */
    public gen: number,
  ) {
    this.storageRoot = storage.size === 0 ? EMPTY_STORAGE_ROOT : undefined
    this.storageTrie = undefined
    this.pendingSlots = undefined
  }

  /** A fresh empty account. */
  static empty(gen: number): Account {
    return new Account(0n, 0n, EMPTY_BYTES, KECCAK256_EMPTY, new Map(), gen)
  }

  /**
   * A private copy for generation `gen` (copy-on-write after a snapshot). The storage map is
   * copied; the cached storage root stays valid, the storage trie is not shared.
   */
  copy(gen: number): Account {
    const a = new Account(this.nonce, this.balance, this.code, this.codeHash, new Map(this.storage), gen)
    a.storageRoot = this.storageRoot
    if (this.partialStorage) {
      // The stored trie is the only full copy of the storage: share it (a trie copy is O(1)).
      a.partialStorage = true
      const trie = this.storageTrie as { copy(): unknown } | undefined
      a.storageTrie = trie?.copy()
      a.pendingSlots = this.pendingSlots?.slice()
      a.overBase = this.overBase
    }
    return a
  }

  /** EIP-161 empty: no code, zero nonce and zero balance. */
  isEmpty(): boolean {
    return this.nonce === 0n && this.balance === 0n && this.code.length === 0
  }
}

/** Root of an empty storage trie: keccak256(rlp('')). */
export const EMPTY_STORAGE_ROOT: Uint8Array = KECCAK256_RLP_EMPTY
