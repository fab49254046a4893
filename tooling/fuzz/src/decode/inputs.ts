import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { decode, encode, type NestedUint8Array } from '@ethereumjs/rlp'
import { PACKAGE_DIR } from '../allowlist.js'
import type { Random } from '../random.js'

/**
 * Inputs of the decoder targets: the official fixtures' valid inputs as seeds, byte-level and
 * RLP-structure-aware mutations of them, the hostile shapes of issue 12 and random bytes.
 */

/** The official fixtures: `$CRUCIBLE_FIXTURES`, else `shared/fixtures` beside the repository (or beside its worktree folder). */
export function fixturesRoot(): string | undefined {
  if (process.env.CRUCIBLE_FIXTURES) return resolve(process.env.CRUCIBLE_FIXTURES)
  const repo = resolve(PACKAGE_DIR, '../..')
  for (const candidate of [resolve(repo, '../shared/fixtures'), resolve(repo, '../../shared/fixtures')])
    if (existsSync(candidate)) return candidate
  return undefined
}

/** Every `.json` file under `dir` (sorted, so the seed order is stable). */
export function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.endsWith('.json')) out.push(p)
    }
  }
  walk(dir)
  return out
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}

export function fromHex(hex: string): Uint8Array | undefined {
  const body = hex.startsWith('0x') ? hex.slice(2) : hex
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) return undefined
  const out = new Uint8Array(body.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function toHex(bytes: Uint8Array): string {
  let s = '0x'
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

// ---- Hostile shapes (issue 12) -------------------------------------------------------------

/** An RLP byte string of n bytes (each 0x61). */
export function rlpString(n: number): Uint8Array {
  return encode(new Uint8Array(n).fill(0x61))
}

/** A list header for a payload of `len` bytes. */
function listHeader(len: number): Uint8Array {
  if (len < 56) return Uint8Array.of(0xc0 + len)
  const bytes: number[] = []
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return Uint8Array.of(0xf7 + bytes.length, ...bytes)
}

/** `nest(depth, inner)`: each level a list header around the previous one. */
export function nest(depth: number, inner: Uint8Array): Uint8Array {
  // Built outside-in into one buffer: the headers' sizes are known from the inside out.
  const headers: Uint8Array[] = []
  let len = inner.length
  for (let i = 0; i < depth; i++) {
    const h = listHeader(len)
    headers.push(h)
    len += h.length
  }
  const out = new Uint8Array(len)
  let at = 0
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, at)
    at += headers[i]!.length
  }
  out.set(inner, at)
  return out
}

/** A flat list of `n` one-byte items. */
export function wideList(n: number, item = 0x01): Uint8Array {
  const header = listHeader(n)
  const out = new Uint8Array(header.length + n).fill(item)
  out.set(header)
  return out
}

/**
 * Bounds of the hostile shapes. Today's decoders (issue 12) cost depth × size, so the shapes
 * stay below what takes seconds; raise these once the bounded decoder is on main.
 */
export const HOSTILE = { maxDepth: 12_000, maxDeepString: 64, maxShallowString: 1 << 20, maxWidth: 200_000 }

export function hostile(r: Random): Uint8Array {
  switch (r.int(4)) {
    case 0:
      return nest(r.range(1, HOSTILE.maxDepth), rlpString(r.int(HOSTILE.maxDeepString)))
    case 1:
      return nest(r.range(1, 50), rlpString(r.int(HOSTILE.maxShallowString)))
    case 2:
      return wideList(r.range(0, HOSTILE.maxWidth), r.pick([0x00, 0x01, 0x7f, 0x80]))
    default:
      // A list of lists of empty lists: wide and a little deep.
      return nest(r.range(1, 4), wideList(r.range(0, 50_000), 0xc0))
  }
}

// ---- Mutations ----------------------------------------------------------------------------

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xb9, 0xbf, 0xc0, 0xc1, 0xf7, 0xf8, 0xf9, 0xff]

/** One to four byte-level edits. */
export function mutateBytes(r: Random, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input)
  const edits = r.range(1, 4)
  for (let e = 0; e < edits; e++) {
    const at = r.int(bytes.length + 1)
    const byte = r.chance(0.4) ? r.pick(INTERESTING) : r.int(256)
    switch (r.int(7)) {
      case 0:
        if (at < bytes.length) bytes[at] = byte
        break
      case 1:
        if (at < bytes.length) bytes[at]! ^= 1 << r.int(8)
        break
      case 2:
        bytes.splice(at, 0, byte)
        break
      case 3:
        bytes.splice(at, r.range(1, 8))
        break
      case 4:
        bytes.length = Math.min(bytes.length, at)
        break
      case 5: {
        const from = r.int(bytes.length + 1)
        bytes.splice(at, 0, ...bytes.slice(from, from + r.range(1, 64)))
        break
      }
      default:
        for (let i = r.range(1, 16); i > 0; i--) bytes.push(r.int(256))
    }
  }
  return Uint8Array.from(bytes)
}

type Tree = Uint8Array | Tree[]

/** A structure-aware mutation: decode, change the tree, re-encode (so the result is valid RLP). */
export function mutateTree(r: Random, input: Uint8Array): Uint8Array {
  let tree: Tree
  try {
    tree = decode(input) as Tree
  } catch {
    return mutateBytes(r, input)
  }
  const edits = r.range(1, 3)
  for (let e = 0; e < edits; e++) tree = editTree(r, tree)
  return encode(tree as NestedUint8Array)
}

function editTree(r: Random, tree: Tree): Tree {
  // Walk down to a random node, then change it.
  if (Array.isArray(tree) && tree.length > 0 && r.chance(0.7)) {
    const i = r.int(tree.length)
    const copy = tree.slice()
    copy[i] = editTree(r, tree[i]!)
    return copy
  }
  switch (r.int(8)) {
    case 0:
      return r.bytes(r.pick([0, 1, 2, 20, 32, 33, 55, 56, 300]))
    case 1:
      return Array.isArray(tree) ? tree.slice(0, r.int(tree.length + 1)) : [tree]
    case 2:
      return Array.isArray(tree) && tree.length > 0 ? [...tree, tree[r.int(tree.length)]!] : [tree, tree]
    case 3:
      return Array.isArray(tree) ? encode(tree as NestedUint8Array) : tree
    case 4:
      return Array.isArray(tree) ? [] : new Uint8Array(0)
    case 5:
      // A leading zero byte, or the value with its top byte dropped.
      return tree instanceof Uint8Array ? Uint8Array.of(0, ...tree) : tree
    case 6:
      return tree instanceof Uint8Array && tree.length > 0
        ? Uint8Array.of(tree[0]! ^ (1 << r.int(8)), ...tree.subarray(1))
        : tree
    default:
      return [tree]
  }
}

/** A seeded input: a fixture's valid input, mutated or not, a hostile shape, or random bytes. */
export function pickInput(
  r: Random,
  seeds: readonly Uint8Array[],
  generated: (r: Random) => Uint8Array,
): Uint8Array {
  const x = r.float()
  const seed = () => (seeds.length > 0 ? r.pick(seeds) : generated(r))
  if (x < 0.1) return seed()
  if (x < 0.4) return mutateBytes(r, seed())
  if (x < 0.65) return mutateTree(r, seed())
  if (x < 0.85) return r.chance(0.5) ? generated(r) : mutateTree(r, generated(r))
  if (x < 0.93) return hostile(r)
  return r.bytes(r.int(r.chance(0.8) ? 64 : 4096))
}
