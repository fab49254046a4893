import { decodeBlock, encodeBlock, headerHash } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import { createBlockFromRLP } from '@ethereumjs/block'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { decode, encode, type NestedUint8Array } from '@ethereumjs/rlp'
import type { Random } from '../random.js'
import { fixturesRoot, fromHex, jsonFiles, pickInput, readJson } from './inputs.js'
import { sameItem } from './rlp.js'
import { type DecoderTarget, type Problem, typed } from './runner.js'

/** The fork whose header has this many fields (what @ethereumjs/block needs to be told). */
const HARDFORK_BY_FIELDS: Record<number, Hardfork> = {
  15: Hardfork.Berlin,
  16: Hardfork.London,
  17: Hardfork.Shanghai,
  20: Hardfork.Cancun,
  21: Hardfork.Prague,
}

/** Fixture files read for seeds (the first of each folder, sorted: a stable, varied set). */
const SEED_FILES = 80

type Tree = Uint8Array | Tree[]

/**
 * The issue-12 shape: a legacy transaction of the body written as an RLP byte string holding
 * the list's bytes (what execution-specs' decode_transaction refuses).
 */
export function legacyAsString(r: Random, block: Uint8Array): Uint8Array {
  let tree: Tree
  try {
    tree = decode(block) as Tree
  } catch {
    return block
  }
  if (!Array.isArray(tree) || !Array.isArray(tree[1])) return block
  const txs = tree[1] as Tree[]
  const legacy = txs.map((t, i) => [t, i] as const).filter(([t]) => Array.isArray(t))
  if (legacy.length === 0) {
    // No legacy transaction: add a byte string starting at or above 0xc0.
    const copy = tree.slice()
    copy[1] = [...txs, Uint8Array.of(0xc0 + r.int(64), ...r.bytes(r.int(40)))]
    return encode(copy as NestedUint8Array)
  }
  const [tx, i] = r.pick(legacy)
  const body = txs.slice()
  body[i] = encode(tx as NestedUint8Array)
  const copy = tree.slice()
  copy[1] = body
  return encode(copy as NestedUint8Array)
}

/**
 * `block`: `decodeBlock` returns a block or a typed error; a decoded block re-encodes to the
 * same bytes; a block it accepts has a canonical body (each transaction a list or a byte
 * string starting with a type byte 0x01-0x04); and whatever `@ethereumjs/block` 10.1.3
 * constructs (at the fork its header's field count names) Crucible decodes, with the same hash.
 */
export function blockTarget(): DecoderTarget {
  const seeds: Uint8Array[] = []
  const counts = { decoded: 0, rejected: 0, ethereumjsDecoded: 0 }
  const commons = new Map<Hardfork, Common>()
  const common = (hf: Hardfork) => {
    let c = commons.get(hf)
    if (c === undefined) commons.set(hf, (c = new Common({ chain: Mainnet, hardfork: hf })))
    return c
  }
  return {
    name: 'block',
    prepare() {
      const root = fixturesRoot()
      if (root === undefined) return
      const files = jsonFiles(`${root}/ethereum-tests/BlockchainTests/ValidBlocks`)
      const step = Math.max(1, Math.floor(files.length / SEED_FILES))
      for (let i = 0; i < files.length; i += step) {
        const tests = readJson(files[i]!) as Record<string, { blocks?: Array<{ rlp?: string }> }>
        for (const test of Object.values(tests))
          for (const b of test.blocks ?? []) {
            const bytes = typeof b.rlp === 'string' ? fromHex(b.rlp) : undefined
            if (bytes) seeds.push(bytes)
          }
      }
    },
    input(r) {
      if (seeds.length > 0 && r.chance(0.15)) return legacyAsString(r, r.pick(seeds))
      return pickInput(r, seeds, (q) => (seeds.length > 0 ? q.pick(seeds) : q.bytes(q.int(600))))
    },
    check,
    stats: () => ({ seeds: seeds.length, ...counts }),
  }

  function check(input: Uint8Array): Problem | undefined {
    const ours = typed('decodeBlock', () => decodeBlock(input))
    if ('problem' in ours) return ours.problem
    let tree: Tree | undefined
    try {
      tree = decode(input) as Tree
    } catch {
      tree = undefined
    }
    let theirs: ReturnType<typeof createBlockFromRLP> | undefined
    const fields = Array.isArray(tree) && Array.isArray(tree[0]) ? tree[0].length : 0
    const hf = HARDFORK_BY_FIELDS[fields]
    if (hf !== undefined) {
      try {
        theirs = createBlockFromRLP(input, { common: common(hf) })
        counts.ethereumjsDecoded++
      } catch {
        theirs = undefined
      }
    }
    if ('error' in ours) {
      counts.rejected++
      if (theirs !== undefined)
        return {
          kind: 'differential',
          message: `Crucible rejects (${ours.error.shortMessage}), @ethereumjs/block decodes`,
        }
      return undefined
    }
    counts.decoded++
    const body = Array.isArray(tree) && Array.isArray(tree[1]) ? (tree[1] as Tree[]) : []
    for (const tx of body) {
      if (tx instanceof Uint8Array && (tx.length === 0 || tx[0]! < 0x01 || tx[0]! > 0x04))
        return {
          kind: 'noncanonical-body',
          message: `decodeBlock accepts a body transaction that is a byte string starting with 0x${(tx[0] ?? 0).toString(16)}`,
        }
    }
    const again = typed('encodeBlock', () => encodeBlock(ours.value))
    if ('problem' in again) return again.problem
    if ('error' in again)
      return {
        kind: 'roundtrip',
        message: `encodeBlock refuses a decoded block: ${again.error.shortMessage}`,
      }
    if (!sameItem(again.value, input))
      return { kind: 'roundtrip', message: 'encodeBlock(decodeBlock(x)) !== x' }
    if (theirs !== undefined) {
      const hash = typed('headerHash', () => headerHash(ours.value.header))
      if ('problem' in hash) return hash.problem
      if ('value' in hash && bytesToHex(hash.value) !== bytesToHex(theirs.hash()))
        return { kind: 'differential', message: 'block hashes differ' }
      if (theirs.transactions.length !== ours.value.transactions.length)
        return { kind: 'differential', message: 'transaction counts differ' }
    }
    return undefined
  }
}
