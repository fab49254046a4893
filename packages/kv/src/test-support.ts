import { bytesToUtf8, utf8ToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { KvError, type KvOp, type KvRange, type KvStore, WriteBatch } from './kv.js'

/** How the shared suite gets stores: a fresh empty one, and (for persistent stores) a reopen. */
export interface KvSuiteOptions {
  /** A new, empty store. */
  open(): Promise<KvStore>
  /** The same store again after `close()`, when the implementation persists. */
  reopen?(closed: KvStore): Promise<KvStore>
}

const u = utf8ToBytes

async function collect(store: KvStore, range?: KvRange): Promise<string[]> {
  const out: string[] = []
  for await (const [key, value] of store.iterate(range)) out.push(`${bytesToUtf8(key)}=${bytesToUtf8(value)}`)
  return out
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof KvError && e.code === code)
}

/**
 * The behaviour every {@link KvStore} implementation must have, as one vitest suite. Call it
 * from a test file of the implementation: `kvStoreSuite('MemoryKv', { open: async () => new MemoryKv() })`.
 */
export function kvStoreSuite(name: string, options: KvSuiteOptions): void {
  describe(`KvStore contract: ${name}`, () => {
    it('puts, gets (async and sync), overwrites and deletes', async () => {
      const store = await options.open()
      expect(await store.get(u('a'))).toBeUndefined()
      expect(store.getSync(u('a'))).toBeUndefined()
      await store.put(u('a'), u('1'))
      expect(await store.get(u('a'))).toEqual(u('1'))
      expect(store.getSync(u('a'))).toEqual(u('1'))
      await store.put(u('a'), u('2'))
      expect(store.getSync(u('a'))).toEqual(u('2'))
      await store.put(u('empty'), new Uint8Array(0))
      expect(store.getSync(u('empty'))).toEqual(new Uint8Array(0))
      await store.delete(u('a'))
      expect(await store.get(u('a'))).toBeUndefined()
      await store.delete(u('never there'))
      await store.close()
    })

    it('hands out plain Uint8Arrays, not aliased to what was written', async () => {
      const store = await options.open()
      const value = u('value')
      await store.put(u('k'), value)
      value[0] = 0
      const got = store.getSync(u('k'))!
      expect(got.constructor).toBe(Uint8Array)
      expect(bytesToUtf8(got)).toBe('value')
      expect((await store.get(u('k')))!.constructor).toBe(Uint8Array)
      for await (const [k, v] of store.iterate()) {
        expect(k.constructor).toBe(Uint8Array)
        expect(v.constructor).toBe(Uint8Array)
      }
      await store.close()
    })

    it('reads several keys at once', async () => {
      const store = await options.open()
      await store.write(new WriteBatch().put(u('x'), u('1')).put(u('z'), u('3')))
      expect(await store.getMany([u('x'), u('y'), u('z')])).toEqual([u('1'), undefined, u('3')])
      await store.close()
    })

    it('applies a write batch as a whole; the later of two operations on a key wins', async () => {
      const store = await options.open()
      await store.put(u('gone'), u('x'))
      const batch = new WriteBatch().put(u('a'), u('1')).put(u('b'), u('2')).delete(u('gone'))
      batch.put(u('b'), u('3')).delete(u('a')).put(u('a'), u('4'))
      expect(batch.length).toBe(6)
      await store.write(batch)
      expect(await collect(store)).toEqual(['a=4', 'b=3'])
      const ops: KvOp[] = [{ type: 'put', key: u('c'), value: u('5') }]
      await store.write(ops)
      expect(store.getSync(u('c'))).toEqual(u('5'))
      await store.close()
    })

    it('rejects a batch with an invalid operation and writes none of it', async () => {
      const store = await options.open()
      const bad = [
        { type: 'put', key: u('first'), value: u('1') },
        { type: 'put', key: 'not bytes', value: u('2') },
      ] as unknown as KvOp[]
      await rejectsWith(store.write(bad), 'WRITE_FAILED')
      expect(store.getSync(u('first'))).toBeUndefined()
      await store.close()
    })

    it('iterates in byte order by prefix, bounds, reverse and limit', async () => {
      const store = await options.open()
      const batch = new WriteBatch()
      for (const key of ['b2', 'a', 'b', 'b10', 'b1', 'c', 'ba', 'b\xff'])
        batch.put(key === 'b\xff' ? Uint8Array.of(0x62, 0xff) : u(key), u('v'))
      await store.write(batch)
      const keys = async (range?: KvRange) => (await collect(store, range)).map((e) => e.slice(0, -2))
      expect(await keys()).toEqual(['a', 'b', 'b1', 'b10', 'b2', 'ba', 'b\ufffd', 'c'])
      expect(await keys({ prefix: u('b1') })).toEqual(['b1', 'b10'])
      expect(await keys({ prefix: u('b'), gte: u('b10'), lt: u('ba') })).toEqual(['b10', 'b2'])
      expect(await keys({ prefix: u('b'), reverse: true, limit: 3 })).toEqual(['b\ufffd', 'ba', 'b2'])
      expect(await keys({ prefix: Uint8Array.of(0x62, 0xff) })).toEqual(['b\ufffd'])
      expect(await keys({ prefix: u('d') })).toEqual([])
      expect(await keys({ gte: u('b2'), limit: 2 })).toEqual(['b2', 'ba'])
      await store.close()
    })

    it('gives a snapshot that later writes do not change', async () => {
      const store = await options.open()
      await store.put(u('k'), u('old'))
      const view = store.snapshot()
      await store.write(new WriteBatch().put(u('k'), u('new')).put(u('added'), u('x')))
      expect(view.getSync(u('k'))).toEqual(u('old'))
      expect(await view.get(u('added'))).toBeUndefined()
      const seen: string[] = []
      for await (const [key] of view.iterate()) seen.push(bytesToUtf8(key))
      expect(seen).toEqual(['k'])
      expect(store.getSync(u('k'))).toEqual(u('new'))
      await view.release()
      expect(() => view.getSync(u('k'))).toThrow(KvError)
      await store.close()
    })

    it('fails with CLOSED after close', async () => {
      const store = await options.open()
      expect(store.closed).toBe(false)
      await store.close()
      expect(store.closed).toBe(true)
      await rejectsWith(store.get(u('k')), 'CLOSED')
      await rejectsWith(store.put(u('k'), u('v')), 'CLOSED')
      await rejectsWith(store.write([]), 'CLOSED')
      expect(() => store.getSync(u('k'))).toThrow(KvError)
    })

    if (options.reopen !== undefined) {
      const reopen = options.reopen
      it('keeps what was written across close and reopen', async () => {
        const store = await options.open()
        const batch = new WriteBatch()
        for (let i = 0; i < 1000; i++) batch.put(u(`key ${i}`), u(`value ${i}`))
        await store.write(batch)
        await store.delete(u('key 7'))
        await store.close()
        const again = await reopen(store)
        expect(again.getSync(u('key 999'))).toEqual(u('value 999'))
        expect(again.getSync(u('key 7'))).toBeUndefined()
        expect((await collect(again, { prefix: u('key ') })).length).toBe(999)
        await again.close()
      })
    }
  })
}
