// Synchronous reads against prefetching: the figures behind reading state with getSync.
// node --conditions=@crucible/source --import tsx packages/kv-level/test/measure-reads.ts [entries] [reads]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WriteBatch } from '@crucible/kv'
import { keccak256 } from '@crucible/primitives'
import { LevelKv } from '../src/index.js'

const entries = Number(process.argv[2] ?? 200_000)
const reads = Number(process.argv[3] ?? 20_000)
const dir = mkdtempSync(join(tmpdir(), 'crucible-measure-'))
const kv = await LevelKv.open(join(dir, 'db'))
const key = (i: number) => {
  const k = new Uint8Array(33)
  k[0] = 0x6e
  k.set(keccak256(Uint8Array.of(i >> 24, i >> 16, i >> 8, i)), 1)
  return k
}
for (let start = 0; start < entries; start += 10_000) {
  const batch = new WriteBatch()
  for (let i = start; i < Math.min(entries, start + 10_000); i++)
    batch.put(key(i), new Uint8Array(110).fill(i & 255))
  await kv.write(batch)
}
await kv.close()

async function run(name: string, fn: (kv: LevelKv, keys: Uint8Array[]) => Promise<number>): Promise<void> {
  // Reopened each time so that every variant starts with a cold LevelDB block cache; then
  // the same reads again, warm.
  const db = await LevelKv.open(join(dir, 'db'))
  const keys = Array.from({ length: reads }, (_, i) => key((i * 7919) % entries))
  const times: string[] = []
  let found = 0
  for (let pass = 0; pass < 2; pass++) {
    const t = performance.now()
    found = await fn(db, keys)
    times.push((((performance.now() - t) * 1000) / reads).toFixed(2).padStart(7))
  }
  console.log(`${name.padEnd(34)} cold ${times[0]} µs/read, warm ${times[1]} µs/read (${found} found)`)
  await db.close()
}

await run('getSync, one after another', async (db, keys) => keys.filter((k) => db.getSync(k)).length)
await run('await get, one after another', async (db, keys) => {
  let n = 0
  for (const k of keys) if (await db.get(k)) n++
  return n
})
await run('get, 256 in flight (prefetch)', async (db, keys) => {
  let n = 0
  for (let i = 0; i < keys.length; i += 256)
    n += (await Promise.all(keys.slice(i, i + 256).map((k) => db.get(k)))).filter(Boolean).length
  return n
})
await run('getMany, 256 per call (prefetch)', async (db, keys) => {
  let n = 0
  for (let i = 0; i < keys.length; i += 256)
    n += (await db.getMany(keys.slice(i, i + 256))).filter(Boolean).length
  return n
})
rmSync(dir, { recursive: true, force: true })
