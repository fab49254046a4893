import { seededRandom } from '@crucible/test-support'
import { createProof, Trie, trieRoot, verifyProof } from '@crucible/trie'
import { createMerkleProof, MerklePatriciaTrie, verifyMerkleProof } from '@ethereumjs/mpt'
import type { BenchTable, SuiteOptions } from '../types.js'

/**
 * The Merkle-Patricia trie: insert N random 32-byte keys with 32–100-byte values and compute
 * the root; then prove and verify M of the keys. Both engines get the same data in the same
 * process; the reference is @ethereumjs/mpt (pinned in devDependencies).
 */

function dataset(n: number): Array<[Uint8Array, Uint8Array]> {
  const r = seededRandom(0x7a1e)
  const out: Array<[Uint8Array, Uint8Array]> = []
  for (let i = 0; i < n; i++) {
    const k = new Uint8Array(32)
    for (let j = 0; j < 32; j++) k[j] = (r() * 256) | 0
    const v = new Uint8Array(32 + ((r() * 69) | 0))
    for (let j = 0; j < v.length; j++) v[j] = (r() * 256) | 0
    out.push([k, v])
  }
  return out
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/** Best of `runs` (the least disturbed by GC and JIT warm-up). */
async function best(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  let min = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) min = Math.min(min, await time(fn))
  return min
}

function row(name: string, crucible: number, reference: number, note?: string) {
  return {
    name,
    crucible_ms: Math.round(crucible * 10) / 10,
    reference_ms: Math.round(reference * 10) / 10,
    reference: '@ethereumjs/mpt 10.1.3',
    speedup: Math.round((reference / crucible) * 100) / 100,
    ...(note ? { note } : {}),
  }
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const n = options.quick ? 10_000 : 100_000
  const m = options.quick ? 1_000 : 10_000
  const runs = options.quick ? 1 : 3
  const data = dataset(n)

  let crucibleRoot: Uint8Array = new Uint8Array()
  const crucibleInsert = await best(runs, () => {
    const t = new Trie()
    for (const [k, v] of data) t.put(k, v)
    crucibleRoot = t.root()
  })
  let scratchRoot: Uint8Array = new Uint8Array()
  const crucibleScratch = await best(runs, () => {
    scratchRoot = trieRoot(data)
  })
  let refRoot: Uint8Array = new Uint8Array()
  const refInsert = await best(1, async () => {
    const t = new MerklePatriciaTrie()
    for (const [k, v] of data) await t.put(k, v)
    refRoot = t.root()
  })
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])
  if (!same(crucibleRoot, refRoot) || !same(scratchRoot, refRoot)) throw new Error('trie bench: roots differ')

  const trie = new Trie()
  for (const [k, v] of data) trie.put(k, v)
  const root = trie.root()
  const ref = new MerklePatriciaTrie()
  for (const [k, v] of data) await ref.put(k, v)
  const sample = data.slice(0, m)
  const crucibleProve = await best(runs, () => {
    for (const [k, v] of sample) {
      const got = verifyProof(root, k, createProof(trie, k))
      if (got === undefined || got.length !== v.length) throw new Error('trie bench: proof failed')
    }
  })
  const refProve = await best(1, async () => {
    for (const [k] of sample) {
      const got = await verifyMerkleProof(k, await createMerkleProof(ref, k), { root })
      if (got === null) throw new Error('trie bench: reference proof failed')
    }
  })

  return {
    title: `Merkle-Patricia trie (${n} random 32-byte keys, 32–100-byte values)`,
    rows: [
      row(`insert ${n} + root`, crucibleInsert, refInsert, 'Trie.put each key, then root()'),
      row(
        `root from scratch (${n})`,
        crucibleScratch,
        refInsert,
        'trieRoot(entries) vs reference put + root',
      ),
      row(`prove + verify ${m} keys`, crucibleProve, refProve, 'createProof + verifyProof'),
    ],
  }
}
