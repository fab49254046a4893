import { type ChainConfig, chainAtFork, type ForkActivation } from './chain.js'
import { FORK_NAMES, type ForkName, isForkName } from './fork.js'
import { ForkError } from './rules.js'

/** Names the official test fixtures use for forks, where they differ from ours. */
const ALIASES: Readonly<Record<string, ForkName>> = {
  EIP150: 'TangerineWhistle',
  EIP158: 'SpuriousDragon',
  ConstantinopleFix: 'Petersburg',
  Merge: 'Paris',
  Dao: 'DAO',
  HomesteadDao: 'DAO',
}

/** The fork a fixture name stands for (`ConstantinopleFix` → Petersburg, `Merge` → Paris). */
export function forkFromFixtureName(name: string): ForkName {
  if (isForkName(name)) return name
  const alias = ALIASES[name]
  if (alias) return alias
  const bpo = /^BPO([1-5])$/i.exec(name)
  if (bpo) return `BPO${bpo[1]}` as ForkName
  throw new ForkError('not a fixture fork name', name)
}

const TRANSITION = /^(\w+?)To(\w+?)At(?:(Time)?(\d+)(k)?|Diff([0-9A-Fa-f]+))$/

/**
 * The chain a fixture `network` names: a single fork (`Cancun`, `ConstantinopleFix`) active
 * from genesis, or a transition such as `BerlinToLondonAt5` (block 5),
 * `PragueToOsakaAtTime15k` (timestamp 15000) or `ArrowGlacierToParisAtDiffC0000` (the merge at
 * total difficulty 0xC0000). Every fork up to the first is active from genesis.
 */
export function chainFromFixtureNetwork(network: string, chainId = 1n): ChainConfig {
  const match = TRANSITION.exec(network)
  if (!match) return { ...chainAtFork(forkFromFixtureName(network), chainId), name: network }
  const from = forkFromFixtureName(match[1]!)
  const to = forkFromFixtureName(match[2]!)
  const fromIndex = FORK_NAMES.indexOf(from)
  const toIndex = FORK_NAMES.indexOf(to)
  if (toIndex <= fromIndex) throw new ForkError('transition does not go forward', network)
  const forks: ForkActivation[] = FORK_NAMES.slice(0, fromIndex + 1).map((fork) => ({ fork, block: 0n }))
  const between = FORK_NAMES.slice(fromIndex + 1, toIndex + 1)
  if (match[6] !== undefined) {
    // Merge by total difficulty: the forks between (none in practice) are Paris itself.
    return { name: network, chainId, forks, terminalTotalDifficulty: BigInt(`0x${match[6]}`) }
  }
  const value = BigInt(match[4]!) * (match[5] ? 1000n : 1n)
  for (const fork of between) {
    forks.push(match[3] ? { fork, timestamp: value } : { fork, block: value })
  }
  // Only a transition *to* the DAO fork moves balances (at the DAO block itself); one that
  // merely passes over it (HomesteadToEIP150At5) schedules no irregular change, as in geth's
  // test configurations.
  const daoForkBlock = to === 'DAO' ? value : undefined
  return daoForkBlock === undefined
    ? { name: network, chainId, forks }
    : { name: network, chainId, forks, daoForkBlock }
}
