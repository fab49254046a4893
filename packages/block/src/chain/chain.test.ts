import { readFileSync } from 'node:fs'
import { chainFromFixtureNetwork } from '@crucible/forks'
import { decodeRlpPrefix, hexToBytes } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { describe, expect, it } from 'vitest'
import { decodeBlock, encodeBlock } from '../body/block.js'
import { BlockError } from '../errors.js'
import { defaultVm } from '../exec/evm.js'
import { Blockchain } from './chain.js'
import { chainFromGethConfig, type GethGenesis, genesisHeader, normalizeAlloc } from './genesis.js'

const TESTS = '/work/shared/fixtures/execution-apis/tests'

function splitBlocks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  let rest = bytes
  while (rest.length > 0) {
    const next = decodeRlpPrefix(rest).rest
    out.push(rest.subarray(0, rest.length - next.length))
    rest = next
  }
  return out
}

describe('Blockchain on the execution-apis chain (PoW, the merge by TTD, Shanghai to BPO2)', () => {
  const genesis = JSON.parse(readFileSync(`${TESTS}/genesis.json`, 'utf8')) as GethGenesis
  const chain = chainFromGethConfig(genesis.config)
  const state = WorldState.fromAlloc(normalizeAlloc(genesis.alloc))
  const header = genesisHeader(genesis, chain, state.stateRoot())
  const blocks = splitBlocks(readFileSync(`${TESTS}/chain.rlp`))
  const head = JSON.parse(readFileSync(`${TESTS}/headfcu.json`, 'utf8')).params[0].headBlockHash as string

  it('reads the chain config', () => {
    expect(chain.chainId).toBe(3503995874084926n)
    expect(chain.terminalTotalDifficulty).toBe(4732352n)
    expect(chain.blobSchedule?.BPO2?.max).toBe(21)
    expect(chain.forks.at(-1)).toEqual({ fork: 'BPO2', timestamp: 540n })
  })

  it('imports all 54 blocks and ends at the forkchoice head', () => {
    const blockchain = new Blockchain({ chain, genesis: header, state, vm: defaultVm })
    expect(blocks.length).toBe(54)
    for (const rlp of blocks) expect(blockchain.importBlock(rlp).head).toBe(true)
    expect(blockchain.head.block.header.number).toBe(54n)
    expect(blockchain.head.key).toBe(head)
    expect(blockchain.getCanonicalBlock(36n)?.block.header.difficulty).toBe(0n)
    expect(blockchain.getCanonicalBlock(35n)?.block.header.difficulty).not.toBe(0n)
    // A state handed out is a copy: writing to it leaves the stored state alone.
    const copy = blockchain.stateAt(blockchain.head)
    copy.beginTransaction()
    copy.setBalance(0xaan, 12345n)
    copy.endTransaction([], true)
    expect(copy.stateRoot()).not.toEqual(blockchain.head.block.header.stateRoot)
    expect(blockchain.stateAt(blockchain.head).stateRoot()).toEqual(blockchain.head.block.header.stateRoot)
    // Importing a known block again changes nothing.
    expect(blockchain.importBlock(blocks[10]!).known).toBe(true)
    expect(blockchain.head.key).toBe(head)
  })

  it('refuses a block with a wrong state root and keeps the head', () => {
    const blockchain = new Blockchain({
      chain,
      genesis: header,
      state: WorldState.fromAlloc(normalizeAlloc(genesis.alloc)),
      vm: defaultVm,
    })
    for (const rlp of blocks.slice(0, 5)) blockchain.importBlock(rlp)
    const before = blockchain.head.key
    const next = decodeBlock(blocks[5]!)
    next.header.stateRoot = new Uint8Array(32).fill(1)
    let error: unknown
    try {
      blockchain.importBlock(encodeBlock(next))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(BlockError)
    expect((error as BlockError).reason).toBe('INVALID_STATE_ROOT')
    expect(blockchain.head.key).toBe(before)
    // The parent's state is intact: the real block still imports.
    expect(blockchain.importBlock(blocks[5]!).head).toBe(true)
  })
})

describe('fork choice', () => {
  // Two branches from genesis (the DAO fork and a rival branch "H"), invalid blocks between.
  it('follows the heaviest valid branch of a fixture to its lastblockhash', () => {
    const file =
      '/work/shared/fixtures/ethereum-tests/BlockchainTests/TransitionTests/bcHomesteadToDao/DaoTransactions.json'
    const test = Object.values(JSON.parse(readFileSync(file, 'utf8')))[0] as {
      network: string
      pre: Record<string, never>
      genesisRLP: string
      blocks: { rlp: string; expectException?: string }[]
      lastblockhash: string
    }
    const blockchain = new Blockchain({
      chain: chainFromFixtureNetwork(test.network),
      genesis: decodeBlock(hexToBytes(test.genesisRLP)),
      state: WorldState.fromAlloc(test.pre),
      vm: defaultVm,
    })
    let rejected = 0
    for (const block of test.blocks) {
      try {
        blockchain.importBlock(hexToBytes(block.rlp))
        expect(block.expectException).toBeUndefined()
      } catch (error) {
        expect(error).toBeInstanceOf(BlockError)
        expect(block.expectException).toBeDefined()
        rejected++
      }
    }
    expect(rejected).toBeGreaterThan(0)
    expect(blockchain.head.key).toBe(test.lastblockhash)
    // The canonical index follows the head's ancestry after the reorganisations.
    for (
      let b = blockchain.head;
      b.block.header.number > 0n;
      b = blockchain.getBlock(b.block.header.parentHash)!
    ) {
      expect(blockchain.getCanonicalBlock(b.block.header.number)?.key).toBe(b.key)
    }
    expect(blockchain.getCanonicalBlock(blockchain.head.block.header.number + 1n)).toBeUndefined()
  })
})
