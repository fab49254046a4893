import { Blockchain, type BlockHeader, decodeBlock, defaultVm, headerHash } from '@crucible/block'
import {
  type Capsule,
  decodeCapsule,
  encodeCapsule,
  recordBlock,
  replayCapsule,
  replayVerifiedCapsule,
} from '@crucible/capsule'
import { ChainDb, ChainDbStore } from '@crucible/chaindb'
import { MemoryKv } from '@crucible/kv'
import { bytesToHex, CrucibleError, equalBytes, hexToBytes } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import type { FileContext, Suite } from '../suite.js'
import { type BlockchainTest, chainOf, describe, genesisOf } from './blockchain.js'

/**
 * The capsule round trip over the blockchain fixtures: each test's chain is imported into a
 * chain database (in memory); for every block that imports, a verified capsule is cut from
 * its parent's stored state, encoded, decoded and replayed with no database, and must give
 * the block's state root and receipts root; the same capsule without its trie nodes (flat
 * mode) must replay to the same receipts and state diff. One case per test.
 */

/** A flat capsule from a verified one: the same reads, without the trie nodes. */
export function flatten(capsule: Capsule): Capsule {
  return { ...capsule, mode: 'flat', pre: { ...capsule.pre, nodes: [] } }
}

/** Cuts, encodes, decodes and replays one block's capsule; returns why it failed, if it did. */
export async function roundTrip(capsule: Capsule, header: BlockHeader): Promise<string | undefined> {
  const bytes = encodeCapsule(capsule)
  const decoded = decodeCapsule(bytes)
  const verified = replayVerifiedCapsule(decoded)
  if (!verified.ok) return `verified replay: ${JSON.stringify(verified.mismatches.slice(0, 2))}`
  const outcome = verified.outcome
  if (outcome.kind !== 'block') return 'not a block outcome'
  if (!equalBytes(outcome.stateRoot, header.stateRoot))
    return `replayed state root ${bytesToHex(outcome.stateRoot)}`
  if (!equalBytes(outcome.receiptsRoot, header.receiptsRoot))
    return `replayed receipts root ${bytesToHex(outcome.receiptsRoot)}`
  const flat = await replayCapsule(decodeCapsule(encodeCapsule(flatten(decoded))))
  if (!flat.ok) return `flat replay: ${JSON.stringify(flat.mismatches.slice(0, 2))}`
  return undefined
}

/** Imports the test's chain and round-trips every block that imports; undefined when all pass. */
export async function capsuleTest(test: BlockchainTest): Promise<{ reason?: string; blocks: number }> {
  const chain = chainOf(test)
  const db = await ChainDb.open(new MemoryKv())
  const blockchain = new Blockchain({
    chain,
    genesis: genesisOf(test),
    state: WorldState.fromAlloc(test.pre),
    vm: defaultVm,
    store: new ChainDbStore(db),
  })
  const getHeader = (hash: Uint8Array) => blockchain.getBlock(hash)?.block.header
  let blocks = 0
  for (const [i, fixtureBlock] of test.blocks.entries()) {
    if (fixtureBlock.expectException) continue
    let block: ReturnType<typeof decodeBlock>
    try {
      block = decodeBlock(hexToBytes(fixtureBlock.rlp))
      if (blockchain.importDecoded(block).known) continue
    } catch (error) {
      return { reason: `block ${i} does not import: ${describe(error)}`, blocks }
    }
    const parent = blockchain.getBlock(block.header.parentHash)!
    const rules = blockchain.rulesFor(block.header, parent)
    let reason: string | undefined
    try {
      const capsule = recordBlock({ block, rules, chain, database: db.state, getHeader })
      reason = await roundTrip(capsule, block.header)
    } catch (error) {
      reason = error instanceof CrucibleError ? describe(error) : String((error as Error)?.stack ?? error)
    }
    if (reason !== undefined)
      return {
        reason: `block ${i} (${bytesToHex(headerHash(block.header)).slice(0, 10)}): ${reason}`,
        blocks,
      }
    blocks++
  }
  return { blocks }
}

const suite: Suite = {
  name: 'capsule',
  defaultPaths: ['ethereum-tests/BlockchainTests', 'eest-v5.4.0/blockchain_tests.tar.gz'],
  format: 'blockchain',
  async runFile(ctx: FileContext) {
    for (const [name, test] of Object.entries(ctx.tests as Record<string, BlockchainTest>)) {
      if (!ctx.begin(name, test.network, 0)) continue
      if (test.sealEngine && test.sealEngine !== 'NoProof') {
        ctx.report({ test: name, fork: test.network, index: 0, ok: true, skipped: true, reason: 'PoW seal' })
        continue
      }
      let reason: string | undefined
      try {
        reason = (await capsuleTest(test)).reason
      } catch (error) {
        reason = `uncaught ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
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
