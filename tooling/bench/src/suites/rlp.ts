import { bytesToHex, decodeRlp, encodeRlp, type RlpItem } from '@crucible/primitives'
import { decode as referenceDecode, encode as referenceEncode } from '@ethereumjs/rlp'
import type { BenchRow, BenchTable, SuiteOptions } from '../types.js'

/**
 * RLP: decode and encode the shapes a node handles all day (signed transactions, block
 * headers, whole blocks, trie nodes), side by side with @ethereumjs/rlp 10.1.3 (the codec
 * @crucible/primitives wrapped before its own bounded one) on the same bytes, in the same
 * process. Before timing, both sides must decode every input to the same items and encode
 * those items to the same bytes.
 */

const REFERENCE = '@ethereumjs/rlp 10.1.3'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function bytes(r: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0
  return out
}

/** A minimal big-endian integer of up to `max` bytes, as RLP carries it. */
function int(r: () => number, max: number): Uint8Array {
  const n = (r() * (max + 1)) | 0
  const out = bytes(r, n)
  if (n > 0 && out[0] === 0) out[0] = 1
  return out
}

/** A type-2 transaction's fields (with an access list half the time), as a list. */
function txFields(r: () => number): RlpItem[] {
  const accessList: RlpItem[] =
    r() < 0.5
      ? []
      : [
          [bytes(r, 20), [bytes(r, 32), bytes(r, 32)]],
          [bytes(r, 20), []],
        ]
  return [
    int(r, 1),
    int(r, 3),
    int(r, 5),
    int(r, 6),
    int(r, 3),
    bytes(r, 20),
    int(r, 9),
    bytes(r, (r() * 300) | 0),
    accessList,
    int(r, 1),
    bytes(r, 32),
    bytes(r, 32),
  ]
}

function legacyFields(r: () => number): RlpItem[] {
  return [
    int(r, 3),
    int(r, 5),
    int(r, 3),
    bytes(r, 20),
    int(r, 9),
    bytes(r, (r() * 200) | 0),
    int(r, 1),
    bytes(r, 32),
    bytes(r, 32),
  ]
}

/** A Cancun header's 20 fields. */
function headerFields(r: () => number): RlpItem[] {
  return [
    bytes(r, 32),
    bytes(r, 32),
    bytes(r, 20),
    bytes(r, 32),
    bytes(r, 32),
    bytes(r, 32),
    bytes(r, 256),
    new Uint8Array(0),
    int(r, 3),
    int(r, 4),
    int(r, 4),
    int(r, 4),
    bytes(r, 32),
    bytes(r, 32),
    new Uint8Array(8),
    int(r, 5),
    bytes(r, 32),
    int(r, 3),
    int(r, 3),
    bytes(r, 32),
  ]
}

/** A block: header, 150 transactions (legacy as lists, typed as `0x02 ‖ rlp` strings), withdrawals. */
function block(r: () => number): RlpItem {
  const txs: RlpItem[] = []
  for (let i = 0; i < 150; i++) {
    if (i % 3 === 0) txs.push(legacyFields(r))
    else {
      const body = encodeRlp(txFields(r))
      const typed = new Uint8Array(body.length + 1)
      typed[0] = 2
      typed.set(body, 1)
      txs.push(typed)
    }
  }
  const withdrawals = Array.from({ length: 16 }, () => [int(r, 3), int(r, 3), bytes(r, 20), int(r, 5)])
  return [headerFields(r), txs, [], withdrawals]
}

/** Trie nodes: branches with 16 hashes (some empty), leaves holding account bodies. */
function trieNode(r: () => number, i: number): RlpItem {
  if (i % 2 === 0) {
    const branch: RlpItem[] = []
    for (let k = 0; k < 16; k++) branch.push(r() < 0.8 ? bytes(r, 32) : new Uint8Array(0))
    branch.push(new Uint8Array(0))
    return branch
  }
  const account = encodeRlp([int(r, 2), int(r, 12), bytes(r, 32), bytes(r, 32)])
  return [bytes(r, 1 + ((r() * 32) | 0)), account]
}

function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

/** Best of `runs` per side, interleaved (alternating order) after a warm-up each. */
function compare(runs: number, ours: () => void, theirs: () => void): [number, number] {
  ours()
  theirs()
  let a = Number.POSITIVE_INFINITY
  let b = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a = Math.min(a, time(ours))
      b = Math.min(b, time(theirs))
    } else {
      b = Math.min(b, time(theirs))
      a = Math.min(a, time(ours))
    }
  }
  return [a, b]
}

function row(name: string, crucible: number, reference: number, note?: string): BenchRow {
  return {
    name,
    crucible_ms: Math.round(crucible * 100) / 100,
    reference_ms: Math.round(reference * 100) / 100,
    reference: REFERENCE,
    speedup: Math.round((reference / crucible) * 100) / 100,
    ...(note ? { note } : {}),
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesToHex(a) === bytesToHex(b)
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]))
  return false
}

/** Throws unless both codecs agree on every input, both ways. */
function crossCheck(name: string, inputs: Uint8Array[]): RlpItem[] {
  return inputs.map((input, i) => {
    const ours = decodeRlp(input)
    if (!same(ours, referenceDecode(input))) throw new Error(`${name} ${i}: decoded items differ`)
    const again = encodeRlp(ours)
    if (
      bytesToHex(again) !== bytesToHex(referenceEncode(ours as never)) ||
      bytesToHex(again) !== bytesToHex(input)
    )
      throw new Error(`${name} ${i}: encodings differ`)
    return ours
  })
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const runs = options.quick ? 3 : 15
  const r = rng(0x71b)
  const sets: Array<{ name: string; inputs: Uint8Array[] }> = [
    {
      name: 'transactions (type 2, legacy)',
      inputs: Array.from({ length: 20_000 }, (_, i) => encodeRlp(i % 2 ? txFields(r) : legacyFields(r))),
    },
    { name: 'headers (Cancun)', inputs: Array.from({ length: 20_000 }, () => encodeRlp(headerFields(r))) },
    {
      name: 'blocks (150 txs, 16 withdrawals)',
      inputs: Array.from({ length: 200 }, () => encodeRlp(block(r))),
    },
    {
      name: 'trie nodes (branch, leaf)',
      inputs: Array.from({ length: 40_000 }, (_, i) => encodeRlp(trieNode(r, i))),
    },
  ]
  const rows: BenchRow[] = []
  let sink = 0
  for (const { name, inputs } of sets) {
    const items = crossCheck(name, inputs)
    const total = inputs.reduce((n, b) => n + b.length, 0)
    const note = `${inputs.length} × ${Math.round(total / inputs.length)} B`
    const [ourDecode, theirDecode] = compare(
      runs,
      () => {
        for (const input of inputs) sink += (decodeRlp(input) as RlpItem[]).length
      },
      () => {
        for (const input of inputs) sink += (referenceDecode(input) as unknown[]).length
      },
    )
    rows.push(row(`decode ${name}`, ourDecode, theirDecode, note))
    const [ourEncode, theirEncode] = compare(
      runs,
      () => {
        for (const item of items) sink += encodeRlp(item).length
      },
      () => {
        for (const item of items) sink += referenceEncode(item as never).length
      },
    )
    rows.push(row(`encode ${name}`, ourEncode, theirEncode, note))
  }
  if (sink === -1) console.log(sink)
  return { title: 'RLP: decode and encode, @crucible/primitives vs @ethereumjs/rlp', rows }
}
