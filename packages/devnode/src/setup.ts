import type { ForkName } from '@crucible/forks'

/** A forked chain's upstream and fork block, kept in its setup. */
export interface ForkSetup {
  /** The upstream it was forked from (a restart may be given another URL for the same chain). */
  url: string
  /** The upstream's chain id (the cache's key; the fork's own may differ, `--chain-id`). */
  chainId: string
  blockNumber: string
  blockHash: string
  /** Root of the fork block's state here: the trie of what the fork changed over the upstream. */
  root: string
}

/** What a dev chain was made with: kept in its database, so a restart needs no flags. */
export interface DevSetup {
  chainId: string
  hardfork: ForkName
  mnemonic: string
  accounts: number
  balance: string
  gasLimit: string
  timestamp: string
  fork?: ForkSetup
}
