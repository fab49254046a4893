// Replays official blockchain tests on the persistent path: every test imported into a chain
// database (MemoryKv, or LevelDB in a temp dir with --level), reopened, head and post-state
// checked by reading every postState account and slot back from the stored state.
//
//   node --conditions=@crucible/source --import tsx packages/chaindb/test/replay-blockchain-tests.ts [--level] PATH...
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain, ChainError, decodeBlock, defaultVm, headerFromJson } from '@crucible/block'
import {
  type BlobParams,
  type ChainConfig,
  chainFromFixtureNetwork,
  type ForkName,
  forkFromFixtureName,
} from '@crucible/forks'
import { type KvStore, MemoryKv } from '@crucible/kv'
import { LevelKv } from '@crucible/kv-level'
import { bytesToHex, CrucibleError, hexToBigInt, hexToBytes } from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'
import { ChainDb, ChainDbStore } from '../src/index.js'

interface BlockchainTest {
  network: string
  sealEngine?: string
  genesisBlockHeader: Record<string, string>
  genesisRLP?: string
  pre: Alloc
  blocks: Array<{ rlp: string; expectException?: string }>
  lastblockhash: string
  postState?: Alloc
  postStateHash?: string
  config?: { chainid?: string; blobSchedule?: Record<string, Record<string, string>> }
}

function chainOf(test: BlockchainTest): ChainConfig {
  const chain = chainFromFixtureNetwork(
    test.network,
    test.config?.chainid ? hexToBigInt(test.config.chainid) : 1n,
  )
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

const level = process.argv.includes('--level')
const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const NOT_BLOCKCHAIN =
  /(GeneralStateTests|state_tests|TransactionTests|transaction_tests|TrieTests|RLPTests|BasicTests)/

function* files(path: string): Generator<string> {
  if (statSync(path).isDirectory())
    for (const name of readdirSync(path).sort()) yield* files(join(path, name))
  else if (path.endsWith('.json') && !NOT_BLOCKCHAIN.test(path)) yield path
}

async function openKv(): Promise<{ kv: KvStore; reopen: () => Promise<KvStore>; done: () => void }> {
  if (!level) {
    const kv = new MemoryKv()
    return { kv, reopen: async () => kv, done: () => {} }
  }
  const dir = mkdtempSync(join(tmpdir(), 'crucible-replay-'))
  const kv = await LevelKv.open(join(dir, 'db'))
  return {
    kv,
    reopen: () => LevelKv.open(join(dir, 'db')),
    done: () => rmSync(dir, { recursive: true, force: true }),
  }
}

async function run(test: BlockchainTest): Promise<string | undefined> {
  const chain = chainOf(test)
  const genesis = test.genesisRLP
    ? decodeBlock(hexToBytes(test.genesisRLP))
    : headerFromJson(test.genesisBlockHeader)
  const store = await openKv()
  try {
    let db = await ChainDb.open(store.kv)
    let blockchain = new Blockchain({
      chain,
      genesis,
      state: WorldState.fromAlloc(test.pre),
      vm: defaultVm,
      store: new ChainDbStore(db),
    })
    for (const [i, block] of test.blocks.entries()) {
      let rlp: Uint8Array
      try {
        rlp = hexToBytes(block.rlp)
      } catch {
        if (block.expectException) continue
        return `block ${i}: bad hex`
      }
      try {
        blockchain.importBlock(rlp)
        if (block.expectException) return `block ${i} imported, expected ${block.expectException}`
      } catch (error) {
        if (!block.expectException) return `block ${i}: ${error instanceof Error ? error.message : error}`
        if (!(error instanceof CrucibleError)) return `block ${i}: untyped ${error}`
      }
    }
    if (level) await db.close()
    else await db.flush() // a MemoryKv does not survive close: reopen the chain database on it
    db = await ChainDb.open(await store.reopen())
    blockchain = new Blockchain({ chain, genesis, vm: defaultVm, store: new ChainDbStore(db) })
    const head = blockchain.head
    try {
      if (head.key !== test.lastblockhash.toLowerCase())
        return `head ${head.key}, expected ${test.lastblockhash}`
      const state = blockchain.stateAt(head)
      if (test.postState) {
        for (const [address, account] of Object.entries(test.postState)) {
          const a = hexToBigInt(address)
          if (state.getBalance(a) !== hexToBigInt(account.balance ?? '0x0')) return `balance of ${address}`
          if (state.getNonce(a) !== hexToBigInt(account.nonce ?? '0x0')) return `nonce of ${address}`
          if (bytesToHex(state.getCode(a)) !== (account.code ?? '0x').toLowerCase())
            return `code of ${address}`
          for (const [key, value] of Object.entries(account.storage ?? {}))
            if (state.getStorage(a, hexToBigInt(key)) !== hexToBigInt(value))
              return `slot ${key} of ${address}`
        }
        const expected = bytesToHex(WorldState.fromAlloc(test.postState).stateRoot())
        if (bytesToHex(head.block.header.stateRoot) !== expected)
          return `post-state root, expected ${expected}`
      }
    } finally {
      await db.close()
    }
    return undefined
  } catch (error) {
    if (error instanceof ChainError) return `chain: ${error.message}`
    return `uncaught ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
  } finally {
    store.done()
  }
}

let passed = 0
let failed = 0
let skipped = 0
const started = performance.now()
for (const root of roots)
  for (const file of files(root)) {
    const tests = JSON.parse(readFileSync(file, 'utf8')) as Record<string, BlockchainTest>
    for (const [name, test] of Object.entries(tests)) {
      if (!test || typeof test !== 'object' || !Array.isArray(test.blocks)) continue
      if (test.sealEngine && test.sealEngine !== 'NoProof') {
        skipped++
        continue
      }
      const reason = await run(test)
      if (reason === undefined) passed++
      else {
        failed++
        console.log(`FAIL ${file} ${name}: ${reason.split('\n')[0]}`)
      }
    }
  }
console.log(
  `replay (${level ? 'LevelDB' : 'MemoryKv'}): ${passed} passed, ${failed} failed, ${skipped} skipped in ${((performance.now() - started) / 1000).toFixed(0)} s`,
)
process.exitCode = failed > 0 ? 1 : 0
