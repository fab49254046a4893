import { decodeRlp, decodeRlpPrefix, encodeRlp, type RlpItem } from '@crucible/primitives'
import { decode, encode, type NestedUint8Array } from '@ethereumjs/rlp'
import type { Random } from '../random.js'
import { fixturesRoot, fromHex, jsonFiles, pickInput, readJson } from './inputs.js'
import { type DecoderTarget, type Problem, typed } from './runner.js'

/** Structural equality of two decoded items. */
export function sameItem(
  a: RlpItem | NestedUint8Array | Uint8Array,
  b: RlpItem | NestedUint8Array | Uint8Array,
): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!sameItem(a[i]!, b[i]!)) return false
  return true
}

/** A random RLP value: nested lists of byte strings of the sizes where the encoding changes. */
export function randomItem(r: Random, depth = 0): NestedUint8Array | Uint8Array {
  if (depth > 4 || r.chance(0.45)) return r.bytes(r.pick([0, 1, 1, 2, 20, 32, 55, 56, 57, 200, 1100]))
  const n = r.int(depth === 0 ? 12 : 6)
  return Array.from({ length: n }, () => randomItem(r, depth + 1)) as NestedUint8Array
}

/**
 * `rlp`: `decodeRlp` returns an item or throws a typed RlpError; an item re-encodes to the
 * same bytes; `decodeRlpPrefix` agrees with it; and `@ethereumjs/rlp` decodes exactly the
 * same inputs to the same items.
 */
export function rlpTarget(): DecoderTarget {
  const seeds: Uint8Array[] = []
  const counts = { accepted: 0, rejected: 0 }
  return {
    name: 'rlp',
    prepare() {
      const root = fixturesRoot()
      if (root === undefined) return
      for (const file of jsonFiles(`${root}/ethereum-tests/RLPTests`)) {
        for (const test of Object.values(readJson(file) as Record<string, { out?: string }>)) {
          const bytes = typeof test.out === 'string' ? fromHex(test.out) : undefined
          if (bytes) seeds.push(bytes)
        }
      }
    },
    input: (r) => pickInput(r, seeds, (q) => encode(randomItem(q))),
    check: checkRlp,
    stats: () => ({ seeds: seeds.length, ...counts }),
  }

  function checkRlp(input: Uint8Array): Problem | undefined {
    const ours = typed('decodeRlp', () => decodeRlp(input))
    if ('problem' in ours) return ours.problem
    const prefix = typed('decodeRlpPrefix', () => decodeRlpPrefix(input))
    if ('problem' in prefix) return prefix.problem
    let theirs: { value: NestedUint8Array | Uint8Array } | { error: string }
    try {
      theirs = { value: decode(input) }
    } catch (error) {
      theirs = { error: String((error as Error).message).slice(0, 120) }
    }
    if ('error' in ours) {
      counts.rejected++
      if ('value' in theirs)
        return {
          kind: 'differential',
          message: `Crucible rejects (${ours.error.shortMessage}), @ethereumjs/rlp decodes`,
        }
      return undefined
    }
    counts.accepted++
    if ('error' in theirs)
      return { kind: 'differential', message: `Crucible decodes, @ethereumjs/rlp rejects (${theirs.error})` }
    if (!sameItem(ours.value, theirs.value)) return { kind: 'differential', message: 'decoded items differ' }
    if ('value' in prefix && (prefix.value.rest.length !== 0 || !sameItem(prefix.value.item, ours.value)))
      return { kind: 'prefix', message: 'decodeRlpPrefix disagrees with decodeRlp on a whole item' }
    const again = typed('encodeRlp', () => encodeRlp(ours.value))
    if ('problem' in again) return again.problem
    if ('error' in again)
      return { kind: 'roundtrip', message: `encodeRlp refuses a decoded item: ${again.error.shortMessage}` }
    if (!sameItem(again.value, input)) return { kind: 'roundtrip', message: 'encodeRlp(decodeRlp(x)) !== x' }
    return undefined
  }
}
