import type { Block, BlockHeader } from '@crucible/block'
import type { BlockEnv, Log, TransactionInput } from '@crucible/evm-types'
import type { BlobParams, ForkName } from '@crucible/forks'

/**
 * `flat` trusts the recorder: the pre-state is a list of accounts, slots and code. `verified`
 * also carries the trie nodes of every path execution reads, so replay checks each read
 * against the parent's state root and recomputes the post-state root.
 */
export type CapsuleMode = 'flat' | 'verified'

/** Everything of the chain configuration a run depends on. */
export interface CapsuleRules {
  chainId: bigint
  /** The fork in force (its EIPs and parameters are `@crucible/forks`' for that name). */
  fork: ForkName
  /** The blob parameters in force, when the fork has blobs (a chain's `blobSchedule` may differ from mainnet's). */
  blob?: BlobParams
  /** True when this block carries the DAO fork's irregular state change. */
  dao: boolean
  /** The EIP-6110 deposit contract, from the fork that has EIP-7685 requests on. */
  depositContract?: Uint8Array
}

/** An account as the state trie stores it. */
export interface AccountFields {
  nonce: bigint
  balance: bigint
  storageRoot: Uint8Array
  codeHash: Uint8Array
}

/** One account the execution read: its fields, or undefined when it did not exist. */
export interface AccountEntry {
  address: bigint
  account: AccountFields | undefined
}

/** One storage slot the execution read; value 0n is "absent". */
export interface SlotEntry {
  address: bigint
  key: bigint
  value: bigint
}

/** The pre-state execution actually reads. Lists are sorted and free of duplicates. */
export interface PreState {
  /** By address. */
  accounts: AccountEntry[]
  /** By address, then key. */
  storage: SlotEntry[]
  /** Contract code read, bytewise sorted (looked up by keccak256). */
  codes: Uint8Array[]
  /** Verified mode: trie-node preimages, bytewise sorted (looked up by keccak256); empty when flat. */
  nodes: Uint8Array[]
}

/** A state override of a call (eth_call's third argument), applied before the call runs. */
export interface CallOverride {
  address: bigint
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  /** Replaces the whole storage. */
  state?: Array<[key: bigint, value: bigint]>
  /** Changes only these slots. */
  stateDiff?: Array<[key: bigint, value: bigint]>
}

/** A whole block, executed on its parent's post-state. */
export interface BlockInput {
  kind: 'block'
  block: Block
}

/** One transaction of a block: the block's system calls and transactions up to it run first. */
export interface TransactionCapsuleInput {
  kind: 'transaction'
  block: Block
  index: number
}

/** One call on the post-state of the last header (what `eth_call` runs). */
export interface CallInput {
  kind: 'call'
  env: BlockEnv
  tx: TransactionInput
  /** Sorted by address. */
  overrides: CallOverride[]
}

export type CapsuleInput = BlockInput | TransactionCapsuleInput | CallInput

/** An account after execution, in the state diff (undefined: it does not exist). */
export interface PostAccount {
  nonce: bigint
  balance: bigint
  codeHash: Uint8Array
}

/** One account whose existence, nonce, balance, code or storage changed. */
export interface DiffEntry {
  address: bigint
  account: PostAccount | undefined
  /** Slots whose value changed, sorted by key (value 0n: now absent). */
  storage: Array<[key: bigint, value: bigint]>
}

/** What a block capsule's replay must reproduce. */
export interface BlockOutcome {
  kind: 'block'
  blockHash: Uint8Array
  stateRoot: Uint8Array
  receiptsRoot: Uint8Array
  gasUsed: bigint
  /** Each receipt in its canonical (receipts-trie) encoding. */
  receipts: Uint8Array[]
  /** EIP-7685, from Prague. */
  requestsHash?: Uint8Array
  diff: DiffEntry[]
}

/** What a transaction or call capsule's replay must reproduce. */
export interface CallOutcome {
  kind: 'call'
  /** `@crucible/evm`'s Outcome: 0 success, 1 revert, 2 exceptional halt. */
  status: number
  gasUsed: bigint
  output: Uint8Array
  logs: Log[]
  diff: DiffEntry[]
  /** Verified mode: the state root after the transaction or call. */
  stateRoot?: Uint8Array
}

export type CapsuleOutcome = BlockOutcome | CallOutcome

/**
 * One execution, self-contained: what it runs under, on and with, and what it produced. See
 * the package README for the byte format.
 */
export interface Capsule {
  mode: CapsuleMode
  rules: CapsuleRules
  /**
   * Ascending and hash-linked; the last is the state anchor (the parent of the block, or the
   * block a call runs on); the others are the ancestors BLOCKHASH reads, back to the oldest.
   */
  headers: BlockHeader[]
  input: CapsuleInput
  pre: PreState
  expected: CapsuleOutcome
}
