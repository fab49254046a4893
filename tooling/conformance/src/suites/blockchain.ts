import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Block,
  Blockchain,
  BlockError,
  type BlockHeader,
  type ChainStore,
  decodeBlock,
  defaultVm,
  headerFromJson,
  headerHash,
} from '@crucible/block'
import { ChainDb, ChainDbStore } from '@crucible/chaindb'
import {
  type BlobParams,
  type ChainConfig,
  chainFromFixtureNetwork,
  type ForkName,
  forkFromFixtureName,
} from '@crucible/forks'
import { openLevelKv } from '@crucible/kv-level'
import { bytesToHex, CrucibleError, hexToBigInt, hexToBytes } from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'
import type { FileContext, Suite } from '../suite.js'

/**
 * BlockchainTests (ethereum-tests, legacytests) and EEST `blockchain_test` fixtures. Each test
 * gives a genesis header and pre-state, then blocks as RLP: those with `expectException` must
 * be refused, the others imported. The canonical head must end at `lastblockhash` with the
 * post-state `postState` (or its root `postStateHash`). One case per test.
 *
 * Every fixture here is sealed with `NoProof`; PoW seals are never checked (see
 * `validateHeader`), so an `Ethash` test would be reported as skipped rather than trusted.
 */

interface FixtureBlock {
  rlp: string
  expectException?: string
  blockHeader?: Record<string, string>
}

export interface BlockchainTest {
  network: string
  sealEngine?: string
  genesisBlockHeader: Record<string, string>
  genesisRLP?: string
  pre: Alloc
  blocks: FixtureBlock[]
  lastblockhash: string
  postState?: Alloc
  postStateHash?: string
  config?: { chainid?: string; blobSchedule?: Record<string, Record<string, string>> }
}

export function chainOf(test: BlockchainTest): ChainConfig {
  const chainId = test.config?.chainid ? hexToBigInt(test.config.chainid) : 1n
  const chain = chainFromFixtureNetwork(test.network, chainId)
  const schedule = test.config?.blobSchedule
  if (!schedule) return chain
  const blobSchedule: Partial<Record<ForkName, BlobParams>> = {}
  for (const [name, p] of Object.entries(schedule)) {
    let fork: ForkName
    try {
      fork = forkFromFixtureName(name)
    } catch {
      continue
    }
    blobSchedule[fork] = {
      target: Number(hexToBigInt(p.target!)),
      max: Number(hexToBigInt(p.max!)),
      baseFeeUpdateFraction: hexToBigInt(p.baseFeeUpdateFraction!),
    }
  }
  return { ...chain, blobSchedule }
}

export function describe(error: unknown): string {
  if (error instanceof CrucibleError) return `${error.code}: ${error.shortMessage}`
  return error instanceof Error ? error.message : String(error)
}

export function genesisOf(test: BlockchainTest): Block | BlockHeader {
  return test.genesisRLP ? decodeBlock(hexToBytes(test.genesisRLP)) : headerFromJson(test.genesisBlockHeader)
}

/**
 * Runs one test (on `store`, or in memory); returns undefined when it passes, else why it
 * failed.
 */
export function runBlockchainTest(test: BlockchainTest, store?: ChainStore): string | undefined {
  const chain = chainOf(test)
  const genesisHeader = headerFromJson(test.genesisBlockHeader)
  if (bytesToHex(headerHash(genesisHeader)) !== test.genesisBlockHeader.hash)
    return 'genesis header hash mismatch'
  const genesis = genesisOf(test)
  const state = WorldState.fromAlloc(test.pre)
  let blockchain: Blockchain
  try {
    blockchain = new Blockchain({ chain, genesis, state, vm: defaultVm, ...(store ? { store } : {}) })
  } catch (error) {
    return `genesis: ${describe(error)}`
  }
  for (const [i, block] of test.blocks.entries()) {
    let rlp: Uint8Array
    try {
      rlp = hexToBytes(block.rlp)
    } catch (error) {
      if (block.expectException) continue
      return `block ${i}: ${describe(error)}`
    }
    try {
      blockchain.importBlock(rlp)
      if (block.expectException) return `block ${i} imported, expected ${block.expectException}`
    } catch (error) {
      if (!block.expectException) return `block ${i}: ${describe(error)}`
      // Anything other than a typed rejection is a bug in the client, not a refusal.
      if (!(error instanceof CrucibleError))
        return `block ${i}: ${describe(error)} (expected ${block.expectException})`
    }
  }
  const head = blockchain.head
  if (head.key !== test.lastblockhash.toLowerCase()) {
    return `head ${head.key} (number ${head.block.header.number}), expected ${test.lastblockhash}`
  }
  const headRoot = bytesToHex(head.block.header.stateRoot)
  if (test.postStateHash !== undefined) {
    return headRoot === test.postStateHash.toLowerCase()
      ? undefined
      : `post-state root ${headRoot}, expected ${test.postStateHash}`
  }
  if (test.postState) {
    const expected = bytesToHex(WorldState.fromAlloc(test.postState).stateRoot())
    if (expected !== headRoot) return `post-state root ${headRoot}, expected ${expected} from postState`
    const actual = bytesToHex(blockchain.stateAt(head).stateRoot())
    if (actual !== headRoot) return `stored post-state root ${actual} differs from the head's ${headRoot}`
  }
  return undefined
}

/**
 * The test on the persistent path: imported into a new LevelDB chain database, which is then
 * closed and reopened; the reopened chain must resume at the expected head with its post-state.
 */
async function runOnLevel(test: BlockchainTest): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-bt-'))
  try {
    let db = await ChainDb.open(await openLevelKv(dir))
    let reason: string | undefined
    try {
      reason = runBlockchainTest(test, new ChainDbStore(db))
    } finally {
      await db.close()
    }
    if (reason !== undefined) return reason
    db = await ChainDb.open(await openLevelKv(dir))
    try {
      const reopened = new Blockchain({
        chain: chainOf(test),
        genesis: genesisOf(test),
        vm: defaultVm,
        store: new ChainDbStore(db),
      })
      const head = reopened.head
      if (head.key !== test.lastblockhash.toLowerCase())
        return `reopened at head ${head.key}, expected ${test.lastblockhash}`
      const root = bytesToHex(reopened.stateAt(head).stateRoot())
      if (root !== bytesToHex(head.block.header.stateRoot)) return `reopened post-state root ${root}`
      return undefined
    } finally {
      await db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const suite: Suite = {
  name: 'blockchain',
  // legacytests also holds state tests (Cancun and Constantinople GeneralStateTests): they are
  // told apart by content and reported as set aside.
  defaultPaths: [
    'ethereum-tests/BlockchainTests',
    'eest-v5.4.0/blockchain_tests.tar.gz',
    'legacytests/legacytests.tar.gz',
  ],
  format: 'blockchain',
  async runFile(ctx: FileContext) {
    for (const [name, test] of Object.entries(ctx.tests as Record<string, BlockchainTest>)) {
      if (!ctx.begin(name, test.network, 0)) continue
      if (test.sealEngine && test.sealEngine !== 'NoProof') {
        ctx.report({
          test: name,
          fork: test.network,
          index: 0,
          ok: true,
          skipped: true,
          reason: `sealEngine ${test.sealEngine}: PoW seals are not verified`,
        })
        continue
      }
      let reason: string | undefined
      try {
        reason = ctx.options.store === 'level' ? await runOnLevel(test) : runBlockchainTest(test)
      } catch (error) {
        reason = `uncaught ${error instanceof BlockError ? describe(error) : error instanceof Error ? (error.stack ?? error.message) : String(error)}`
      }
      ctx.report(
        reason === undefined
          ? { test: name, fork: test.network, index: 0, ok: true }
          : { test: name, fork: test.network, index: 0, ok: false, reason },
      )
    }
  },
}

export default suite
