import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  Blockchain,
  BlockError,
  ChainError,
  chainFromGethConfig,
  decodeBlock,
  defaultVm,
  encodeBlock,
  type GethGenesis,
  genesisHeader,
  headerHash,
  normalizeAlloc,
  receiptsRoot,
} from '@crucible/block'
import { MemoryKv } from '@crucible/kv'
import { LevelKv } from '@crucible/kv-level'
import {
  bytesToHex,
  concatBytes,
  decodeRlpPrefix,
  equalBytes,
  hexToBigInt,
  keccak256,
} from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { afterAll, describe, expect, it } from 'vitest'
import { ChainDb, ChainDbError } from './chaindb.js'
import { encodeReceipts } from './codec.js'
import { getLogs } from './logs.js'
import { databaseStats } from './stats.js'
import { ChainDbStore } from './store.js'

const TESTS = '/work/shared/fixtures/execution-apis/tests'
const genesisJson = JSON.parse(readFileSync(`${TESTS}/genesis.json`, 'utf8')) as GethGenesis
const chain = chainFromGethConfig(genesisJson.config)
const alloc = normalizeAlloc(genesisJson.alloc)
const genesis = genesisHeader(genesisJson, chain, WorldState.fromAlloc(alloc).stateRoot())
const chainRlp = new Uint8Array(readFileSync(`${TESTS}/chain.rlp`))
const HEAD = JSON.parse(readFileSync(`${TESTS}/headfcu.json`, 'utf8')).params[0].headBlockHash as string

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
const blocks = splitBlocks(chainRlp)

const dirs: string[] = []
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-chaindb-'))
  dirs.push(dir)
  return join(dir, 'chaindata')
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

async function openChain(path: string) {
  const db = await ChainDb.open(await LevelKv.open(path))
  const blockchain = new Blockchain({
    chain,
    genesis,
    state: WorldState.fromAlloc(alloc),
    vm: defaultVm,
    store: new ChainDbStore(db),
  })
  return { db, blockchain }
}

/** Every account and slot the reference state holds reads the same from the stored one. */
function expectSameState(stored: WorldState, reference: WorldState): void {
  for (const address of reference.addresses()) {
    expect(stored.getBalance(address)).toBe(reference.getBalance(address))
    expect(stored.getNonce(address)).toBe(reference.getNonce(address))
    expect(stored.getCodeHash(address)).toEqual(reference.getCodeHash(address))
    for (const [key, value] of reference.storageEntries(address))
      expect(stored.getStorage(address, key)).toBe(value)
  }
}

describe('the execution-apis chain in a LevelDB chain database', () => {
  it('imports 54 blocks, reopens at the same head, and reads every block, receipt, log and state back', async () => {
    const path = tempPath()
    const reference = new Blockchain({ chain, genesis, state: WorldState.fromAlloc(alloc), vm: defaultVm })
    let { db, blockchain } = await openChain(path)
    for (const rlp of blocks) {
      expect(blockchain.importBlock(rlp).head).toBe(true)
      reference.importBlock(rlp)
    }
    expect(blockchain.head.key).toBe(HEAD)
    await db.close()

    ;({ db, blockchain } = await openChain(path))
    expect(blockchain.head.key).toBe(HEAD)
    expect(blockchain.head.block.header.number).toBe(54n)
    expect(bytesToHex(db.getHeadHash()!)).toBe(HEAD)

    // Export: the canonical blocks' RLP, concatenated, is the file imported.
    const exported: Uint8Array[] = []
    for (let n = 1n; n <= 54n; n++) exported.push(db.getBlockRlp(db.getCanonicalHash(n)!)!)
    expect(equalBytes(concatBytes(...exported), chainRlp)).toBe(true)

    let logs = 0
    let txs = 0
    for (let n = 0n; n <= 54n; n++) {
      const hash = db.getCanonicalHash(n)!
      const header = db.getHeader(hash)!
      expect(headerHash(header)).toEqual(hash)
      const receipts = db.getReceipts(hash)!
      expect(receiptsRoot(receipts)).toEqual(header.receiptsRoot)
      // (Compared encoded: the EVM's log data are views into larger buffers, slow to deep-compare.)
      expect(bytesToHex(encodeReceipts(receipts))).toBe(
        bytesToHex(encodeReceipts(reference.getCanonicalBlock(n)!.receipts)),
      )
      const block = db.getBlock(hash)!
      block.transactions.forEach((tx, index) => {
        expect(db.getTransaction(keccak256(tx))).toEqual({
          transaction: tx,
          location: { blockNumber: n, blockHash: hash, index },
        })
        txs++
      })
      for (const r of receipts) logs += r.logs.length
      // The post-state of every block opens by its number and reads as the in-memory chain's.
      expectSameState(
        blockchain.stateAt(blockchain.getCanonicalBlock(n)!),
        reference.stateAt(reference.getCanonicalBlock(n)!),
      )
    }
    expect(txs).toBeGreaterThan(0)
    expect(logs).toBeGreaterThan(0)
    expect(getLogs(db, { fromBlock: 0n, toBlock: 54n }).length).toBe(logs)
    const first = getLogs(db, { fromBlock: 0n, toBlock: 54n })[0]!
    const byAddress = getLogs(db, { fromBlock: 0n, toBlock: 54n, address: first.log.address })
    expect(byAddress.every((e) => e.log.address === first.log.address)).toBe(true)
    expect(byAddress.length).toBeGreaterThan(0)
    const byTopic = getLogs(db, { fromBlock: 0n, toBlock: 54n, topics: [first.log.topics[0] ?? null] })
    expect(byTopic.length).toBeGreaterThan(0)
    expect(getLogs(db, { fromBlock: 0n, toBlock: 54n, address: 0x1234n })).toEqual([])

    const stats = await databaseStats(db.kv)
    const count = (kind: string) => stats.find((s) => s.kind === kind)!.count
    expect(count('header')).toBe(55)
    expect(count('block')).toBe(55)
    expect(count('canonical')).toBe(55)
    expect(count('txLookup')).toBe(txs)
    expect(count('trieNode')).toBeGreaterThan(100)
    expect(stats.find((s) => s.kind === 'other')).toBeUndefined()
    await db.close()
  })

  it('refuses a block with a wrong state root, keeps the head, and stores nothing of it', async () => {
    const path = tempPath()
    const { db, blockchain } = await openChain(path)
    for (const rlp of blocks.slice(0, 10)) blockchain.importBlock(rlp)
    await db.flush()
    const before = await databaseStats(db.kv)
    const bad = decodeBlock(blocks[10]!)
    bad.header.stateRoot = new Uint8Array(32).fill(1)
    expect(() => blockchain.importBlock(encodeBlock(bad))).toThrow(BlockError)
    await db.flush()
    expect(await databaseStats(db.kv)).toEqual(before)
    expect(blockchain.head.block.header.number).toBe(10n)
    // The parent's state is intact: the real block imports.
    expect(blockchain.importBlock(blocks[10]!).head).toBe(true)
    await db.close()
    const again = await openChain(path)
    expect(again.blockchain.head.block.header.number).toBe(11n)
    await again.db.close()
  })

  it('imports with the working state released after every block, to the same head', async () => {
    const db = await ChainDb.open(new MemoryKv())
    const blockchain = new Blockchain({
      chain,
      genesis,
      state: WorldState.fromAlloc(alloc),
      vm: defaultVm,
      store: new ChainDbStore(db, { maxAccounts: 0, recentBlocks: 1 }),
    })
    for (const rlp of blocks) blockchain.importBlock(rlp)
    expect(blockchain.head.key).toBe(HEAD)
    await db.close()
  })

  it('refuses to open a datadir with another genesis', async () => {
    const path = tempPath()
    const { db } = await openChain(path)
    await db.close()
    const other = await ChainDb.open(await LevelKv.open(path))
    const otherGenesis = { ...genesis, extraData: Uint8Array.of(1) }
    let error: unknown
    try {
      new Blockchain({ chain, genesis: otherGenesis, vm: defaultVm, store: new ChainDbStore(other) })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ChainError)
    expect((error as ChainError).code).toBe('GENESIS_MISMATCH')
    await other.close()
  })
})

describe('ChainDb', () => {
  it('refuses a store that is not a chain database', async () => {
    const kv = new MemoryKv()
    await kv.put(Uint8Array.of(1), Uint8Array.of(2))
    await expect(ChainDb.open(kv)).rejects.toBeInstanceOf(ChainDbError)
  })

  it('opens an old root (archive) and reports a root it does not hold', async () => {
    const db = await ChainDb.open(new MemoryKv())
    const blockchain = new Blockchain({
      chain,
      genesis,
      state: WorldState.fromAlloc(alloc),
      vm: defaultVm,
      store: new ChainDbStore(db),
    })
    for (const rlp of blocks.slice(0, 20)) blockchain.importBlock(rlp)
    const five = db.getHeaderByNumber(5n)!
    const state = db.openState(five.stateRoot)
    const someone = hexToBigInt(Object.keys(alloc)[0]!)
    expect(state.getBalance(someone)).toBe(
      blockchain.stateAt(blockchain.getCanonicalBlock(5n)!).getBalance(someone),
    )
    expect(() => db.openState(new Uint8Array(32).fill(3))).toThrow(ChainDbError)
    await db.close()
  })
})
