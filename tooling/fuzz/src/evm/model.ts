/**
 * A generated EVM case as plain JSON data, so a reproducer file is the case itself and the
 * shrinker can cut any list in it. Quantities are `0x` hex strings.
 */

/** The forks the EVM target runs (the ones @ethereumjs/vm 10.1.3 and Crucible both implement). */
export const EVM_FORKS = ['Cancun', 'Prague', 'Osaka'] as const
export type EvmFork = (typeof EVM_FORKS)[number]

/**
 * A stack-neutral piece of code: it leaves the stack as it found it, so any subset of a
 * contract's snippets is still a balanced program (what lets the shrinker drop snippets).
 *
 * Tokens: a hex string is raw bytes; `@x` is a JUMPDEST that defines label x; `&x` is
 * `PUSH2 <offset of x>` (labels are local to the snippet); `*` inlines the assembled children
 * `c` (a loop body); `!` stores the init code built from `c` (constructor) and `r` (runtime
 * code it returns) in memory at offset 0 and pushes its length.
 */
export interface Snippet {
  /** What the snippet does, for reports and coverage of the generator itself. */
  k: string
  t: string[]
  c?: Snippet[]
  r?: Snippet[]
  /** Raw bytes put in front of the runtime code `r` (0xef to test EIP-3541). */
  rp?: string
}

export interface AccountSpec {
  address: string
  balance: string
  nonce: string
  storage: Array<[string, string]>
  /** Code as snippets (a generated contract). */
  code?: Snippet[]
  /** Code as bytes (an EIP-7702 delegation designator). */
  rawCode?: string
}

export interface AuthorizationSpec {
  /** Index into the authority keys ({@link AUTHORITY_KEYS}). */
  key: number
  chainId: string
  address: string
  nonce: string
  /** Corrupts the signature's s (to high-s), making the authorization invalid but the tx valid. */
  badSignature?: boolean
}

export interface TxSpec {
  type: 0 | 1 | 2 | 3 | 4
  nonce: string
  /** Recipient; absent for a contract creation. */
  to?: string
  value: string
  gasLimit: string
  gasPrice: string
  maxPriorityFeePerGas: string
  maxFeePerBlobGas: string
  /** Call data (for a call). */
  data: string
  /** Init code as a creation snippet's children/runtime (for a creation). */
  init?: Snippet
  accessList: Array<{ address: string; storageKeys: string[] }>
  blobVersionedHashes: string[]
  authorizations: AuthorizationSpec[]
  /** Chain id the transaction is signed for (legacy: EIP-155 when present). */
  chainId: string
  /** Legacy without EIP-155. */
  unprotected?: boolean
}

export interface BlockSpec {
  number: string
  timestamp: string
  gasLimit: string
  baseFee: string
  excessBlobGas: string
  prevRandao: string
  coinbase: string
}

export interface EvmCase {
  /** The seed the case was generated from (its reproducer). */
  seed: number
  fork: EvmFork
  block: BlockSpec
  accounts: AccountSpec[]
  tx: TxSpec
}
