import { bytesToHex } from '@crucible/primitives'
import { BlockError } from '../errors.js'
import { type BlockHeader, headerHash } from '../header/header.js'
import { type HeaderContext, validateHeader } from '../header/validate.js'
import type { StoredBlock } from './store.js'

/** Uncles may be at most this many generations older than the block (execution-specs MAX_OMMER_DEPTH). */
export const MAX_UNCLE_DEPTH = 6n
export const MAX_UNCLES = 2

/**
 * The uncle rules before the merge (execution-specs `validate_ommers`): at most two, each a
 * valid header on its own parent, 1 to 6 generations back, a child of one of the last seven
 * ancestors but not of the parent, neither an ancestor nor an uncle already included by one,
 * and no duplicates. `ancestors` are the block's ancestors, parent first, at least seven when
 * the chain is that long.
 */
export function validateUncles(
  header: BlockHeader,
  uncles: readonly BlockHeader[],
  ancestors: readonly StoredBlock[],
  contextAt: (uncle: BlockHeader) => HeaderContext,
): void {
  if (uncles.length === 0) return
  const bad = (message: string, uncle?: BlockHeader) =>
    new BlockError('INVALID_UNCLE', message, uncle ? { uncle: bytesToHex(headerHash(uncle)) } : {})
  if (uncles.length > MAX_UNCLES) throw bad(`${uncles.length} uncles, at most ${MAX_UNCLES}`)
  const recent = ancestors.slice(0, Number(MAX_UNCLE_DEPTH) + 1)
  const recentHashes = new Map(recent.map((b) => [b.key, b]))
  const recentUncles = new Set<string>()
  for (const b of recent) for (const u of b.block.uncles) recentUncles.add(bytesToHex(headerHash(u)))
  const blockKey = bytesToHex(headerHash(header))
  const parentKey = bytesToHex(header.parentHash)
  const seen = new Set<string>()
  for (const uncle of uncles) {
    const key = bytesToHex(headerHash(uncle))
    if (seen.has(key)) throw bad('duplicate uncle', uncle)
    seen.add(key)
    if (uncle.number < 1n || uncle.number >= header.number) throw bad('uncle number out of range', uncle)
    const age = header.number - uncle.number
    if (age > MAX_UNCLE_DEPTH) throw bad('uncle too old', uncle)
    if (key === blockKey) throw bad('uncle is the block itself', uncle)
    if (recentHashes.has(key)) throw bad('uncle is an ancestor', uncle)
    if (recentUncles.has(key)) throw bad('uncle already included', uncle)
    const uncleParentKey = bytesToHex(uncle.parentHash)
    const uncleParent = recentHashes.get(uncleParentKey)
    if (!uncleParent) throw bad('uncle parent is not a recent ancestor', uncle)
    if (uncleParentKey === parentKey) throw bad('uncle is a sibling of the block', uncle)
    validateHeader(uncle, uncleParent.block.header, contextAt(uncle))
  }
}
