import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeCapsule, encodeCapsule } from '@crucible/capsule'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/errors.js'
import { CLI, crucible } from './cli.js'
import { EXECUTION_APIS } from './fixtures.js'

const root = mkdtempSync(join(tmpdir(), 'crucible-capsule-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const datadir = join(root, 'chain')
const file = (name: string) => join(root, name)

/** `crucible ARGS...` with its standard output as bytes. */
function crucibleBytes(args: string[]): Promise<{ code: number; stdout: Uint8Array; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--conditions=@crucible/source', '--import', 'tsx', CLI, ...args],
      { encoding: 'buffer', env: { ...process.env, NODE_NO_WARNINGS: '1' }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        done({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr: stderr.toString(),
        }),
    )
  })
}

// A transaction of block 24 of the execution-apis chain (eth_getTransactionByHash's fixture).
const TX = '0x695ad02907c9e13ab7c69963f723fa46ac13cd5e2314f61eab2cb2f07b946faa'

describe('crucible capsule / replay on the execution-apis chain', () => {
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
  }, 180_000)

  it('cuts a block capsule that replays with no datadir, and refuses a tampered or differing one', async () => {
    const cut = await crucible(['capsule', 'block', '20', '--datadir', datadir, '--out', file('b20.cap')])
    expect(cut.code, cut.stderr).toBe(0)
    expect(cut.stderr).toMatch(/Wrote capsule .*kind=block mode=verified .*nodes=\d+/)
    const ok = await crucible(['replay', file('b20.cap')])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(
      /Replay matches .*number=20 .*stateRoot=0x[0-9a-f]{64} receiptsRoot=0x[0-9a-f]{64}/,
    )

    const bytes = new Uint8Array(readFileSync(file('b20.cap')))
    const flipped = bytes.slice()
    flipped[200] = flipped[200]! ^ 1
    writeFileSync(file('flipped.cap'), flipped)
    const bad = await crucible(['replay', file('flipped.cap')])
    expect(bad.code).toBe(EXIT.INVALID_CAPSULE)
    expect(bad.stderr).toMatch(/content hash/)

    // A well-formed capsule that expects another outcome: replay says which value differs.
    const capsule = decodeCapsule(bytes)
    if (capsule.expected.kind !== 'block') throw new Error('a block capsule')
    writeFileSync(
      file('wrong.cap'),
      encodeCapsule({
        ...capsule,
        expected: { ...capsule.expected, gasUsed: capsule.expected.gasUsed + 1n },
      }),
    )
    const wrong = await crucible(['replay', file('wrong.cap')])
    expect(wrong.code).toBe(EXIT.REPLAY_MISMATCH)
    expect(wrong.stderr).toMatch(/Mismatch .*field=gasUsed/)
  }, 120_000)

  it('cuts transaction and call capsules (the call with state overrides), to standard output too', async () => {
    const tx = await crucible(['capsule', 'tx', TX, '--datadir', datadir, '--flat', '--out', file('tx.cap')])
    expect(tx.code, tx.stderr).toBe(0)
    const call = await crucibleBytes([
      'capsule',
      'call',
      '{"from":"0x0000000000000000000000000000000000000000","to":"0x0000000000000000000000000000000000001234"}',
      '--overrides',
      // NUMBER, returned as a word.
      '{"0x0000000000000000000000000000000000001234":{"code":"0x4360005260206000f3"}}',
      '--block',
      '30',
      '--datadir',
      datadir,
    ])
    expect(call.code, call.stderr).toBe(0)
    writeFileSync(file('call.cap'), call.stdout)
    const replayTx = await crucible(['replay', file('tx.cap')])
    expect(replayTx.code, replayTx.stderr).toBe(0)
    expect(replayTx.stdout).toMatch(/kind=transaction mode=flat number=24 status=success/)
    const replayCall = await crucible(['replay', file('call.cap')])
    expect(replayCall.code, replayCall.stderr).toBe(0)
    expect(replayCall.stdout).toMatch(/kind=call mode=verified status=success output=0x0{62}1e/)
  }, 120_000)

  it('replays a range statelessly on worker threads', async () => {
    const r = await crucible(['replay', '--range', '1..54', '--datadir', datadir, '--workers', '2'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Replayed blocks .*blocks=54 failed=0 workers=2 .*blocks\/s=[\d.]+/)
  }, 180_000)
})
