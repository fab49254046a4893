import { concatBytes, utf8ToBytes } from '@crucible/primitives'

/**
 * The key layout, one prefix byte per kind of entry (go-ethereum's schema is the model):
 *
 * | prefix | key                         | value                                        |
 * | ------ | --------------------------- | -------------------------------------------- |
 * | `h`    | `h` num(8) hash             | header RLP                                   |
 * | `H`    | `H` hash                    | block number, 8 bytes big-endian             |
 * | `b`    | `b` num(8) hash             | the block's RLP, as imported and exported    |
 * | `r`    | `r` num(8) hash             | receipts: RLP list of consensus encodings     |
 * | `q`    | `q` num(8) hash             | EIP-7685 requests: RLP list (from Prague)    |
 * | `t`    | `t` num(8) hash             | total difficulty, big-endian                 |
 * | `c`    | `c` num(8)                  | canonical block hash at that number          |
 * | `l`    | `l` tx hash                 | num(8) ‖ block hash ‖ index(4)               |
 * | `n`    | `n` node hash               | trie node RLP (account and storage tries)    |
 * | `C`    | `C` code hash               | contract code                                |
 * | `m`    | `m` name                    | metadata: `head`, `safe`, `finalized`, `version` |
 * | `f`    | `f` chain id(8) num(8) …    | a forked chain's upstream cache (`@crucible/devnode`) |
 *
 * Numbers first in block keys keep a block's entries in number order for iteration. Trie
 * nodes are keyed by hash and never deleted, so every imported block's post-state stays
 * readable (archive). A transaction lookup is only trusted when its block is canonical.
 */
export const PREFIX = {
  header: 0x68,
  blockNumber: 0x48,
  block: 0x62,
  receipts: 0x72,
  requests: 0x71,
  totalDifficulty: 0x74,
  canonical: 0x63,
  txLookup: 0x6c,
  trieNode: 0x6e,
  code: 0x43,
  meta: 0x6d,
  fork: 0x66,
} as const

export type EntryKind = keyof typeof PREFIX

/** What `crucible db stats` calls each kind. */
export const KIND_NAMES: Record<EntryKind, string> = {
  header: 'Headers',
  blockNumber: 'Block number by hash',
  block: 'Blocks',
  receipts: 'Receipts',
  requests: 'Requests',
  totalDifficulty: 'Total difficulty',
  canonical: 'Canonical hashes',
  txLookup: 'Transaction lookups',
  trieNode: 'State trie nodes',
  code: 'Contract code',
  meta: 'Metadata',
  fork: 'Fork cache (upstream state)',
}

/** The schema version this code writes and reads (`m` `version`). */
export const SCHEMA_VERSION = 1

export function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, value)
  return out
}

export function readU64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset)
}

function numHashKey(prefix: number, number: bigint, hash: Uint8Array): Uint8Array {
  const key = new Uint8Array(41)
  key[0] = prefix
  new DataView(key.buffer).setBigUint64(1, number)
  key.set(hash, 9)
  return key
}

function hashKey(prefix: number, hash: Uint8Array): Uint8Array {
  const key = new Uint8Array(1 + hash.length)
  key[0] = prefix
  key.set(hash, 1)
  return key
}

// Return types spelled out: TypeScript >= 5.7 would otherwise write `Uint8Array<ArrayBufferLike>`
// into the .d.ts, which TypeScript < 5.7 (no generic Uint8Array) rejects.
export const keys = {
  header: (number: bigint, hash: Uint8Array): Uint8Array => numHashKey(PREFIX.header, number, hash),
  blockNumber: (hash: Uint8Array): Uint8Array => hashKey(PREFIX.blockNumber, hash),
  block: (number: bigint, hash: Uint8Array): Uint8Array => numHashKey(PREFIX.block, number, hash),
  receipts: (number: bigint, hash: Uint8Array): Uint8Array => numHashKey(PREFIX.receipts, number, hash),
  requests: (number: bigint, hash: Uint8Array): Uint8Array => numHashKey(PREFIX.requests, number, hash),
  totalDifficulty: (number: bigint, hash: Uint8Array): Uint8Array =>
    numHashKey(PREFIX.totalDifficulty, number, hash),
  canonical: (number: bigint): Uint8Array => concatBytes(Uint8Array.of(PREFIX.canonical), u64(number)),
  txLookup: (txHash: Uint8Array): Uint8Array => hashKey(PREFIX.txLookup, txHash),
  trieNode: (hash: Uint8Array): Uint8Array => hashKey(PREFIX.trieNode, hash),
  code: (codeHash: Uint8Array): Uint8Array => hashKey(PREFIX.code, codeHash),
  meta: (name: 'head' | 'safe' | 'finalized' | 'version'): Uint8Array =>
    concatBytes(Uint8Array.of(PREFIX.meta), utf8ToBytes(name)),
  /** A forked chain's cached upstream entry: the upstream's chain id and fork block, then `rest`. */
  fork: (chainId: bigint, block: bigint, rest: Uint8Array): Uint8Array =>
    concatBytes(Uint8Array.of(PREFIX.fork), u64(chainId), u64(block), rest),
}
