/**
 * What the interpreter (`@crucible/evm`) needs from the world, and nothing more.
 * `@crucible/state` implements it over the trie, tests implement it in memory; the shared
 * `hostContractSuite` (`@crucible/evm-types/test-support`) checks both.
 *
 * Every method is synchronous: an async backend (disk, network) fills its cache before
 * execution starts, so the interpreter never awaits per opcode.
 *
 * Addresses are 160-bit unsigned bigints; storage keys and values are 256-bit bigints.
 */
export interface Host {
  // ---- Reading -------------------------------------------------------------------------
  /** True when the account is in the state (even if empty in the EIP-161 sense). */
  exists(address: bigint): boolean
  /** EIP-161 empty: no code, nonce 0 and balance 0. A missing account is empty. */
  isEmpty(address: bigint): boolean
  getBalance(address: bigint): bigint
  getNonce(address: bigint): bigint
  /** The account's code (empty for a missing account). */
  getCode(address: bigint): Uint8Array
  /** keccak256 of the account's code; for a missing account, the keccak of empty code. */
  getCodeHash(address: bigint): Uint8Array
  getStorage(address: bigint, key: bigint): bigint
  /** The slot's value at the start of the current transaction (EIP-1283/2200 "original"). */
  getOriginalStorage(address: bigint, key: bigint): bigint
  /** True when the account has any non-zero storage slot (EIP-7610 creation collisions). */
  hasStorage(address: bigint): boolean
  /** EIP-1153 transient storage. */
  getTransientStorage(address: bigint, key: bigint): bigint
  /** Hash of an ancestor block (BLOCKHASH), or 0n when unknown or out of range. */
  getBlockHash(number: bigint): bigint

  // ---- Writing (all journaled: undone by revert) ----------------------------------------
  /** Sets the balance; a missing account is created. */
  setBalance(address: bigint, value: bigint): void
  setNonce(address: bigint, value: bigint): void
  setCode(address: bigint, code: Uint8Array): void
  setStorage(address: bigint, key: bigint, value: bigint): void
  setTransientStorage(address: bigint, key: bigint, value: bigint): void
  /**
   * Makes a new contract account at `address` for CREATE/CREATE2: storage cleared, code
   * empty, nonce 0, any balance already there kept. Marks it created in this transaction.
   */
  createAccount(address: bigint): void
  /** True when `address` was created by {@link createAccount} in the current transaction (EIP-6780). */
  isCreatedInTransaction(address: bigint): boolean
  /**
   * Marks the account touched (EIP-161). Called for every message target, the coinbase after
   * the fee and a SELFDESTRUCT beneficiary. Like execution-specs' `touch_account`, it creates a
   * missing account (empty): before Spurious Dragon that account stays; from Spurious Dragon
   * `endTransaction(..., true)` deletes it again if it is still empty.
   */
  touch(address: bigint): void

  // ---- EIP-2929 access sets (journaled) -------------------------------------------------
  /** Marks the address warm; returns whether it already was. */
  warmAccount(address: bigint): boolean
  /** Marks the slot warm; returns whether it already was. */
  warmSlot(address: bigint, key: bigint): boolean

  // ---- Journal --------------------------------------------------------------------------
  /** Opens a checkpoint; returns its id. */
  checkpoint(): number
  /** Keeps everything since the checkpoint (folds it into the enclosing one). */
  commit(checkpoint: number): void
  /**
   * Undoes everything since the checkpoint, including warm marks and touches — except a touch
   * of the RIPEMD-160 precompile (0x03), which survives a failed call as on mainnet at block
   * 2675119 (EIP-716).
   */
  revert(checkpoint: number): void

  // ---- Transaction boundaries -------------------------------------------------------------
  /** Starts a transaction: clears warm sets, transient storage, original values and the created set. */
  beginTransaction(): void
  /**
   * Ends a transaction: deletes the `destroyed` accounts, and with `deleteTouchedEmpty`
   * (EIP-161, from Spurious Dragon) every touched account that is empty; the changes can no
   * longer be reverted.
   */
  endTransaction(destroyed: Iterable<bigint>, deleteTouchedEmpty: boolean): void
}

/** The block a transaction runs in. */
export interface BlockEnv {
  number: bigint
  coinbase: bigint
  timestamp: bigint
  gasLimit: bigint
  /** DIFFICULTY before the merge. */
  difficulty: bigint
  /** PREVRANDAO after the merge (the header's mixHash), as a word. */
  prevRandao: bigint
  /** EIP-1559 base fee (0n before London). */
  baseFee: bigint
  /** EIP-4844 blob base fee (0n before Cancun). */
  blobBaseFee: bigint
  chainId: bigint
}

/** An EIP-2930 access-list entry. */
export interface AccessListEntry {
  address: bigint
  storageKeys: bigint[]
}

/** An EIP-7702 authorization whose signer has already been recovered (undefined: invalid signature). */
export interface Authorization {
  chainId: bigint
  address: bigint
  nonce: bigint
  /** The recovered signer, or undefined when the signature does not recover (s too high, bad y parity...). */
  authority: bigint | undefined
}

/**
 * A transaction as the interpreter runs it: signature already checked, sender already recovered
 * (what `@crucible/tx`'s `normalizeTransaction` produces).
 */
export interface TransactionInput {
  /** 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4 EIP-7702. */
  type: number
  sender: bigint
  /** Recipient, or undefined for contract creation. */
  to: bigint | undefined
  nonce: bigint
  value: bigint
  data: Uint8Array
  gasLimit: bigint
  /** Legacy and EIP-2930 gas price. */
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  accessList?: AccessListEntry[]
  maxFeePerBlobGas?: bigint
  blobVersionedHashes?: Uint8Array[]
  authorizationList?: Authorization[]
  /** The chain id the transaction was signed for, when it carries one. */
  chainId?: bigint
}

/** A log entry. */
export interface Log {
  address: bigint
  topics: bigint[]
  data: Uint8Array
}
