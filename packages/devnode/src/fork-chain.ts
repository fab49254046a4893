import { type HeaderJson, headerFromJson, type StoredBlock } from '@crucible/block'
import type { ChainDb } from '@crucible/chaindb'
import type { ForkName } from '@crucible/forks'
import {
  bytesToHex,
  type Hex,
  hexToBigInt,
  hexToBytes,
  KECCAK256_RLP_EMPTY,
  numberToHex,
} from '@crucible/primitives'
import { DEFAULT_MNEMONIC, devAccounts } from './accounts.js'
import { DevChain } from './chain.js'
import { ForkState } from './fork.js'
import { DEFAULT_BALANCE, devChainConfig, NEWEST_FORK, systemContracts } from './genesis.js'
import type { DevSetup, ForkSetup } from './setup.js'
import { ForkError, Upstream, type UpstreamOptions } from './upstream.js'

/** What shapes a new forked chain (the dev node's options that apply to one). */
export interface NewForkOptions {
  chainId?: bigint
  hardfork?: ForkName
  mnemonic?: string
  accounts?: number
  balance?: bigint
  gasLimit?: bigint
}

export type ForkOptions = { url: string; blockNumber?: bigint } & UpstreamOptions

/**
 * Starts a forked chain in an empty database: the upstream's fork block (its latest unless
 * told) becomes this chain's first block, as the upstream has it (hash, number, base fee,
 * time), and its state here is the upstream's with the dev accounts funded and the fork's
 * system contracts in place where the upstream lacks them.
 */
export async function openFork(
  db: ChainDb,
  options: NewForkOptions,
  fork: ForkOptions,
): Promise<{ setup: DevSetup; chain: DevChain }> {
  const upstream = new Upstream(fork.url, fork)
  const tag = fork.blockNumber === undefined ? 'latest' : numberToHex(fork.blockNumber)
  const [chainIdHex, json] = await Promise.all([
    upstream.call('eth_chainId', []),
    upstream.call('eth_getBlockByNumber', [tag, false]),
  ])
  if (json === null || typeof json !== 'object')
    throw new ForkError('UPSTREAM_ANSWER', 'the upstream has no such block', { block: tag })
  const header = headerFromJson(json as HeaderJson)
  const hash = hexToBytes((json as { hash: Hex }).hash)
  const upstreamChainId = hexToBigInt(chainIdHex as Hex)
  const chainId = options.chainId ?? upstreamChainId
  const hardfork = options.hardfork ?? NEWEST_FORK
  const config = devChainConfig(hardfork, chainId)
  const base = new ForkState(db, upstream, upstreamChainId, header.number)
  const mnemonic = options.mnemonic ?? DEFAULT_MNEMONIC
  const count = options.accounts ?? 10
  const balance = options.balance ?? DEFAULT_BALANCE
  const accounts = devAccounts(mnemonic, count)
  // Everything the fork block's state here reads, fetched at once (one batch), not one by one.
  const systems = systemContracts(config, hardfork)
  await Promise.all(
    [...accounts.map((a) => a.address), ...systems.map((s) => BigInt(s.address))].map((address) =>
      base.fetch({ kind: 'account', address }),
    ),
  )
  const state = await base.run(() => {
    const s = db.openState(KECCAK256_RLP_EMPTY, { base })
    s.beginTransaction()
    for (const a of accounts) s.setBalance(a.address, balance)
    for (const system of systems) {
      const address = BigInt(system.address)
      if (s.getCode(address).length > 0) continue
      s.setCode(address, hexToBytes(system.code as Hex))
      s.setNonce(address, 1n)
    }
    s.endTransaction([], false)
    return s
  })
  const stored: StoredBlock = {
    hash,
    key: bytesToHex(hash),
    block: { header, transactions: [], uncles: [] },
    totalDifficulty: 0n,
    receipts: [],
  }
  if (header.withdrawalsRoot) stored.block.withdrawals = []
  const root = DevChain.commitForkGenesis(db, stored, state)
  const forkSetup: ForkSetup = {
    url: fork.url,
    chainId: upstreamChainId.toString(),
    blockNumber: header.number.toString(),
    blockHash: bytesToHex(hash),
    root: bytesToHex(root),
  }
  const setup: DevSetup = {
    chainId: chainId.toString(),
    hardfork,
    mnemonic,
    accounts: count,
    balance: balance.toString(),
    gasLimit: (options.gasLimit ?? header.gasLimit).toString(),
    timestamp: header.timestamp.toString(),
    fork: forkSetup,
  }
  return { setup, chain: DevChain.openFork(db, config, hash, root, base) }
}

/** Reopens a forked chain from its setup (`fork.url`, when given, replaces the stored one). */
export function resumeFork(db: ChainDb, setup: DevSetup, stored: ForkSetup, fork: ForkOptions): DevChain {
  const upstream = new Upstream(fork.url, fork)
  const base = new ForkState(db, upstream, BigInt(stored.chainId), BigInt(stored.blockNumber))
  const config = devChainConfig(setup.hardfork, BigInt(setup.chainId))
  return DevChain.openFork(
    db,
    config,
    hexToBytes(stored.blockHash as Hex),
    hexToBytes(stored.root as Hex),
    base,
  )
}
