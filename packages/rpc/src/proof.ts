import { bytesToHex, encodeRlp, type Hex, numberToHex } from '@crucible/primitives'
import { accountKey, slotKey } from '@crucible/state'
import { createProof, Trie } from '@crucible/trie'
import type { ChainState } from './chain.js'
import { addressHex } from './format.js'

export interface StorageProof {
  key: Hex
  value: Hex
  proof: Hex[]
}

export interface AccountProof {
  address: Hex
  accountProof: Hex[]
  balance: Hex
  codeHash: Hex
  nonce: Hex
  storageHash: Hex
  storageProof: StorageProof[]
}

/**
 * EIP-1186 proofs from a full state: the account trie and the account's storage trie are
 * rebuilt from the state's accounts (fine for the chains this package serves in memory; a
 * database-backed state answers from its stored tries instead).
 */
export function accountProof(
  state: ChainState,
  address: bigint,
  keys: { key: bigint; label: Hex }[],
): AccountProof {
  const accounts = new Trie()
  for (const a of state.addresses()) {
    accounts.putRaw(
      accountKey(a),
      encodeRlp([state.getNonce(a), state.getBalance(a), state.storageRoot(a), state.getCodeHash(a)]),
    )
  }
  const storage = new Trie()
  for (const [key, value] of state.storageEntries(address)) storage.putRaw(slotKey(key), encodeRlp(value))
  const hex = (nodes: Uint8Array[]) => nodes.map((n) => bytesToHex(n))
  return {
    address: addressHex(address),
    accountProof: hex(proofRaw(accounts, accountKey(address))),
    balance: numberToHex(state.getBalance(address)),
    codeHash: bytesToHex(state.getCodeHash(address)),
    nonce: numberToHex(state.getNonce(address)),
    storageHash: bytesToHex(state.storageRoot(address)),
    storageProof: keys.map(({ key, label }) => ({
      key: label,
      value: numberToHex(state.getStorage(address, key)),
      proof: hex(proofRaw(storage, slotKey(key))),
    })),
  }
}

/** A proof for a key already in trie form (a plain trie's `createProof` uses the key as is). */
function proofRaw(trie: Trie, key: Uint8Array): Uint8Array[] {
  return createProof(trie, key)
}
