import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GethGenesis } from '@crucible/block'
import { ChainDb } from '@crucible/chaindb'
import { openLevelKv } from '@crucible/kv-level'
import { hexToBytes } from '@crucible/primitives'
import { verifyProof } from '@crucible/trie'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDispatch, type DatabaseChain, databaseChainFromFiles, importChain } from '../src/index.js'
import { HEAD, TESTS, testChain } from './fixture.js'

// The same handlers over the chain in a real LevelDB database give the answers they give over
// the in-memory chain, from the database's indexes and stored tries.
const genesis = JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis
const EMITTER = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
let dir: string
let db: ChainDb
let chain: DatabaseChain

async function open(): Promise<void> {
  db = await ChainDb.open(await openLevelKv(join(dir, 'chaindata')))
  chain = databaseChainFromFiles(db, genesis)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crucible-dbchain-'))
  await open()
  const result = importChain(chain, new Uint8Array(readFileSync(join(TESTS, 'chain.rlp'))))
  expect(result.imported).toBe(54)
  await db.close()
  await open()
})
afterAll(async () => {
  await db?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Every request of the fixture files that reads the chain, answered by both chains. */
function fixtureRequests(): { method: string; params: unknown[] }[] {
  const out: { method: string; params: unknown[] }[] = []
  for (const folder of readdirSync(TESTS, { withFileTypes: true })) {
    if (!folder.isDirectory() || /simulate|trace|sendRaw|Filter|testing_|txpool/i.test(folder.name)) continue
    for (const file of readdirSync(join(TESTS, folder.name))) {
      for (const line of readFileSync(join(TESTS, folder.name, file), 'utf8').split('\n')) {
        if (!line.startsWith('>>')) continue
        const r = JSON.parse(line.slice(3)) as { method: string; params?: unknown[] }
        out.push({ method: r.method, params: r.params ?? [] })
      }
    }
  }
  return out
}

async function answer(dispatch: ReturnType<typeof createDispatch>, method: string, params: unknown[]) {
  try {
    return { result: JSON.parse(JSON.stringify((await dispatch(method, params)) ?? null)) }
  } catch (error) {
    return { error: (error as { rpcCode?: number }).rpcCode ?? String(error) }
  }
}

describe('DatabaseChain', () => {
  it('resumes at the imported head after reopening', () => {
    expect(chain.head().key).toBe(HEAD)
  })

  it('answers every fixture read as the in-memory chain does', async () => {
    const memory = createDispatch({ chain: testChain() })
    const stored = createDispatch({ chain })
    const requests = fixtureRequests()
    expect(requests.length).toBeGreaterThan(100)
    for (const { method, params } of requests)
      expect(await answer(stored, method, params), `${method} ${JSON.stringify(params)}`).toEqual(
        await answer(memory, method, params),
      )
  })

  it('proves accounts and slots at past blocks from the stored tries', async () => {
    const dispatch = createDispatch({ chain })
    for (const number of [1n, 20n, 54n]) {
      const block = chain.blockByNumber(number)!
      const proof = (await dispatch('eth_getProof', [
        EMITTER,
        [`0x${'00'.repeat(32)}`, `0x${'00'.repeat(31)}01`],
        `0x${number.toString(16)}`,
      ])) as { accountProof: string[]; storageHash: string; storageProof: { proof: string[] }[] }
      const account = verifyProof(
        block.block.header.stateRoot,
        hexToBytes(EMITTER),
        proof.accountProof.map((p) => hexToBytes(p)),
        { secure: true },
      )
      expect(account).toBeDefined()
      expect(proof).toEqual(
        await createDispatch({ chain: testChain() })('eth_getProof', [
          EMITTER,
          [`0x${'00'.repeat(32)}`, `0x${'00'.repeat(31)}01`],
          `0x${number.toString(16)}`,
        ]),
      )
    }
  })

  it('keeps safe and finalized from a forkchoice update across a restart', async () => {
    const safe = chain.blockByNumber(50n)!
    const finalized = chain.blockByNumber(40n)!
    expect(chain.forkchoice(chain.head().hash, safe.hash, finalized.hash)).toBe(true)
    expect(chain.forkchoice(chain.head().hash, new Uint8Array(32).fill(7))).toBe(false)
    await db.close()
    await open()
    expect(chain.safe()?.key).toBe(safe.key)
    expect(chain.finalized()?.key).toBe(finalized.key)
  })
})
