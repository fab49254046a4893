import type { KvReader } from '@crucible/kv'
import { type EntryKind, KIND_NAMES, PREFIX } from './schema.js'

/** Entries of one kind: how many, and the bytes of their keys and values. */
export interface EntryStats {
  kind: EntryKind | 'other'
  /** What `crucible db stats` prints. */
  name: string
  count: number
  bytes: number
}

/**
 * Counts and sizes every entry of the database by kind (its key's prefix byte), in schema
 * order, kinds without entries included; unknown prefixes are counted as `other`. Reads
 * everything: run it on a snapshot (or an idle database).
 */
export async function databaseStats(kv: KvReader): Promise<EntryStats[]> {
  const byPrefix = new Map<number, EntryStats>()
  const out: EntryStats[] = []
  for (const kind of Object.keys(PREFIX) as EntryKind[]) {
    const entry: EntryStats = { kind, name: KIND_NAMES[kind], count: 0, bytes: 0 }
    byPrefix.set(PREFIX[kind], entry)
    out.push(entry)
  }
  const other: EntryStats = { kind: 'other', name: 'Other', count: 0, bytes: 0 }
  for await (const [key, value] of kv.iterate()) {
    const entry = byPrefix.get(key[0]!) ?? other
    entry.count++
    entry.bytes += key.length + value.length
  }
  if (other.count > 0) out.push(other)
  return out
}
