import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { bytesToHex, utf8ToBytes } from '@crucible/primitives'
import { AsyncTrie, MemoryStore, MissingNodeError, Trie, trieRoot } from '@crucible/trie'
import { afterAll, describe, expect, it } from 'vitest'
import { LevelNodeStore, openLevelTrie } from './index.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-trie-level-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const u = utf8ToBytes

/** Every entry of the trie at the store's recorded root, and that the entries hash back to it. */
async function checkComplete(path: string): Promise<number> {
  const { trie, store } = await openLevelTrie(path, { secure: true })
  const root = await store.readRoot()
  const entries: Array<[Uint8Array, Uint8Array]> = []
  for await (const e of trie.entries()) entries.push(e)
  await store.close()
  if (root !== undefined) expect(bytesToHex(trieRoot(entries))).toBe(bytesToHex(root))
  return entries.length
}

describe('LevelNodeStore', () => {
  it('writes, closes, reopens by root, reads', async () => {
    const path = tempDir()
    let { trie, store } = await openLevelTrie(path, { secure: true })
    const mem = new Trie({ secure: true })
    for (let i = 0; i < 1000; i++) {
      await trie.put(u(`k${i}`), u(`value ${i}`))
      mem.put(u(`k${i}`), u(`value ${i}`))
    }
    const root = await trie.flush()
    expect(root).toEqual(mem.root())
    await store.close()
    ;({ trie, store } = await openLevelTrie(path, { secure: true }))
    expect(await store.readRoot()).toEqual(root)
    expect(trie.root()).toEqual(root)
    expect(await trie.get(u('k500'))).toEqual(u('value 500'))
    await trie.del(u('k500'))
    await trie.put(u('k1'), u('changed'))
    mem.del(u('k500'))
    mem.put(u('k1'), u('changed'))
    const root2 = await trie.flush()
    expect(root2).toEqual(mem.root())
    await store.close()
    ;({ trie, store } = await openLevelTrie(path, { secure: true }))
    expect(await trie.get(u('k500'))).toBeUndefined()
    expect(await trie.get(u('k1'))).toEqual(u('changed'))
    expect(await trie.get(u('k999'))).toEqual(u('value 999'))
    // The old root stays readable too: nodes are never deleted.
    const detached = new Trie({ secure: true, root, store: new MemoryStore() })
    expect(() => detached.get(u('k1'))).toThrow(MissingNodeError)
    const old = new AsyncTrie(store, { root, secure: true })
    expect(await old.get(u('k1'))).toEqual(u('value 1'))
    await store.close()
  })

  it('a crash before the batch leaves the previous root complete', async () => {
    const path = tempDir()
    const { trie, store } = await openLevelTrie(path, { secure: true })
    for (let i = 0; i < 300; i++) await trie.put(u(`k${i}`), u(`v${i}`))
    const root = await trie.flush()
    // A half-written update: some new nodes land (as a non-atomic writer would leave them),
    // the process dies before the root record.
    for (let i = 0; i < 300; i++) await trie.put(u(`k${i}`), u(`w${i}`))
    const half = new Trie({ secure: true })
    for (let i = 0; i < 300; i++) half.put(u(`k${i}`), u(`w${i}`))
    const partial: Array<[Uint8Array, Uint8Array]> = []
    half.persist()
    for (const entry of (half.store as MemoryStore).entries()) partial.push(entry)
    for (const [hash, enc] of partial.slice(0, partial.length >> 1))
      await store.kv.put(Uint8Array.of(0x6e, ...hash), enc)
    await store.close()
    const reopened = await LevelNodeStore.open(path)
    expect(await reopened.readRoot()).toEqual(root)
    await reopened.close()
    expect(await checkComplete(path)).toBe(300)
  })

  it('a writer killed at a random moment leaves a complete recorded root', async () => {
    const path = tempDir()
    const child = spawn(
      process.execPath,
      [
        '--conditions=@crucible/source',
        '--import',
        'tsx',
        resolve(__dirname, '../test/crash-writer.ts'),
        path,
      ],
      { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) setTimeout(done, 50 + Math.random() * 200)
      })
      child.on('exit', (code) => fail(new Error(`writer exited early with ${code}`)))
    })
    child.kill('SIGKILL')
    await new Promise((done) => child.once('exit', done))
    expect(await checkComplete(path)).toBeGreaterThan(0)
  })
})
