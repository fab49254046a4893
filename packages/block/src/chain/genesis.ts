import {
  type BlobParams,
  type ChainConfig,
  CONSTANTS,
  FORK_NAMES,
  Fork,
  type ForkActivation,
  type ForkName,
  forkFromFixtureName,
  rulesAt,
} from '@crucible/forks'
import {
  bigIntToBytes,
  hexToBigInt,
  hexToBytes,
  KECCAK256_RLP_EMPTY,
  KECCAK256_RLP_EMPTY_LIST,
  padLeft,
} from '@crucible/primitives'
import type { Alloc } from '@crucible/state'
import { EMPTY_REQUESTS_HASH } from '../exec/requests.js'
import type { BlockHeader } from '../header/header.js'

/** A geth-style `genesis.json`: the chain `config`, the header fields and the `alloc`. */
export interface GethGenesis {
  config: Record<string, unknown>
  alloc: Alloc
  nonce?: string
  timestamp?: string
  extraData?: string
  gasLimit?: string
  difficulty?: string
  mixHash?: string
  coinbase?: string
  number?: string
  gasUsed?: string
  parentHash?: string
  baseFeePerGas?: string | null
  excessBlobGas?: string | null
  blobGasUsed?: string | null
}

/** geth's `config` keys for block-numbered forks, in fork order. */
const BLOCK_KEYS: readonly [string, ForkName][] = [
  ['homesteadBlock', 'Homestead'],
  ['daoForkBlock', 'DAO'],
  ['eip150Block', 'TangerineWhistle'],
  ['eip158Block', 'SpuriousDragon'],
  ['byzantiumBlock', 'Byzantium'],
  ['constantinopleBlock', 'Constantinople'],
  ['petersburgBlock', 'Petersburg'],
  ['istanbulBlock', 'Istanbul'],
  ['muirGlacierBlock', 'MuirGlacier'],
  ['berlinBlock', 'Berlin'],
  ['londonBlock', 'London'],
  ['arrowGlacierBlock', 'ArrowGlacier'],
  ['grayGlacierBlock', 'GrayGlacier'],
]

/** Timed forks: `shanghaiTime` ... `bpo5Time`. */
const TIME_FORKS: readonly ForkName[] = [
  'Shanghai',
  'Cancun',
  'Prague',
  'Osaka',
  'BPO1',
  'BPO2',
  'BPO3',
  'BPO4',
  'BPO5',
]

function big(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return BigInt(value)
  if (typeof value === 'bigint') return value
  if (typeof value === 'string') return value.startsWith('0x') ? hexToBigInt(value) : BigInt(value)
  throw new TypeError(`not a number: ${String(value)}`)
}

/**
 * The {@link ChainConfig} of a geth `config` object: block-numbered forks up to Gray Glacier,
 * the merge by `terminalTotalDifficulty`, timed forks from Shanghai, the `blobSchedule`, the
 * deposit contract, and the DAO fork (only with `daoForkSupport`).
 */
export function chainFromGethConfig(config: Record<string, unknown>, name = 'genesis'): ChainConfig {
  const forks: ForkActivation[] = [{ fork: 'Frontier', block: 0n }]
  let daoForkBlock: bigint | undefined
  for (const [key, fork] of BLOCK_KEYS) {
    const block = big(config[key])
    if (block === undefined) continue
    if (fork === 'DAO') {
      if (config.daoForkSupport !== true) continue
      daoForkBlock = block
    }
    forks.push({ fork, block })
  }
  const ttd = big(config.terminalTotalDifficulty)
  for (const fork of TIME_FORKS) {
    // geth's keys: `shanghaiTime` ... `osakaTime`, then `bpo1Time` ... `bpo5Time`.
    const key = fork.startsWith('BPO') ? fork.toLowerCase() : `${fork[0]!.toLowerCase()}${fork.slice(1)}`
    const timestamp = big(config[`${key}Time`])
    if (timestamp !== undefined) forks.push({ fork, timestamp })
  }
  const chain: {
    -readonly [K in keyof ChainConfig]: ChainConfig[K]
  } = { name, chainId: big(config.chainId) ?? 1n, forks }
  if (ttd !== undefined) chain.terminalTotalDifficulty = ttd
  if (daoForkBlock !== undefined) chain.daoForkBlock = daoForkBlock
  if (typeof config.depositContractAddress === 'string')
    chain.depositContractAddress = config.depositContractAddress.toLowerCase()
  const schedule = config.blobSchedule as Record<string, Record<string, unknown>> | undefined
  if (schedule) {
    const blobSchedule: Partial<Record<ForkName, BlobParams>> = {}
    for (const [key, p] of Object.entries(schedule)) {
      const upper = key.toUpperCase()
      const fork = FORK_NAMES.find((f) => f.toUpperCase() === upper) ?? forkFromFixtureName(key)
      blobSchedule[fork] = {
        target: Number(big(p.target)),
        max: Number(big(p.max)),
        baseFeeUpdateFraction: big(p.baseFeeUpdateFraction)!,
      }
    }
    chain.blobSchedule = blobSchedule
  }
  return chain
}

/**
 * The genesis header of a geth genesis with the given state root, filling the fields its
 * genesis fork requires as geth does: the initial base fee from London, the empty withdrawals
 * root from Shanghai, zero blob gas and beacon root from Cancun, the empty requests hash from
 * Prague.
 */
export function genesisHeader(genesis: GethGenesis, chain: ChainConfig, stateRoot: Uint8Array): BlockHeader {
  const bytes = (hex: string | undefined, length?: number) => {
    const b = hex ? hexToBytes(hex.length % 2 === 1 ? `0x0${hex.slice(2)}` : hex) : new Uint8Array(0)
    return length === undefined ? b : padLeft(b, length)
  }
  const header: BlockHeader = {
    parentHash: bytes(genesis.parentHash, 32),
    ommersHash: KECCAK256_RLP_EMPTY_LIST,
    coinbase: bytes(genesis.coinbase, 20),
    stateRoot,
    transactionsRoot: KECCAK256_RLP_EMPTY,
    receiptsRoot: KECCAK256_RLP_EMPTY,
    logsBloom: new Uint8Array(256),
    difficulty: big(genesis.difficulty) ?? 0n,
    number: big(genesis.number) ?? 0n,
    gasLimit: big(genesis.gasLimit) ?? 5000n,
    gasUsed: big(genesis.gasUsed) ?? 0n,
    timestamp: big(genesis.timestamp) ?? 0n,
    extraData: bytes(genesis.extraData),
    mixHash: bytes(genesis.mixHash, 32),
    nonce: padLeft(bigIntToBytes(big(genesis.nonce) ?? 0n), 8),
  }
  const merged =
    chain.terminalTotalDifficulty !== undefined && header.difficulty >= chain.terminalTotalDifficulty
  const rules = rulesAt(
    chain,
    header.number,
    header.timestamp,
    merged && chain.terminalTotalDifficulty === 0n,
  )
  if (rules.gte(Fork.London)) header.baseFeePerGas = big(genesis.baseFeePerGas) ?? CONSTANTS.initialBaseFee
  if (rules.gte(Fork.Shanghai)) header.withdrawalsRoot = KECCAK256_RLP_EMPTY
  if (rules.gte(Fork.Cancun)) {
    header.blobGasUsed = big(genesis.blobGasUsed) ?? 0n
    header.excessBlobGas = big(genesis.excessBlobGas) ?? 0n
    header.parentBeaconBlockRoot = new Uint8Array(32)
  }
  if (rules.gte(Fork.Prague)) header.requestsHash = EMPTY_REQUESTS_HASH
  return header
}

/** Alloc keys as 0x-prefixed addresses (geth files often omit the prefix). */
export function normalizeAlloc(alloc: Alloc): Alloc {
  const out: Alloc = {}
  for (const [key, value] of Object.entries(alloc)) out[key.startsWith('0x') ? key : `0x${key}`] = value
  return out
}
