import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeBlock, encodeBlock } from '@crucible/block'
import { openLevelKv } from '@crucible/kv-level'
import { bytesToHex } from '@crucible/primitives'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBlockFile } from '../src/blockfile.js'
import { openChain } from '../src/datadir.js'
import { EXIT } from '../src/errors.js'
import { crucible } from './cli.js'
import { EXECUTION_APIS } from './fixtures.js'

const root = mkdtempSync(join(tmpdir(), 'crucible-app-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const freshDir = () => join(root, `d${++n}`)

async function fixtureBlocks(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const { rlp } of readBlockFile(EXECUTION_APIS.chain)) out.push(rlp)
  return out
}

/** The head a datadir reports (`db stats`, a new process). */
async function headOf(datadir: string): Promise<string> {
  const r = await crucible(['db', 'stats', '--datadir', datadir])
  expect(r.code, r.stderr).toBe(0)
  return /head:\s+(#\d+ 0x[0-9a-f]+)/.exec(r.stdout)![1]!
}

describe('crucible import/export on the execution-apis chain', () => {
  const datadir = freshDir()
  let importOutput = ''

  beforeAll(async () => {
    const r = await crucible([
      'import',
      '--datadir',
      datadir,
      '--genesis',
      EXECUTION_APIS.genesis,
      EXECUTION_APIS.chain,
    ])
    expect(r.code, r.stderr).toBe(0)
    importOutput = r.stdout
  }, 180_000)

  it('ends at block 54 with the fixture head hash, and logs a geth-style segment line and summary', async () => {
    expect(importOutput).toMatch(
      /Imported new chain segment\s+number=54 hash=d22637\.\.e7dcd7 blocks=54 txs=\d+ mgas=[\d.]+ elapsed=\S+ mgasps=[\d.]+/,
    )
    expect(importOutput).toMatch(/Import done .*blocks\/s=[\d.]+ mgasps=[\d.]+ peakrss="[\d.]+ MiB" dbsize=/)
    expect(await headOf(datadir)).toBe(`#54 ${EXECUTION_APIS.headHash}`)
  })

  it('after a restart, the state, receipts and logs of every block are readable', async () => {
    const chain = await openChain(datadir, { create: false })
    try {
      expect(bytesToHex(chain.head().hash)).toBe(EXECUTION_APIS.headHash)
      let logs = 0
      for (let number = 0n; number <= 54n; number++) {
        const block = chain.db.getBlockByNumber(number)!
        expect(block.header.number).toBe(number)
        // The post-state opens at its root and its root recomputes to the header's.
        const state = chain.db.openState(block.header.stateRoot)
        expect(bytesToHex(state.stateRoot())).toBe(bytesToHex(block.header.stateRoot))
        expect(state.getBalance(BigInt(bytesToHex(block.header.coinbase)))).toBeGreaterThanOrEqual(0n)
        const receipts = chain.db.getReceipts(chain.db.getCanonicalHash(number)!)!
        expect(receipts.length).toBe(block.transactions.length)
        for (const r of receipts) logs += r.logs.length
      }
      expect(logs).toBeGreaterThan(0)
    } finally {
      await chain.close()
    }
  })

  it('a second run skips every block and keeps the head', async () => {
    const r = await crucible(['import', '--datadir', datadir, EXECUTION_APIS.chain])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Import done .*head=54 .*blocks=0 skipped=54/)
  })

  it('export 1 54 reproduces chain.rlp byte for byte; export → import → export is identical', async () => {
    const out = join(root, 'out.rlp')
    const r = await crucible(['export', '--datadir', datadir, out, '1', '54'])
    expect(r.code, r.stderr).toBe(0)
    expect(Buffer.compare(readFileSync(out), readFileSync(EXECUTION_APIS.chain))).toBe(0)
    const whole = join(root, 'whole.rlp.gz')
    expect((await crucible(['export', '--datadir', datadir, whole])).code).toBe(0)
    const again = freshDir()
    expect(
      (await crucible(['import', '--datadir', again, '--genesis', EXECUTION_APIS.genesis, whole])).code,
    ).toBe(0)
    const whole2 = join(root, 'whole2.rlp')
    expect((await crucible(['export', '--datadir', again, whole2])).code).toBe(0)
    const unpacked: Uint8Array[] = []
    for await (const { rlp } of readBlockFile(whole)) unpacked.push(rlp)
    expect(Buffer.compare(Buffer.concat(unpacked), readFileSync(whole2))).toBe(0)
  })

  it('db inspect counts entries by kind', async () => {
    const r = await crucible(['db', 'inspect', '--datadir', datadir])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/\| Kind +\| Items \| +Size \|/)
    expect(r.stdout).toMatch(/\| State trie nodes +\| +\d+ \|/)
    expect(r.stdout).toMatch(/Total/)
  })

  it('a second process on a datadir in use gets a clear DATADIR_LOCKED error', async () => {
    const busy = freshDir()
    const init = await crucible([
      'import',
      '--datadir',
      busy,
      '--genesis',
      EXECUTION_APIS.genesis,
      EXECUTION_APIS.chain,
    ])
    expect(init.code, init.stderr).toBe(0)
    // This process holds the database open, as a running node does. (Racing a child import is
    // not deterministic: on an idle machine the 54 blocks are in before the second process starts.)
    const held = await openLevelKv(join(busy, 'crucible', 'chaindata'))
    try {
      const r = await crucible(['db', 'stats', '--datadir', busy])
      expect(r.code).toBe(EXIT.DATADIR_LOCKED)
      expect(r.stderr.trim().split('\n').length).toBe(1)
      expect(r.stderr).toMatch(/in use/)
    } finally {
      await held.close()
    }
    expect(await headOf(busy)).toBe(`#54 ${EXECUTION_APIS.headHash}`)
  })
})

describe('bad input: a typed one-line error, its own exit code, nothing stored lost', () => {
  let blocks: Uint8Array[]
  const datadir = freshDir()
  let head20 = ''

  beforeAll(async () => {
    blocks = await fixtureBlocks()
    const first = join(root, 'first20.rlp')
    writeFileSync(first, Buffer.concat(blocks.slice(0, 20)))
    const r = await crucible(['import', '--datadir', datadir, '--genesis', EXECUTION_APIS.genesis, first])
    expect(r.code, r.stderr).toBe(0)
    head20 = await headOf(datadir)
    expect(head20).toMatch(/^#20 /)
  }, 180_000)

  const expectFatal = (r: { code: number; stderr: string }, code: number, pattern: RegExp) => {
    expect(r.code).toBe(code)
    const lines = r.stderr.trim().split('\n')
    expect(lines.length, r.stderr).toBe(1)
    expect(lines[0]).toMatch(/^Fatal: /)
    expect(lines[0]).toMatch(pattern)
  }

  it('a truncated file: the whole blocks before the cut are imported, then TRUNCATED_FILE', async () => {
    const cut = join(root, 'cut.rlp')
    const bytes = Buffer.concat(blocks.slice(20, 25))
    writeFileSync(cut, bytes.subarray(0, bytes.length - 7))
    const r = await crucible(['import', '--datadir', datadir, cut])
    expectFatal(r, EXIT.TRUNCATED_FILE, /ends inside a block/)
    expect(await headOf(datadir)).toMatch(/^#24 /)
  })

  it('garbage bytes: MALFORMED_FILE, head unchanged', async () => {
    const garbage = join(root, 'garbage.rlp')
    writeFileSync(garbage, Buffer.from('\x01\x02 definitely not blocks'))
    const before = await headOf(datadir)
    expectFatal(
      await crucible(['import', '--datadir', datadir, garbage]),
      EXIT.MALFORMED_FILE,
      /not an RLP block/,
    )
    expect(await headOf(datadir)).toBe(before)
  })

  it('a block with a wrong state root: INVALID_BLOCK with its reason; the head stays at the last valid block', async () => {
    const bad = decodeBlock(blocks[25]!)
    bad.header.stateRoot = new Uint8Array(32).fill(0xab)
    const file = join(root, 'badroot.rlp')
    writeFileSync(file, Buffer.concat([blocks[24]!, encodeBlock(bad), blocks[26]!]))
    const r = await crucible(['import', '--datadir', datadir, file])
    expectFatal(r, EXIT.INVALID_BLOCK, /invalid block #26 0x[0-9a-f]{64}: INVALID_STATE_ROOT/)
    expect(await headOf(datadir)).toMatch(/^#25 /)
  })

  it('a genesis that is not the datadir’s: GENESIS_MISMATCH, nothing changed', async () => {
    const before = await headOf(datadir)
    const r = await crucible(['import', '--datadir', datadir, '--network', 'dev', EXECUTION_APIS.chain])
    expectFatal(r, EXIT.GENESIS_MISMATCH, /genesis/)
    expectFatal(
      await crucible(['init', '--datadir', datadir, '--network', 'sepolia']),
      EXIT.GENESIS_MISMATCH,
      /genesis/,
    )
    expect(await headOf(datadir)).toBe(before)
  })

  it('an unwritable datadir: DATADIR_UNUSABLE', async () => {
    const file = join(root, 'a-file')
    writeFileSync(file, 'x')
    const r = await crucible(['init', '--datadir', join(file, 'sub'), '--network', 'dev'])
    expectFatal(r, EXIT.DATADIR_UNUSABLE, /not writable/)
  })

  it('no chain yet: NOT_INITIALIZED; usage errors: USAGE', async () => {
    expectFatal(
      await crucible(['export', '--datadir', freshDir(), join(root, 'x.rlp')]),
      EXIT.NOT_INITIALIZED,
      /no chain/,
    )
    expect((await crucible(['import', '--datadir', freshDir(), '--bogus'])).code).toBe(EXIT.USAGE)
    expect((await crucible(['frobnicate'])).code).toBe(EXIT.USAGE)
  })
})

describe('help', () => {
  it('explains every command and flag', async () => {
    const r = await crucible(['--help'])
    expect(r.code).toBe(0)
    for (const cmd of ['init', 'import', 'export', 'db']) {
      expect(r.stdout).toContain(cmd)
      const h = await crucible([cmd, '--help'])
      expect(h.code).toBe(0)
      expect(h.stdout).toMatch(/--datadir DIR/)
    }
  })

  it('init writes the built-in networks', async () => {
    for (const [network, hash] of [
      ['sepolia', '0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9'],
      ['dev', undefined],
    ] as const) {
      const dir = freshDir()
      const r = await crucible(['init', '--datadir', dir, '--network', network])
      expect(r.code, r.stderr).toBe(0)
      if (hash) expect(await headOf(dir)).toBe(`#0 ${hash}`)
      // Running it again with the same genesis is fine.
      expect((await crucible(['init', '--datadir', dir, '--network', network])).code).toBe(0)
    }
  })
})
