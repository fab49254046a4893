import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import { blockToPayload, chainFromFiles, importChain, newPayloadRequest, splitBlocks } from '@crucible/rpc'
import { expect, it } from 'vitest'
import WebSocket from 'ws'
import { signJwt, startServer } from '../src/index.js'

const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
const SECRET = new TextEncoder().encode('secretsecretsecretsecretsecretse')
const HEAD = '0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7'

it('reaches the chain head by importing the pre-merge blocks and feeding the rest as Engine API payloads, with newHeads pushed over WebSocket', async () => {
  const genesis = JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis
  const rlp = new Uint8Array(readFileSync(join(TESTS, 'chain.rlp')))
  // A reference chain with everything, for the execution requests of the Prague payloads.
  const reference = chainFromFiles(genesis)
  importChain(reference, rlp)
  const blocks = splitBlocks(rlp)
  const chain = chainFromFiles(genesis)
  for (const b of blocks.slice(0, 35)) chain.blockchain.importBlock(b)
  expect(chain.head().block.header.number).toBe(35n)

  const server = await startServer({ chain, http: { port: 0 }, authrpc: { port: 0, jwtSecret: SECRET } })
  const socket = new WebSocket(server.url.replace('http', 'ws'))
  const heads: string[] = []
  await new Promise((resolve) => socket.once('open', resolve))
  socket.on('message', (data) => {
    const m = JSON.parse(data.toString())
    if (m.method === 'eth_subscription') heads.push(m.params.result.number)
  })
  socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }))
  const engine = async (method: string, params: unknown[]) => {
    const res = await fetch(server.engineUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(SECRET)}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
    return ((await res.json()) as { result: Record<string, unknown> }).result
  }
  try {
    for (let n = 36n; n <= 54n; n++) {
      const stored = reference.blockByNumber(n)!
      const request = newPayloadRequest(stored)
      const status = await engine(request.method, request.params)
      expect(status.status, `block ${n}: ${String(status.validationError)}`).toBe('VALID')
      const hash = bytesToHex(stored.hash)
      const fcu = await engine('engine_forkchoiceUpdatedV3', [
        { headBlockHash: hash, safeBlockHash: hash, finalizedBlockHash: hash },
        null,
      ])
      expect((fcu.payloadStatus as { status: string }).status).toBe('VALID')
    }
    expect(bytesToHex(chain.head().hash)).toBe(HEAD)
    // A payload whose hash does not match its contents is refused.
    const bad = { ...blockToPayload(reference.blockByNumber(54n)!.block), gasUsed: '0x1' }
    const refused = await engine('engine_newPayloadV1', [bad])
    expect(refused.status).toBe('INVALID_BLOCK_HASH')
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(heads.at(-1)).toBe('0x36')
    expect(heads.length).toBeGreaterThan(0)
  } finally {
    socket.close()
    await server.close()
  }
})
