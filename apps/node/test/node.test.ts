import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeBlock, type GethGenesis } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import { chainFromFiles, importChain, type MemoryChain, newPayloadRequest, splitBlocks } from '@crucible/rpc'
import { parseJwtSecret, signJwt } from '@crucible/rpc-server'
import { type RunningNode, startCrucibleNode as startNode } from '@crucible/test-support/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/errors.js'
import { crucible } from './cli.js'
import { EXECUTION_APIS } from './fixtures.js'

// `crucible node` as a user runs it: a child process on a LevelDB datadir. The pre-merge blocks
// of the execution-apis chain are imported with `crucible import`; every post-merge block is
// then fed to the node over the authenticated Engine API (newPayload + forkchoiceUpdated)
// while readers keep querying it over HTTP; the node reaches the fixture head, and after a
// restart it still has every block, and the safe and finalized blocks.
const root = mkdtempSync(join(tmpdir(), 'crucible-node-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const datadir = join(root, 'data')
const EMITTER = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'

let reference: MemoryChain
/** How many blocks after genesis are pre-merge (the head `crucible import` leaves). */
let preMerge: number

async function rpc(
  url: string,
  method: string,
  params: unknown[] = [],
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.code} ${body.error.message}`)
  return body.result as never
}

beforeAll(async () => {
  const genesis = JSON.parse(readFileSync(EXECUTION_APIS.genesis, 'utf8')) as GethGenesis
  const rlp = new Uint8Array(readFileSync(EXECUTION_APIS.chain))
  reference = chainFromFiles(genesis)
  importChain(reference, rlp)
  const blocks = splitBlocks(rlp)
  preMerge = blocks.findIndex((b) => decodeBlock(b).header.difficulty === 0n)
  expect(preMerge).toBeGreaterThan(0)
  const file = join(root, 'premerge.rlp')
  writeFileSync(file, Buffer.concat(blocks.slice(0, preMerge)))
  const r = await crucible(['import', '--datadir', datadir, '--genesis', EXECUTION_APIS.genesis, file])
  expect(r.code, r.stderr).toBe(0)
}, 180_000)

interface Observed {
  reads: number
  heads: Set<string>
}

/**
 * Reads the head block over and over and checks that everything about it agrees: its
 * transactions, its receipts, its logs and its post-state are all there (never half a block).
 */
async function readConsistently(url: string, until: () => boolean, seen: Observed): Promise<void> {
  let lastNumber = -1
  while (!until()) {
    const block = await rpc(url, 'eth_getBlockByNumber', ['latest', true])
    const b = block as {
      hash: string
      number: string
      gasUsed: string
      transactions: { hash: string; blockHash: string; blockNumber: string }[]
    }
    expect(Number(b.number)).toBeGreaterThanOrEqual(lastNumber)
    lastNumber = Number(b.number)
    for (const tx of b.transactions) {
      expect(tx.blockHash).toBe(b.hash)
      expect(tx.blockNumber).toBe(b.number)
    }
    const receipts = (await rpc(url, 'eth_getBlockReceipts', [b.hash])) as {
      blockHash: string
      cumulativeGasUsed: string
      logs: unknown[]
    }[]
    expect(receipts).toHaveLength(b.transactions.length)
    for (const r of receipts) expect(r.blockHash).toBe(b.hash)
    if (receipts.length > 0) expect(receipts.at(-1)!.cumulativeGasUsed).toBe(b.gasUsed)
    const logs = (await rpc(url, 'eth_getLogs', [{ blockHash: b.hash }])) as unknown[]
    expect(logs).toHaveLength(receipts.reduce((n, r) => n + r.logs.length, 0))
    if (b.transactions[0]) {
      const receipt = (await rpc(url, 'eth_getTransactionReceipt', [b.transactions[0].hash])) as {
        blockHash: string
      }
      expect(receipt.blockHash).toBe(b.hash)
    }
    await rpc(url, 'eth_getBalance', [EMITTER, { blockHash: b.hash }])
    seen.reads++
    seen.heads.add(b.hash)
  }
}

describe('crucible node', () => {
  let node: RunningNode | undefined
  afterAll(async () => {
    await node?.stop('SIGKILL')
  })

  it('takes the post-merge blocks through the authenticated Engine API while reads keep answering whole blocks', async () => {
    node = await startNode(['--datadir', datadir, '--http.api', 'eth,net,web3,debug'])
    expect(node.log()).toMatch(/Generated JWT secret\s+path=\S+jwtsecret/)
    expect(node.log()).toMatch(new RegExp(`Loaded most recent local block\\s+number=${preMerge} `))
    const secret = parseJwtSecret(readFileSync(join(datadir, 'crucible', 'jwtsecret'), 'utf8'))
    const auth = () => ({ authorization: `Bearer ${signJwt(secret)}` })
    // Without a token the Engine API refuses.
    const refused = await fetch(node.engineUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"engine_exchangeCapabilities","params":[[]]}',
    })
    expect(refused.status).toBe(401)

    let done = false
    const seen: Observed = { reads: 0, heads: new Set() }
    const readers = [1, 2, 3].map(() => readConsistently(node!.url, () => done, seen))
    try {
      const head = reference.head().block.header.number
      for (let n = BigInt(preMerge) + 1n; n <= head; n++) {
        const stored = reference.blockByNumber(n)!
        const request = newPayloadRequest(stored)
        const status = (await rpc(node.engineUrl, request.method, request.params, auth())) as {
          status: string
          validationError: string | null
        }
        expect(status.status, `block ${n}: ${status.validationError}`).toBe('VALID')
        const hash = bytesToHex(stored.hash)
        const safe = bytesToHex(reference.blockByNumber(n - 2n)!.hash)
        const finalized = bytesToHex(reference.blockByNumber(n - 4n)!.hash)
        const fcu = (await rpc(
          node.engineUrl,
          'engine_forkchoiceUpdatedV3',
          [{ headBlockHash: hash, safeBlockHash: safe, finalizedBlockHash: finalized }, null],
          auth(),
        )) as { payloadStatus: { status: string } }
        expect(fcu.payloadStatus.status).toBe('VALID')
        // Let the readers in between payloads, as a consensus client's slots would.
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    } finally {
      done = true
      await Promise.all(readers)
    }
    expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x36')
    expect(((await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])) as { hash: string }).hash).toBe(
      EXECUTION_APIS.headHash,
    )
    expect(seen.heads.size).toBeGreaterThan(3)
    expect(seen.reads).toBeGreaterThan(10)
    expect(node.log()).toMatch(
      /Imported new potential chain segment\s+number=54 hash=d22637\.\.e7dcd7 blocks=1 txs=\d+/,
    )

    expect(await node.stop('SIGTERM')).toBe(0)
    expect(node.log()).toMatch(/Got interrupt, shutting down\.\.\.\s+signal=SIGTERM/)
    expect(node.log()).toMatch(/Blockchain stopped\s+number=54 hash=d22637\.\.e7dcd7/)
    node = undefined
  })

  it('serves the same head, safe and finalized blocks after a restart, and exports the fixture chain byte for byte', async () => {
    node = await startNode(['--datadir', datadir])
    expect(node.log()).toMatch(/Loaded JWT secret file/)
    expect(node.log()).toMatch(/Loaded most recent local finalized block\s+number=50 /)
    const block = async (tag: string) =>
      (await rpc(node!.url, 'eth_getBlockByNumber', [tag, false])) as { number: string; hash: string }
    expect((await block('latest')).hash).toBe(EXECUTION_APIS.headHash)
    expect((await block('safe')).number).toBe('0x34')
    expect((await block('finalized')).number).toBe('0x32')
    // The default namespaces are geth's: eth, net, web3.
    await expect(rpc(node.url, 'debug_getRawHeader', ['latest'])).rejects.toThrow(/-32601/)
    expect(await node.stop('SIGINT')).toBe(0)
    node = undefined
    const out = join(root, 'export.rlp')
    const r = await crucible(['export', '--datadir', datadir, out, '1', '54'])
    expect(r.code, r.stderr).toBe(0)
    expect(Buffer.compare(readFileSync(out), readFileSync(EXECUTION_APIS.chain))).toBe(0)
  })

  it('answers usage errors, an uninitialized datadir, a taken port and a bad JWT secret with their exit codes', async () => {
    const help = await crucible(['node', '--help'])
    expect(help.code).toBe(0)
    for (const flag of [
      '--http.port',
      '--http.api',
      '--authrpc.jwtsecret',
      '--rpc.gascap',
      '--rpc.evmtimeout',
    ])
      expect(help.stdout).toContain(flag)
    const badApi = await crucible(['node', '--datadir', datadir, '--http.api', 'eth,admin'])
    expect(badApi.code).toBe(EXIT.USAGE)
    expect(badApi.stderr).toMatch(/unknown namespace admin/)
    expect((await crucible(['node', '--datadir', datadir, '--rpc.evmtimeout', 'soon'])).code).toBe(EXIT.USAGE)
    expect((await crucible(['node', '--datadir', join(root, 'empty')])).code).toBe(EXIT.NOT_INITIALIZED)

    const badSecret = join(root, 'bad.hex')
    writeFileSync(badSecret, '0x1234')
    const bad = await crucible(['node', '--datadir', datadir, '--authrpc.jwtsecret', badSecret])
    expect(bad.code).toBe(EXIT.INVALID_JWT_SECRET)

    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    try {
      const r = await crucible([
        'node',
        '--datadir',
        datadir,
        '--http.port',
        String(port),
        '--authrpc.port',
        '0',
      ])
      expect(r.code, r.stderr).toBe(EXIT.ADDRESS_IN_USE)
      expect(r.stderr).toMatch(/^Fatal: cannot listen/m)
    } finally {
      taken.close()
    }
  })
})
