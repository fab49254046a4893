import {
  Blockchain,
  chainFromGethConfig,
  defaultVm,
  type GethGenesis,
  genesisHeader,
  normalizeAlloc,
} from '@crucible/block'
import type { ChainDb } from '@crucible/chaindb'
import { decodeRlpPrefix } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { MemoryChain } from './chain.js'
import { DatabaseChain, type DatabaseChainOptions } from './db-chain.js'

/** Splits plainly concatenated RLP blocks (geth's export format, hive's `chain.rlp`). */
export function splitBlocks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  let rest = bytes
  while (rest.length > 0) {
    const next = decodeRlpPrefix(rest).rest
    out.push(rest.subarray(0, rest.length - next.length))
    rest = next
  }
  return out
}

/** geth's `mergeNetsplitBlock` of a genesis config, when it has one. */
function netsplitOf(genesis: GethGenesis): bigint | undefined {
  const netsplit = genesis.config.mergeNetsplitBlock
  return typeof netsplit === 'number' || typeof netsplit === 'string' ? BigInt(netsplit) : undefined
}

/** An in-memory chain at the genesis of a geth `genesis.json`. */
export function chainFromFiles(genesis: GethGenesis): MemoryChain {
  const chain = chainFromGethConfig(genesis.config)
  const state = WorldState.fromAlloc(normalizeAlloc(genesis.alloc))
  const header = genesisHeader(genesis, chain, state.stateRoot())
  const memory = new MemoryChain(new Blockchain({ chain, genesis: header, state, vm: defaultVm }))
  const netsplit = netsplitOf(genesis)
  if (netsplit !== undefined) memory.mergeNetsplitBlock = netsplit
  return memory
}

/**
 * The chain of a geth `genesis.json` in a chain database: a new database gets the genesis
 * block and state, one holding this chain resumes at its head.
 */
export function databaseChainFromFiles(
  db: ChainDb,
  genesis: GethGenesis,
  options: Omit<DatabaseChainOptions, 'mergeNetsplitBlock'> = {},
): DatabaseChain {
  const chain = chainFromGethConfig(genesis.config)
  const state = WorldState.fromAlloc(normalizeAlloc(genesis.alloc))
  const header = genesisHeader(genesis, chain, state.stateRoot())
  const netsplit = netsplitOf(genesis)
  return DatabaseChain.open(
    db,
    { chain, genesis: header, state },
    {
      ...options,
      ...(netsplit !== undefined ? { mergeNetsplitBlock: netsplit } : {}),
    },
  )
}

/**
 * Imports concatenated RLP blocks in order; stops at the first invalid one (the head stays at
 * the last valid block, as hive expects). Returns how many were imported and the first error.
 */
export function importChain(chain: MemoryChain, rlp: Uint8Array): { imported: number; error?: string } {
  let imported = 0
  for (const block of splitBlocks(rlp.constructor === Uint8Array ? rlp : new Uint8Array(rlp))) {
    try {
      chain.blockchain.importBlock(block)
      imported++
    } catch (error) {
      return { imported, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) }
    }
  }
  return { imported }
}
