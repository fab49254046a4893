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
 * EIP-1186 proofs: from the stored tries when the state reads them ({@link ChainState.proof}),
 * else from the account trie and the account's storage trie rebuilt from a state held whole
 * in memory.
 */
export function accountProof(
  state: ChainState,
  address: bigint,
  keys: { key: bigint; label: Hex }[],
): AccountProof {
  const hex = (nodes: Uint8Array[]) => nodes.map((n) => bytesToHex(n))
  const nodes = state.proof
    ? state.proof(
        address,
        keys.map((k) => k.key),
      )
    : rebuiltProof(state, address, keys)
  return {
    address: addressHex(address),
    accountProof: hex(nodes.account),
    balance: numberToHex(state.getBalance(address)),
    codeHash: bytesToHex(state.getCodeHash(address)),
    nonce: numberToHex(state.getNonce(address)),
    storageHash: bytesToHex(state.storageRoot(address)),
    storageProof: keys.map(({ key, label }, i) => ({
      key: label,
      value: numberToHex(state.getStorage(address, key)),
      proof: hex(nodes.storage[i]!),
    })),
  }
}

function rebuiltProof(
  state: ChainState,
  address: bigint,
  keys: { key: bigint }[],
): { account: Uint8Array[]; storage: Uint8Array[][] } {
  const accounts = new Trie()
  for (const a of state.addresses()) {
    accounts.putRaw(
      accountKey(a),
      encodeRlp([state.getNonce(a), state.getBalance(a), state.storageRoot(a), state.getCodeHash(a)]),
    )
  }
  const storage = new Trie()
  for (const [key, value] of state.storageEntries(address)) storage.putRaw(slotKey(key), encodeRlp(value))
  return {
    account: proofRaw(accounts, accountKey(address)),
    storage: keys.map(({ key }) => proofRaw(storage, slotKey(key))),
  }
}

/** A proof for a key already in trie form (a plain trie's `createProof` uses the key as is). */
function proofRaw(trie: Trie, key: Uint8Array): Uint8Array[] {
  return createProof(trie, key)
}
