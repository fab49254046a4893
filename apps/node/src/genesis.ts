import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type BlockHeader,
  chainFromGethConfig,
  type GethGenesis,
  genesisHeader,
  headerHash,
  normalizeAlloc,
} from '@crucible/block'
import type { ChainConfig } from '@crucible/forks'
import {
  bytesToBigInt,
  bytesToHex,
  CrucibleError,
  decodeRlp,
  padLeft,
  rlpBytes,
  rlpList,
} from '@crucible/primitives'
import { type Alloc, type AllocAccount, WorldState } from '@crucible/state'
import { NodeError } from './errors.js'

export const NETWORKS = ['mainnet', 'sepolia', 'dev'] as const
export type Network = (typeof NETWORKS)[number]

const GENESIS_DIR = join(import.meta.dirname, '..', 'genesis')

/** A genesis ready to start a chain: its config, header, hash and state. */
export interface Genesis {
  /** Where it came from: a network name or a file path. */
  source: string
  json: GethGenesis
  chain: ChainConfig
  header: BlockHeader
  hash: Uint8Array
  state: WorldState
}

/**
 * Decodes geth's compact allocation (core/genesis_alloc.go): an RLP list of
 * `[address as integer, balance, [nonce, code, [[slot, value], ...]]?]`.
 */
export function decodeGethAlloc(bytes: Uint8Array): Alloc {
  const alloc: Alloc = {}
  const hex = (b: Uint8Array) => (b.length === 0 ? '0x0' : `0x${bytesToBigInt(b).toString(16)}`)
  for (const entry of rlpList(decodeRlp(bytes), 'alloc')) {
    const fields = rlpList(entry, 'alloc entry')
    const address = bytesToHex(padLeft(rlpBytes(fields[0], 'address'), 20))
    const account: AllocAccount = { balance: hex(rlpBytes(fields[1], 'balance')) }
    if (fields[2] !== undefined) {
      const misc = rlpList(fields[2], 'alloc misc', 3)
      account.nonce = hex(rlpBytes(misc[0], 'nonce'))
      account.code = bytesToHex(rlpBytes(misc[1], 'code'))
      const storage: Record<string, string> = {}
      for (const slot of rlpList(misc[2], 'slots')) {
        const [key, value] = rlpList(slot, 'slot', 2)
        storage[bytesToHex(rlpBytes(key, 'slot key'))] = bytesToHex(rlpBytes(value, 'slot value'))
      }
      account.storage = storage
    }
    alloc[address] = account
  }
  return alloc
}

/** The geth genesis of a built-in network (mainnet and sepolia allocations from geth's RLP). */
export function networkGenesisJson(network: Network): GethGenesis {
  const json = JSON.parse(readFileSync(join(GENESIS_DIR, `${network}.json`), 'utf8')) as GethGenesis
  if (network !== 'dev') json.alloc = decodeGethAlloc(readFileSync(join(GENESIS_DIR, `${network}.alloc.rlp`)))
  return json
}

/** Reads a geth-format genesis.json. */
export function readGenesisFile(path: string): GethGenesis {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new NodeError('FILE_UNREADABLE', 'cannot read the genesis file', { path }, { cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new NodeError('INVALID_GENESIS', 'genesis file is not JSON', { path }, { cause: error })
  }
  if (!json || typeof json !== 'object' || typeof (json as GethGenesis).config !== 'object')
    throw new NodeError('INVALID_GENESIS', 'genesis file has no config object', { path })
  return json as GethGenesis
}

/** Builds the genesis block and state of a geth genesis. */
export function buildGenesis(json: GethGenesis, source: string): Genesis {
  try {
    const chain = chainFromGethConfig(json.config, source)
    const state = WorldState.fromAlloc(normalizeAlloc(json.alloc ?? {}))
    const header = genesisHeader(json, chain, state.stateRoot())
    return { source, json, chain, header, hash: headerHash(header), state }
  } catch (error) {
    if (error instanceof NodeError) throw error
    const reason =
      error instanceof CrucibleError ? error.shortMessage : String((error as Error).message ?? error)
    throw new NodeError('INVALID_GENESIS', `unusable genesis: ${reason}`, { path: source }, { cause: error })
  }
}

/** The genesis named by `--genesis FILE` or `--network NAME`. */
export function loadGenesis(options: { file?: string; network?: string }): Genesis {
  if (options.file !== undefined) return buildGenesis(readGenesisFile(options.file), options.file)
  const network = options.network
  if (!(NETWORKS as readonly string[]).includes(network ?? ''))
    throw new NodeError('USAGE', `unknown network ${network} (mainnet, sepolia or dev)`)
  return buildGenesis(networkGenesisJson(network as Network), network!)
}
