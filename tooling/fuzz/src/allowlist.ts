import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The committed allow-list (tooling/fuzz/allowlist.json): divergences that are explained,
 * each with its reason and the specification reference that decides who is right. An entry
 * either documents a reference-implementation bug (`ethereumjs-bug`), or a Crucible bug that
 * is open (`open-crucible-bug`, whose reproducer is a skipped regression test until fixed).
 */
export interface AllowEntry {
  id: string
  target: string
  status: 'ethereumjs-bug' | 'open-crucible-bug' | 'not-comparable'
  reason: string
  spec: string
  /** EVM: the forks it applies to (all when absent). */
  forks?: string[]
  /** EVM: the differing fields, exactly (any when absent). */
  fields?: string[]
  /** EVM: snippet kinds that must all be in the (shrunk) case. */
  kinds?: string[]
  /** EVM: transaction types it applies to. */
  txTypes?: number[]
  /** Decoder targets: the finding kind and a regular expression over its message. */
  kind?: string
  pattern?: string
  /** The reproducer in the corpus, relative to tooling/fuzz. */
  reproducer?: string
}

export const PACKAGE_DIR = join(import.meta.dirname, '..')

export function loadAllowList(): AllowEntry[] {
  const raw = JSON.parse(readFileSync(join(PACKAGE_DIR, 'allowlist.json'), 'utf8')) as {
    entries: AllowEntry[]
  }
  return raw.entries
}

export interface EvmDivergenceFacts {
  fork: string
  fields: string[]
  kinds: Set<string>
  txType: number
}

export function matchEvm(entries: AllowEntry[], facts: EvmDivergenceFacts): AllowEntry | undefined {
  return entries.find(
    (e) =>
      e.target === 'evm' &&
      (e.forks === undefined || e.forks.includes(facts.fork)) &&
      (e.fields === undefined || sameSet(e.fields, facts.fields)) &&
      (e.kinds === undefined || e.kinds.every((k) => facts.kinds.has(k))) &&
      (e.txTypes === undefined || e.txTypes.includes(facts.txType)),
  )
}

export function matchDecoder(
  entries: AllowEntry[],
  target: string,
  kind: string,
  message: string,
): AllowEntry | undefined {
  return entries.find(
    (e) =>
      e.target === target &&
      (e.kind === undefined || e.kind === kind) &&
      (e.pattern === undefined || new RegExp(e.pattern).test(message)),
  )
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x))
}
