import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { ChainDb } from '@crucible/chaindb'
import { openLevelKv } from '@crucible/kv-level'
import { hexToBytes } from '@crucible/primitives'
import {
  chainFromFiles,
  createProvider,
  databaseChainFromFiles,
  importChain,
  type MemoryChain,
  TxPool,
} from '@crucible/rpc'
import { verifyProof } from '@crucible/trie'
import { BrowserProvider, JsonRpcProvider, WebSocketProvider } from 'ethers'
import { createPublicClient, custom, http, type PublicClient, webSocket } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../src/index.js'

// viem and ethers v6, unchanged, read the imported execution-apis chain through HTTP,
// WebSocket and the in-process EIP-1193 provider; the answers are the fixtures' values. The
// chain is held in memory, and (the same checks) in a LevelDB chain database, reopened.
const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
const EMITTER = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
const BLOCK_1 = '0x80e911b62f552f563a2544dfef5eb39ec8863d9082c998ca6b657f76e19de38e'
const BLOCK_AT_BALANCE = '0xa38f2a6f7d276298d8e7a9bfa28625e4dc8948021f5a7369d0a04571879e98d2'
/** An EIP-1559 transaction in block 27 (a post-Byzantium receipt: status, not root). */
const FEE_MARKET_TX = '0x205405746564cbcf1dd53fb5ac92c7622d3792d82f03c59d9baddf2443d91864'
const HEAD = '0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7'

interface Served {
  chain: MemoryChain
  server: RunningServer
}
const served: Record<string, Served> = {}
let dir: string
let db: ChainDb | undefined

beforeAll(async () => {
  const genesis = JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis
  const rlp = new Uint8Array(readFileSync(join(TESTS, 'chain.rlp')))
  const memory = chainFromFiles(genesis)
  importChain(memory, rlp)
  dir = mkdtempSync(join(tmpdir(), 'crucible-clients-'))
  const path = join(dir, 'chaindata')
  const importing = await ChainDb.open(await openLevelKv(path))
  importChain(databaseChainFromFiles(importing, genesis), rlp)
  await importing.close()
  db = await ChainDb.open(await openLevelKv(path))
  const stored = databaseChainFromFiles(db, genesis)
  for (const [name, chain] of [
    ['memory', memory],
    ['leveldb', stored],
  ] as const)
    served[name] = { chain, server: await startServer({ chain, pool: new TxPool(), http: { port: 0 } }) }
  // Two imports of the chain (memory and LevelDB): past the default 10 s on a loaded machine.
}, 120_000)
afterAll(async () => {
  for (const { server } of Object.values(served)) await server.close()
  await db?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function checkViem(client: PublicClient) {
  expect(await client.getBlockNumber()).toBe(54n)
  expect(await client.getChainId()).toBe(3503995874084926)
  const block = await client.getBlock({ blockNumber: 1n })
  expect(block.hash).toBe(BLOCK_1)
  expect((await client.getBlock()).hash).toBe(HEAD)
  const receipt = await client.getTransactionReceipt({ hash: FEE_MARKET_TX })
  expect(receipt.blockNumber).toBe(27n)
  expect(receipt.gasUsed).toBe(0xca9cn)
  expect(receipt.status).toBe('success')
  const logs = await client.getLogs({ address: EMITTER, fromBlock: 1n, toBlock: 4n })
  expect(logs.map((l) => l.transactionHash)[0]).toBe(
    '0x5bc704d4eb4ce7fe319705d2f888516961426a177f2799c9f934b5df7466dd33',
  )
  expect(logs).toHaveLength(2)
  const filter = await client.createEventFilter({ address: EMITTER, fromBlock: 1n, toBlock: 4n })
  expect(await client.getFilterLogs({ filter })).toHaveLength(2)
  const past = await client.getBlock({ blockHash: BLOCK_AT_BALANCE })
  expect(await client.getBalance({ address: EMITTER, blockNumber: past.number })).toBe(0x56n)
  expect(await client.getBalance({ address: EMITTER })).toBe(0x76n)
  const call = await client.call({ to: '0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667', data: '0xff01' })
  expect(call.data).toBe('0xffee')
  expect(
    await client.estimateGas({
      account: '0xaa00000000000000000000000000000000000000',
      to: '0x0100000000000000000000000000000000000000',
    }),
  ).toBe(21000n)
  const proof = await client.getProof({ address: EMITTER, storageKeys: [`0x${'00'.repeat(32)}`] })
  const head = await client.getBlock()
  const account = verifyProof(
    hexToBytes(head.stateRoot),
    hexToBytes(EMITTER),
    proof.accountProof.map((p) => hexToBytes(p)),
    { secure: true },
  )
  expect(account).toBeDefined()
  expect(proof.storageProof[0]!.value).toBe(0x38n)
  const slot = verifyProof(
    hexToBytes(proof.storageHash),
    hexToBytes(`0x${'00'.repeat(32)}`),
    proof.storageProof[0]!.proof.map((p) => hexToBytes(p)),
    { secure: true },
  )
  expect(slot).toEqual(Uint8Array.of(0x38))
  // At a past block: the proof hashes up to that block's state root.
  const old = await client.getProof({ address: EMITTER, storageKeys: [], blockNumber: past.number })
  const oldAccount = verifyProof(
    hexToBytes(past.stateRoot),
    hexToBytes(EMITTER),
    old.accountProof.map((p) => hexToBytes(p)),
    { secure: true },
  )
  expect(oldAccount).toBeDefined()
  expect(old.balance).toBe(0x56n)
}

describe.each(['memory', 'leveldb'])('viem, chain in %s', (name) => {
  it('over HTTP', async () => {
    await checkViem(createPublicClient({ transport: http(served[name]!.server.url) }))
  })
  it('over WebSocket', async () => {
    const transport = webSocket(served[name]!.server.url.replace('http', 'ws'))
    const client = createPublicClient({ transport })
    await checkViem(client)
    const socket = await client.transport.getRpcClient()
    socket.close()
  })
  it('in process (custom transport over the EIP-1193 provider)', async () => {
    const provider = createProvider({ chain: served[name]!.chain, pool: new TxPool() })
    await checkViem(createPublicClient({ transport: custom(provider) }))
  })
})

async function checkEthers(provider: JsonRpcProvider | WebSocketProvider | BrowserProvider) {
  expect(await provider.getBlockNumber()).toBe(54)
  expect((await provider.getNetwork()).chainId).toBe(3503995874084926n)
  expect((await provider.getBlock(1))?.hash).toBe(BLOCK_1)
  const receipt = await provider.getTransactionReceipt(FEE_MARKET_TX)
  expect(receipt?.blockNumber).toBe(27)
  expect(receipt?.gasUsed).toBe(0xca9cn)
  expect(receipt?.status).toBe(1)
  const logs = await provider.getLogs({ address: EMITTER, fromBlock: 1, toBlock: 4 })
  expect(logs).toHaveLength(2)
  expect(await provider.getBalance(EMITTER, (await provider.getBlock(BLOCK_AT_BALANCE))!.number)).toBe(0x56n)
  expect(await provider.call({ to: '0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667', data: '0xff01' })).toBe(
    '0xffee',
  )
  expect(
    await provider.estimateGas({
      from: '0xaa00000000000000000000000000000000000000',
      to: '0x0100000000000000000000000000000000000000',
    }),
  ).toBe(21000n)
}

describe.each(['memory', 'leveldb'])('ethers v6, chain in %s', (name) => {
  it('over HTTP', async () => {
    const provider = new JsonRpcProvider(served[name]!.server.url, undefined, { staticNetwork: true })
    await checkEthers(provider)
    provider.destroy()
  })
  it('over WebSocket', async () => {
    const provider = new WebSocketProvider(served[name]!.server.url.replace('http', 'ws'))
    await checkEthers(provider)
    await provider.destroy()
  })
  it('in process (BrowserProvider over the EIP-1193 provider)', async () => {
    const provider = new BrowserProvider(createProvider({ chain: served[name]!.chain, pool: new TxPool() }))
    await checkEthers(provider)
  })
})
