import {
  type ChainConfig,
  type ForkRules,
  getForkRules,
  SYSTEM_ADDRESSES,
  withBlobParams,
} from '@crucible/forks'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import type { CapsuleRules } from './types.js'

/** What a capsule keeps of a chain and the rules in force at one block. */
export function capsuleRules(
  chain: ChainConfig,
  rules: ForkRules,
  blockNumber: bigint | undefined,
): CapsuleRules {
  const out: CapsuleRules = {
    chainId: chain.chainId,
    fork: rules.name,
    dao: blockNumber !== undefined && chain.daoForkBlock === blockNumber,
  }
  if (rules.params.blob) out.blob = { ...rules.params.blob }
  if (rules.isActive(7685))
    out.depositContract = hexToBytes(chain.depositContractAddress ?? SYSTEM_ADDRESSES.mainnetDepositContract)
  return out
}

/** The chain configuration and rules a capsule runs under, rebuilt from what it keeps. */
export function chainOfCapsule(
  rules: CapsuleRules,
  blockNumber: bigint,
): { chain: ChainConfig; rules: ForkRules } {
  const chain: ChainConfig = {
    name: 'capsule',
    chainId: rules.chainId,
    forks: [{ fork: rules.fork, block: 0n }],
    ...(rules.dao ? { daoForkBlock: blockNumber } : {}),
    ...(rules.depositContract ? { depositContractAddress: bytesToHex(rules.depositContract) } : {}),
  }
  return { chain, rules: withBlobParams(getForkRules(rules.fork), rules.blob) }
}
