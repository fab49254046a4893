import { type BlockHeader, genesisHeader, headerHash } from '@crucible/block'
import {
  type ChainConfig,
  chainAtFork,
  FORK_NAMES,
  Fork,
  type ForkName,
  rulesFor,
  SYSTEM_ADDRESSES,
} from '@crucible/forks'
import { bigIntToBytes, bytesToHex, CrucibleError, numberToHex } from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'

/** The newest fork: what a dev chain runs unless told otherwise. */
export const NEWEST_FORK: ForkName = 'Osaka'

/** 10,000 ether, each dev account's starting balance (anvil's and Hardhat's). */
export const DEFAULT_BALANCE = 10_000n * 10n ** 18n

/** Anvil's default block gas limit. */
export const DEFAULT_GAS_LIMIT = 30_000_000n

/**
 * The system contracts a fork's blocks call (their deployed code from the EIPs): Prague's
 * blocks are invalid without the EIP-7002 and EIP-7251 ones, so a dev genesis has them.
 */
const SYSTEM_CODE: readonly { eip: number; fork: ForkName; address: string; code: string }[] = [
  {
    eip: 4788,
    fork: 'Cancun',
    address: SYSTEM_ADDRESSES.beaconRoots,
    code: '0x3373fffffffffffffffffffffffffffffffffffffffe14604d57602036146024575f5ffd5b5f35801560495762001fff810690815414603c575f5ffd5b62001fff01545f5260205ff35b5f5ffd5b62001fff42064281555f359062001fff015500',
  },
  {
    eip: 2935,
    fork: 'Prague',
    address: SYSTEM_ADDRESSES.historyStorage,
    code: '0x3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500',
  },
  {
    eip: 7002,
    fork: 'Prague',
    address: SYSTEM_ADDRESSES.withdrawalRequests,
    code: '0x3373fffffffffffffffffffffffffffffffffffffffe1460cb5760115f54807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff146101f457600182026001905f5b5f82111560685781019083028483029004916001019190604d565b909390049250505036603814608857366101f457346101f4575f5260205ff35b34106101f457600154600101600155600354806003026004013381556001015f35815560010160203590553360601b5f5260385f601437604c5fa0600101600355005b6003546002548082038060101160df575060105b5f5b8181146101835782810160030260040181604c02815460601b8152601401816001015481526020019060020154807fffffffffffffffffffffffffffffffff00000000000000000000000000000000168252906010019060401c908160381c81600701538160301c81600601538160281c81600501538160201c81600401538160181c81600301538160101c81600201538160081c81600101535360010160e1565b910180921461019557906002556101a0565b90505f6002555f6003555b5f54807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff14156101cd57505f5b6001546002828201116101e25750505f6101e8565b01600290035b5f555f600155604c025ff35b5f5ffd',
  },
  {
    eip: 7251,
    fork: 'Prague',
    address: SYSTEM_ADDRESSES.consolidationRequests,
    code: '0x3373fffffffffffffffffffffffffffffffffffffffe1460d35760115f54807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1461019a57600182026001905f5b5f82111560685781019083028483029004916001019190604d565b9093900492505050366060146088573661019a573461019a575f5260205ff35b341061019a57600154600101600155600354806004026004013381556001015f358155600101602035815560010160403590553360601b5f5260605f60143760745fa0600101600355005b6003546002548082038060021160e7575060025b5f5b8181146101295782810160040260040181607402815460601b815260140181600101548152602001816002015481526020019060030154905260010160e9565b910180921461013b5790600255610146565b90505f6002555f6003555b5f54807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff141561017357505f5b6001546001828201116101885750505f61018e565b01600190035b5f555f6001556074025ff35b5f5ffd',
  },
]

/** A fork by name, as users write it (`prague`, `Cancun`, `merge`, `latest`). */
export function parseHardfork(name: string): ForkName {
  const lower = name.toLowerCase()
  if (lower === 'latest') return NEWEST_FORK
  if (lower === 'merge') return 'Paris'
  const found = FORK_NAMES.find((f) => f.toLowerCase() === lower)
  if (!found)
    throw new CrucibleError('UNKNOWN_HARDFORK', `unknown hardfork ${name}`, {
      known: FORK_NAMES.join(', '),
    })
  return found
}

export interface DevGenesisOptions {
  chainId: bigint
  hardfork: ForkName
  /** Funded accounts (each gets `balance`). */
  accounts: readonly bigint[]
  balance: bigint
  /** Genesis timestamp in seconds. */
  timestamp: bigint
  gasLimit?: bigint
  /** Genesis base fee (EIP-1559); 1 gwei by default. */
  baseFeePerGas?: bigint
  /** More accounts (an anvil dump's, for instance), over the funded ones. */
  alloc?: Alloc
}

export interface DevGenesis {
  chain: ChainConfig
  header: BlockHeader
  hash: Uint8Array
  state: WorldState
}

/** A dev chain's configuration: every fork up to `hardfork` from block 0. */
export function devChainConfig(hardfork: ForkName, chainId: bigint): ChainConfig {
  return { ...chainAtFork(hardfork, chainId), name: 'dev' }
}

/** The system contracts the blocks of `hardfork` call, with their code. */
export function systemContracts(
  config: ChainConfig,
  hardfork: ForkName,
): { address: string; code: string }[] {
  const rules = rulesFor(config, hardfork)
  return SYSTEM_CODE.filter((system) => rules.gte(Fork[system.fork]))
}

/** The genesis of a dev chain: the funded accounts and the fork's system contracts. */
export function devGenesis(options: DevGenesisOptions): DevGenesis {
  const chain = devChainConfig(options.hardfork, options.chainId)
  const alloc: Alloc = {}
  for (const system of systemContracts(chain, options.hardfork))
    alloc[system.address] = { nonce: '0x1', balance: '0x0', code: system.code }
  const balance = numberToHex(options.balance)
  for (const a of options.accounts) alloc[bytesToHex(bigIntToBytes(a, 20))] = { balance }
  Object.assign(alloc, options.alloc ?? {})
  const state = WorldState.fromAlloc(alloc)
  const header = genesisHeader(
    {
      config: {},
      alloc: {},
      gasLimit: numberToHex(options.gasLimit ?? DEFAULT_GAS_LIMIT),
      difficulty: '0x0',
      timestamp: numberToHex(options.timestamp),
      baseFeePerGas: numberToHex(options.baseFeePerGas ?? 1_000_000_000n),
    },
    chain,
    state.stateRoot(),
  )
  return { chain, header, hash: headerHash(header), state }
}
