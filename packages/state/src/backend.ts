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
