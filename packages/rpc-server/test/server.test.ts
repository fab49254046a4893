import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { chainFromFiles, importChain, type MemoryChain, TxPool } from '@crucible/rpc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, signJwt, startServer } from '../src/index.js'

const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
const SECRET = new TextEncoder().encode('secretsecretsecretsecretsecretse')

let chain: MemoryChain
let server: RunningServer

beforeAll(async () => {
  chain = chainFromFiles(JSON.parse(readFileSync(`${TESTS}/genesis.json`, 'utf8')) as GethGenesis)
  importChain(chain, new Uint8Array(readFileSync(`${TESTS}/chain.rlp`)))
  server = await startServer({
    chain,
    pool: new TxPool(),
    http: { port: 0, maxBodyBytes: 64 * 1024, maxBatch: 10, corsDomains: ['http://example.test'] },
    authrpc: { port: 0, jwtSecret: SECRET },
  })
  // The chain's import: past the default 10 s on a loaded machine.
}, 120_000)
afterAll(() => server?.close())

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  return { status: res.status, headers: res.headers, json: (await res.json()) as unknown }
}

describe('HTTP JSON-RPC on 127.0.0.1', () => {
  it('answers single requests and batches', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const one = await post(server.url, '{"jsonrpc":"2.0","id":7,"method":"eth_blockNumber"}')
    expect(one.json).toEqual({ jsonrpc: '2.0', id: 7, result: '0x36' })
    const batch = await post(
      server.url,
      '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"net_version"}]',
    )
    expect(batch.json).toEqual([
      { jsonrpc: '2.0', id: 1, result: '0xc72dd9d5e883e' },
      { jsonrpc: '2.0', id: 2, result: '3503995874084926' },
    ])
  })

  it('enforces the body and batch limits with JSON-RPC errors', async () => {
    const big = await post(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: ['x'.repeat(70_000)] }),
    )
    expect(big.status).toBe(413)
    expect(big.json).toMatchObject({ error: { code: -32005 } })
    const many = JSON.stringify(
      Array.from({ length: 11 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' })),
    )
    expect((await post(server.url, many)).json).toMatchObject({ error: { code: -32005 } })
  })

  it('sends CORS headers only to the allowed origins', async () => {
    const allowed = await post(server.url, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', {
      origin: 'http://example.test',
    })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://example.test')
    const other = await post(server.url, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', {
      origin: 'http://evil.test',
    })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('the Engine API', () => {
  const fcu = readFileSync(`${TESTS}/headfcu.json`, 'utf8')

  it('refuses requests without a valid JWT', async () => {
    expect((await post(server.engineUrl!, fcu)).status).toBe(401)
    const wrong = signJwt(new TextEncoder().encode('wrongwrongwrongwrongwrongwrongwr'))
    expect((await post(server.engineUrl!, fcu, { authorization: `Bearer ${wrong}` })).status).toBe(401)
    const stale = signJwt(SECRET, Math.floor(Date.now() / 1000) - 3600)
    expect((await post(server.engineUrl!, fcu, { authorization: `Bearer ${stale}` })).status).toBe(401)
  })

  it('takes a forkchoice update that sets safe and finalized', async () => {
    const before = await post(
      server.url,
      '{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["safe",false]}',
    )
    expect(before.json).toMatchObject({ result: null })
    const answer = await post(server.engineUrl!, fcu, { authorization: `Bearer ${signJwt(SECRET)}` })
    expect(answer.json).toMatchObject({ result: { payloadStatus: { status: 'VALID' }, payloadId: null } })
    const safe = await post(
      server.url,
      '{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["finalized",false]}',
    )
    expect((safe.json as { result: { number: string } }).result.number).toBe('0x36')
    // Engine methods are not served on the public port.
    const engineOnPublic = await post(server.url, fcu)
    expect(engineOnPublic.json).toMatchObject({ error: { code: -32601 } })
  })
})
