import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { MemoryKv } from '@crucible/kv'
import { chainFromFiles, createProvider, importChain, TxPool } from '@crucible/rpc'
import { type RunningServer, startServer } from '@crucible/rpc-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DevNode, devMethods } from '../src/index.js'

// A dev node forked from a second Crucible node (in this process, over real HTTP) that
// serves the imported execution-apis chain: what it reads matches the upstream at the fork
// block, what it changes stays on the fork, and what it fetched once it never fetches again.
const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
/** A contract that counts its calls in slot 0 and logs each call's data. */
const EMITTER = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
/** Returns 0xffee for 0xff01. */
const CONTRACT = '0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667'
/** Reverts with Error("user error"). */
const REVERTER = '0x0ee3ab1371c93e7c0c281cc0c2107cdebc8b1930'
const EOA = '0xeda8645ba6948855e3b3cd596bbb07596d59c603'
const A0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const SLOT0 = `0x${'00'.repeat(32)}`

let upstream: RunningServer

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field in the assertions
async function http(url: string, method: string, params: unknown[] = []): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

beforeAll(async () => {
  const genesis = JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis
  const chain = chainFromFiles(genesis)
  importChain(chain, new Uint8Array(readFileSync(join(TESTS, 'chain.rlp'))))
  upstream = await startServer({ chain, pool: new TxPool(), http: { port: 0 } })
}, 120_000)
afterAll(async () => {
  await upstream?.close()
})

async function fork(kv = new MemoryKv(), blockNumber?: bigint) {
  const { node, created } = await DevNode.open(kv, {
    fork: { url: upstream.url, ...(blockNumber === undefined ? {} : { blockNumber }) },
  })
  const provider = createProvider({ chain: node.chain, pool: node.pool, extra: devMethods(node) })
  const rpc = (method: string, ...params: unknown[]) =>
    provider.request({ method, params }) as Promise<string>
  return { node, created, rpc, requests: () => node.chain.fork!.upstream.requests }
}

describe('fork mode', () => {
  it('reads what the upstream has at the fork block, and a warm read makes no request', async () => {
    const { node, rpc, requests } = await fork(new MemoryKv(), 40n)
    expect(await rpc('eth_blockNumber')).toBe('0x28')
    const upstreamBlock = await http(upstream.url, 'eth_getBlockByNumber', ['0x28', false])
    const forked = (await rpc('eth_getBlockByNumber', '0x28', false)) as unknown as { hash: string }
    expect(forked.hash).toBe(upstreamBlock.hash)
    expect(await rpc('eth_chainId')).toBe(await http(upstream.url, 'eth_chainId'))
    for (const [method, params] of [
      ['eth_getBalance', [EMITTER]],
      ['eth_getBalance', [EOA]],
      ['eth_getTransactionCount', [EOA]],
      ['eth_getCode', [EMITTER]],
      ['eth_getStorageAt', [EMITTER, SLOT0]],
      ['eth_call', [{ from: EOA, to: CONTRACT, input: '0xff01' }]],
    ] as const)
      expect(await rpc(method, ...params, 'latest'), method).toBe(
        await http(upstream.url, method, [...params, '0x28']),
      )
    await expect(rpc('eth_call', { to: REVERTER, input: '0x01', gas: '0x186a0' }, 'latest')).rejects.toThrow(
      /user error/,
    )
    // BLOCKHASH of a block before the fork: the upstream's hash.
    const BLOCKHASH_39 = '0x602740600052602060' + '00f3'
    await rpc('anvil_setCode', '0x000000000000000000000000000000000000b10c', BLOCKHASH_39)
    expect(await rpc('eth_call', { to: '0x000000000000000000000000000000000000b10c' }, 'latest')).toBe(
      (await http(upstream.url, 'eth_getBlockByNumber', ['0x27', false])).hash,
    )
    const before = requests()
    expect(before).toBeGreaterThan(0)
    expect(await rpc('eth_call', { from: EOA, to: CONTRACT, input: '0xff01' }, 'latest')).toBe('0xffee')
    expect(await rpc('eth_getStorageAt', EMITTER, SLOT0, 'latest')).toBe(
      await http(upstream.url, 'eth_getStorageAt', [EMITTER, SLOT0, '0x28']),
    )
    expect(requests()).toBe(before)
    await node.close()
  })

  it('a transaction on the fork changes the fork only; a restart fetches nothing again', async () => {
    const kv = new MemoryKv()
    const first = await fork(kv)
    const head = await http(upstream.url, 'eth_blockNumber')
    expect(await first.rpc('eth_blockNumber')).toBe(head)
    const counter = BigInt(await http(upstream.url, 'eth_getStorageAt', [EMITTER, SLOT0, 'latest']))
    const emitterBalance = await http(upstream.url, 'eth_getBalance', [EMITTER, 'latest'])
    // The dev accounts are funded on the fork.
    expect(BigInt(await first.rpc('eth_getBalance', A0, 'latest'))).toBe(10_000n * 10n ** 18n)

    const hash = await first.rpc('eth_sendTransaction', {
      from: A0,
      to: EMITTER,
      value: '0x5',
      data: '0x1234',
    })
    const receipt = (await first.rpc('eth_getTransactionReceipt', hash)) as unknown as {
      status: string
      blockNumber: string
      logs: unknown[]
    }
    expect(receipt.status).toBe('0x1')
    expect(BigInt(receipt.blockNumber)).toBe(BigInt(head) + 1n)
    expect(receipt.logs).toHaveLength(1)
    expect(BigInt(await first.rpc('eth_getStorageAt', EMITTER, SLOT0, 'latest'))).toBe(counter + 1n)
    expect(BigInt(await first.rpc('eth_getBalance', EMITTER, 'latest'))).toBe(BigInt(emitterBalance) + 5n)
    // The fork block's state is still the upstream's.
    expect(BigInt(await first.rpc('eth_getStorageAt', EMITTER, SLOT0, head))).toBe(counter)
    // The upstream did not change.
    expect(BigInt(await http(upstream.url, 'eth_getStorageAt', [EMITTER, SLOT0, 'latest']))).toBe(counter)
    expect(await http(upstream.url, 'eth_getBalance', [EMITTER, 'latest'])).toBe(emitterBalance)
    expect(await http(upstream.url, 'eth_blockNumber')).toBe(head)

    // An emptied slot stays empty (it does not fall back to the upstream's value).
    await first.rpc('anvil_setStorageAt', EMITTER, SLOT0, SLOT0)
    await first.rpc('evm_mine')
    expect(BigInt(await first.rpc('eth_getStorageAt', EMITTER, SLOT0, 'latest'))).toBe(0n)
    expect(await first.rpc('eth_call', { from: EOA, to: CONTRACT, input: '0xff01' }, 'latest')).toBe('0xffee')
    await first.node.flush()
    // A restart: the same entries in a new store (a MemoryKv is gone once closed).
    const copy = new MemoryKv()
    for await (const [key, value] of kv.iterate()) await copy.put(key, value)
    await first.node.close()

    const second = await fork(copy)
    expect(second.created).toBe(false)
    expect(BigInt(await second.rpc('eth_blockNumber'))).toBe(BigInt(head) + 2n)
    expect(BigInt(await second.rpc('eth_getStorageAt', EMITTER, SLOT0, 'latest'))).toBe(0n)
    expect(BigInt(await second.rpc('eth_getStorageAt', EMITTER, SLOT0, head))).toBe(counter)
    expect(await second.rpc('eth_call', { from: EOA, to: CONTRACT, input: '0xff01' }, 'latest')).toBe(
      '0xffee',
    )
    expect(await second.rpc('eth_getCode', EMITTER, 'latest')).toBe(
      await http(upstream.url, 'eth_getCode', [EMITTER, 'latest']),
    )
    expect(second.requests()).toBe(0)
    await second.node.close()
  })
})
