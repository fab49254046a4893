import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { KvError } from '@crucible/kv'
import { kvStoreSuite } from '@crucible/kv/test-support'
import { utf8ToBytes } from '@crucible/primitives'
import { afterAll, describe, expect, it } from 'vitest'
import { LevelKv } from './index.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-kv-level-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

kvStoreSuite('LevelKv', {
  open: () => LevelKv.open(join(tempDir(), 'db')),
  reopen: (closed) => LevelKv.open((closed as LevelKv).path),
})

describe('LevelKv', () => {
  it('refuses a database held by another process with LOCKED', async () => {
    const path = join(tempDir(), 'db')
    const kv = await LevelKv.open(path)
    await kv.put(utf8ToBytes('k'), utf8ToBytes('v'))
    const script = `import { LevelKv } from '${resolve(__dirname, 'index.ts')}'
try { await LevelKv.open(${JSON.stringify(path)}); console.log('opened') } catch (e) { console.log(e.code) }`
    const child = spawnSync(
      process.execPath,
      ['--conditions=@crucible/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: resolve(__dirname, '../../..'),
        encoding: 'utf8',
      },
    )
    expect(child.stdout.trim()).toBe('LOCKED')
    await kv.close()
  })

  it('refuses to create when asked not to', async () => {
    const path = join(tempDir(), 'missing')
    await expect(LevelKv.open(path, { createIfMissing: false })).rejects.toSatisfy(
      (e: unknown) => e instanceof KvError && e.code === 'OPEN_FAILED',
    )
  })
})
