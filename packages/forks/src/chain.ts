import { FORK_NAMES, Fork, type ForkId, type ForkName } from './fork.js'
import type { BlobParams } from './params.js'
import { ForkError, type ForkRules, getForkRules, withBlobParams } from './rules.js'

/** When a fork activates: at a block number (before the merge) or a timestamp (after). */
export type ForkActivation =
  | { readonly fork: ForkName; readonly block: bigint; readonly timestamp?: undefined }
  | { readonly fork: ForkName; readonly timestamp: bigint; readonly block?: undefined }

/** A chain: its id, its fork schedule and anything that overrides mainnet parameters. */
export interface ChainConfig {
  readonly name: string
  readonly chainId: bigint
  /** Activations in fork order. Forks not listed are skipped (a test network may start at Cancun). */
  readonly forks: readonly ForkActivation[]
  /**
   * Total difficulty at which Paris (the merge) takes effect, when Paris is not listed with a
   * block number. Blocks after the terminal one follow Paris rules.
   */
  readonly terminalTotalDifficulty?: bigint
  /** Blob parameters per fork, where they differ from the fork's own (EIP-7840). */
  readonly blobSchedule?: Readonly<Partial<Record<ForkName, BlobParams>>>
  /** The EIP-6110 deposit contract (mainnet's by default). */
  readonly depositContractAddress?: string
  /** Block of the DAO fork's irregular state change, when the chain has one. */
  readonly daoForkBlock?: bigint
}

/**
 * The fork in force at a block. Block-numbered forks apply when `number >= block`, timed ones
 * when `timestamp >= timestamp`. `merged` says whether the block is past the terminal total
 * difficulty, for chains that schedule Paris that way.
 */
export function forkAt(chain: ChainConfig, number: bigint, timestamp: bigint, merged?: boolean): ForkId {
  let result: ForkId | undefined
  for (const activation of chain.forks) {
    const id = Fork[activation.fork]
    const active =
      activation.block !== undefined
        ? number >= activation.block
        : timestamp >= (activation.timestamp as bigint)
    if (active && (result === undefined || id > result)) result = id
  }
  if (merged && (result === undefined || result < Fork.Paris)) result = Fork.Paris
  if (result === undefined) throw new ForkError(`no fork active at block ${number}`, chain.name)
  return result
}

/** The rules in force at a block, with the chain's blob schedule applied. */
export function rulesAt(chain: ChainConfig, number: bigint, timestamp: bigint, merged?: boolean): ForkRules {
  return rulesFor(chain, forkAt(chain, number, timestamp, merged))
}

/** A fork's rules with the chain's blob schedule applied. */
export function rulesFor(chain: ChainConfig, fork: ForkId | ForkName): ForkRules {
  const rules = getForkRules(fork)
  const override = chain.blobSchedule?.[rules.name]
  return override ? withBlobParams(rules, override) : rules
}

const MAINNET_ACTIVATIONS: ForkActivation[] = [
  { fork: 'Frontier', block: 0n },
  { fork: 'Homestead', block: 1_150_000n },
  { fork: 'DAO', block: 1_920_000n },
  { fork: 'TangerineWhistle', block: 2_463_000n },
  { fork: 'SpuriousDragon', block: 2_675_000n },
  { fork: 'Byzantium', block: 4_370_000n },
  { fork: 'Constantinople', block: 7_280_000n },
  { fork: 'Petersburg', block: 7_280_000n },
  { fork: 'Istanbul', block: 9_069_000n },
  { fork: 'MuirGlacier', block: 9_200_000n },
  { fork: 'Berlin', block: 12_244_000n },
  { fork: 'London', block: 12_965_000n },
  { fork: 'ArrowGlacier', block: 13_773_000n },
  { fork: 'GrayGlacier', block: 15_050_000n },
  { fork: 'Paris', block: 15_537_394n },
  { fork: 'Shanghai', timestamp: 1_681_338_455n },
  { fork: 'Cancun', timestamp: 1_710_338_135n },
  { fork: 'Prague', timestamp: 1_746_612_311n },
  { fork: 'Osaka', timestamp: 1_764_798_551n },
  { fork: 'BPO1', timestamp: 1_765_290_071n },
  { fork: 'BPO2', timestamp: 1_767_747_671n },
]

/** Ethereum mainnet. */
export const mainnet: ChainConfig = Object.freeze({
  name: 'mainnet',
  chainId: 1n,
  forks: Object.freeze(MAINNET_ACTIVATIONS.map((a) => Object.freeze(a))),
  terminalTotalDifficulty: 58_750_000_000_000_000_000_000n,
  daoForkBlock: 1_920_000n,
})

/** A chain with every fork up to `fork` active from genesis (the state tests' setting). */
export function chainAtFork(fork: ForkName, chainId = 1n): ChainConfig {
  const last = FORK_NAMES.indexOf(fork)
  return Object.freeze({
    name: fork,
    chainId,
    forks: Object.freeze(
      FORK_NAMES.slice(0, last + 1).map((name) => Object.freeze({ fork: name, block: 0n })),
    ),
  })
}

/** A development chain: chain id 1337, the latest scheduled mainnet fork from genesis. */
export const devChain: ChainConfig = /* @__PURE__ */ Object.freeze({
  ...chainAtFork('Osaka', 1337n),
  name: 'dev',
})
