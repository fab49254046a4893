import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildChain, type SyntheticChain } from '@crucible/bench'
import { bytesToHex, hexToBigInt } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openChain } from '../src/datadir.js'
import { crucible, spawnCrucible } from './cli.js'
import { BENCH_DATA } from './fixtures.js'

// A child process importing a long chain is killed with SIGKILL at random moments; after each
// kill the datadir must open at a fully committed head whose state is complete, and importing
// again must go on from there to the same final head.
const KILLS = 20
const root = mkdtempSync(join(tmpdir(), 'crucible-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let built: SyntheticChain
const genesisFile = join(root, 'genesis.json')
const chainFile = join(root, 'chain.rlp')

beforeAll(() => {
  built = buildChain(BENCH_DATA, {
    blocks: 80,
    gasTarget: 30_000_000n,
    ethTransfers: 4,
    erc20Transfers: 8,
    storageCalls: 1,
    keepStates: true,
  })
  writeFileSync(genesisFile, JSON.stringify(built.genesis))
  writeFileSync(chainFile, Buffer.concat(built.blocks))
}, 300_000)

/** Random integer in [lo, hi) from a fixed-seed generator (reproducible kill times). */
function random(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return lo + (s % (hi - lo))
  }
}

/** The stored head is a committed block whose whole state (every account and slot) reads back. */
async function checkDatadir(datadir: string): Promise<bigint> {
  const chain = await openChain(datadir, { create: false })
  try {
    const head = chain.head()
    const number = head.number
    expect(bytesToHex(head.hash)).toBe(bytesToHex(chain.db.getCanonicalHash(number)!))
    const header = chain.db.getHeaderByNumber(number)!
    const stored = chain.db.openState(header.stateRoot)
    const expected = new WorldState()
    expected.restore(built.states![Number(number)]!)
    expect(bytesToHex(expected.stateRoot())).toBe(bytesToHex(header.stateRoot))
    for (const [hex, account] of Object.entries(expected.dumpAlloc())) {
      const address = hexToBigInt(hex)
      expect(stored.getBalance(address)).toBe(hexToBigInt(account.balance ?? '0x0'))
      expect(stored.getNonce(address)).toBe(hexToBigInt(account.nonce ?? '0x0'))
      expect(bytesToHex(stored.getCode(address))).toBe(account.code ?? '0x')
      for (const [slot, value] of Object.entries(account.storage ?? {}))
        expect(stored.getStorage(address, hexToBigInt(slot))).toBe(hexToBigInt(value))
    }
    expect(bytesToHex(stored.stateRoot())).toBe(bytesToHex(header.stateRoot))
    return number
  } finally {
    await chain.close()
  }
}

describe('crash safety', () => {
  it(`${KILLS} SIGKILLs during import: each time a complete head, and the import resumes to the same final head`, async () => {
    const datadir = join(root, 'data')
    const init = await crucible(['init', '--datadir', datadir, '--genesis', genesisFile])
    expect(init.code, init.stderr).toBe(0)
    const next = random(0xc0ffee)
    const heads: bigint[] = []
    for (let kill = 0; kill < KILLS; kill++) {
      // A log line per block: kill after a random number of blocks, at a random moment of the next.
      const child = spawnCrucible(['import', '--datadir', datadir, '--progress', 'log', chainFile], {
        CRUCIBLE_LOG_INTERVAL_MS: '0',
      })
      const exited = new Promise<void>((done) => child.on('exit', () => done()))
      const blocks = next(0, 5)
      await new Promise<void>((reached) => {
        let seen = 0
        child.stdout!.on('data', (chunk: Buffer) => {
          seen += chunk.toString().split('Imported new chain segment').length - 1
          if (seen >= blocks) reached()
        })
        child.on('exit', () => reached())
      })
      await new Promise((r) => setTimeout(r, next(0, 300)))
      child.kill('SIGKILL')
      await exited
      heads.push(await checkDatadir(datadir))
    }
    const done = await crucible(['import', '--datadir', datadir, '--progress', 'none', chainFile])
    expect(done.code, done.stderr).toBe(0)
    expect(await checkDatadir(datadir)).toBe(BigInt(built.blocks.length))
    const stats = await crucible(['db', 'stats', '--datadir', datadir])
    expect(stats.stdout).toContain(built.headHash)
    // The kills landed in different places, not all before the first block.
    expect(new Set(heads).size).toBeGreaterThan(3)
    for (let i = 1; i < heads.length; i++) expect(heads[i]!).toBeGreaterThanOrEqual(heads[i - 1]!)
  }, 600_000)
})
