import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { BlockFileWriter, readBlockFile } from '../src/blockfile.js'
import { NodeError } from '../src/errors.js'
import { EXECUTION_APIS } from './fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'crucible-blockfile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function readAll(path: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const { rlp } of readBlockFile(path)) out.push(rlp)
  return out
}

async function failure(path: string): Promise<NodeError> {
  try {
    await readAll(path)
  } catch (error) {
    return error as NodeError
  }
  throw new Error('no error')
}

describe('block files', () => {
  it('splits the execution-apis chain into its 54 blocks, and writes them back (plain and gzip) byte for byte', async () => {
    const original = readFileSync(EXECUTION_APIS.chain)
    const blocks = await readAll(EXECUTION_APIS.chain)
    expect(blocks.length).toBe(54)
    expect(blocks.reduce((n, b) => n + b.length, 0)).toBe(original.length)
    for (const name of ['out.rlp', 'out.rlp.gz']) {
      const writer = new BlockFileWriter(join(dir, name))
      for (const b of blocks) await writer.write(b)
      await writer.close()
      const written = readFileSync(join(dir, name))
      expect(Buffer.compare(name.endsWith('.gz') ? gunzipSync(written) : written, original)).toBe(0)
      expect((await readAll(join(dir, name))).length).toBe(54)
    }
  })

  it('a file cut inside a block is TRUNCATED_FILE, after the whole blocks before the cut', async () => {
    const original = readFileSync(EXECUTION_APIS.chain)
    const path = join(dir, 'cut.rlp')
    writeFileSync(path, original.subarray(0, original.length - 10))
    const seen: Uint8Array[] = []
    let error: unknown
    try {
      for await (const { rlp } of readBlockFile(path)) seen.push(rlp)
    } catch (e) {
      error = e
    }
    expect(seen.length).toBe(53)
    expect(error).toBeInstanceOf(NodeError)
    expect((error as NodeError).code).toBe('TRUNCATED_FILE')
  })

  it('bytes that cannot start a block are MALFORMED_FILE; an unreadable file is FILE_UNREADABLE', async () => {
    const path = join(dir, 'garbage.rlp')
    writeFileSync(path, Buffer.from('this is not a block file'))
    expect((await failure(path)).code).toBe('MALFORMED_FILE')
    writeFileSync(join(dir, 'bad.gz'), Buffer.from('not gzip at all'))
    expect((await failure(join(dir, 'bad.gz'))).code).toBe('MALFORMED_FILE')
    expect((await failure(join(dir, 'missing.rlp'))).code).toBe('FILE_UNREADABLE')
  })
})
