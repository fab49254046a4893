/** An account as a backend stores it (code by hash, storage by root). */
export interface AccountData {
  nonce: bigint
  balance: bigint
  codeHash: Uint8Array
  /** The storage root; absent or the empty root for an account without storage. */
  storageRoot?: Uint8Array
}

/**
 * Where a {@link WorldState} gets accounts it does not hold in memory: a database, a remote
 * node. Asynchronous by nature, so it is consulted only by `WorldState.prefetch`, before
 * execution; the interpreter itself never waits.
 */
export interface StateBackend {
  /** The account, or undefined when it does not exist. */
  getAccount(address: bigint): Promise<AccountData | undefined>
  /** A storage slot's value (0n when unset). */
  getStorage(address: bigint, key: bigint): Promise<bigint>
  /** Code by its keccak256 hash. */
  getCode(codeHash: Uint8Array): Promise<Uint8Array>
}

/** An account as a {@link StateBase} serves it: with its code. */
export interface BaseAccount {
  nonce: bigint
  balance: bigint
  code: Uint8Array
}

/**
 * The state *below* a stored trie, read synchronously: what a forked chain has not changed
 * since its fork block. With a base, a state over a database treats its trie as the changes
 * made over the base: an account missing from the trie is the base's, a slot missing from an
 * account's storage trie is the base's (a slot emptied here is kept in the trie as a zero, so
 * that it does not fall back), and `getBlockHash` is the caller's. The base throws a
 * `STATE_MISS` {@link StateError} for what it does not hold yet; the caller fetches it
 * (asynchronously) and runs again.
 */
export interface StateBase {
  /** The account at the base, undefined when it does not exist there. */
  account(address: bigint): BaseAccount | undefined
  /** A slot's value at the base (0n when unset or when the account does not exist there). */
  storage(address: bigint, key: bigint): bigint
}
