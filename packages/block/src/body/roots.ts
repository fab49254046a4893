import { encodeRlp, keccak256 } from '@crucible/primitives'
import { trieRoot } from '@crucible/trie'
import { type BlockHeader, headerToRlp } from '../header/header.js'
import { type Withdrawal, withdrawalToRlp } from './block.js'
import { encodeReceipt, type Receipt } from './receipt.js'

/** Root of a list trie: item `i` stored under `rlp(i)` (transactions, receipts, withdrawals). */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  return trieRoot(values.map((value, i): [Uint8Array, Uint8Array] => [encodeRlp(i), value]))
}

/** Transactions root from canonical transaction encodings. */
export function transactionsRoot(transactions: readonly Uint8Array[]): Uint8Array {
  return orderedTrieRoot(transactions)
}

export function receiptsRoot(receipts: readonly Receipt[]): Uint8Array {
  return orderedTrieRoot(receipts.map(encodeReceipt))
}

export function withdrawalsRoot(withdrawals: readonly Withdrawal[]): Uint8Array {
  return orderedTrieRoot(withdrawals.map((w) => encodeRlp(withdrawalToRlp(w))))
}

/** keccak256 of the RLP list of uncle headers. */
export function ommersHash(uncles: readonly BlockHeader[]): Uint8Array {
  return keccak256(encodeRlp(uncles.map(headerToRlp)))
}
