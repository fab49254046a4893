import { hexToBigInt, hexToBytes } from '@crucible/primitives'
import type { Alloc } from '@crucible/state'
import {
  encodeTransaction,
  SECP256K1_N,
  type SignedAuthorization,
  signAuthorization,
  signTransaction,
  type UnsignedTransaction,
} from '@crucible/tx'
import { assemble, hex, initCode } from './assemble.js'
import { AUTHORITY_KEYS, SENDER_KEY } from './generate.js'
import type { EvmCase, TxSpec } from './model.js'

/** What both engines are given: the same pre-state and the same signed transaction bytes. */
export interface BuiltCase {
  alloc: Alloc
  /** The signed transaction, encoded as in a block body (typed: type byte || rlp). */
  txBytes: Uint8Array
  /** Every contract's assembled code, by address (for reports). */
  codes: Record<string, string>
}

export function buildCase(c: EvmCase): BuiltCase {
  const alloc: Alloc = {}
  const codes: Record<string, string> = {}
  for (const a of c.accounts) {
    const code = a.code ? `0x${hex(assemble(a.code))}` : (a.rawCode ?? '0x')
    if (code !== '0x') codes[a.address] = code
    alloc[a.address] = {
      balance: a.balance,
      nonce: a.nonce,
      code,
      storage: Object.fromEntries(a.storage),
    }
  }
  return { alloc, txBytes: encodeTransaction(signTransaction(unsigned(c.tx), SENDER_KEY)), codes }
}

const big = hexToBigInt

function unsigned(t: TxSpec): UnsignedTransaction {
  const common = {
    nonce: big(t.nonce),
    gasLimit: big(t.gasLimit),
    to: t.to === undefined ? undefined : big(t.to),
    value: big(t.value),
    data: t.init ? initCode(t.init) : hexToBytes(t.data),
  }
  const accessList = t.accessList.map((e) => ({
    address: big(e.address),
    storageKeys: e.storageKeys.map(big),
  }))
  const chainId = big(t.chainId)
  const fees = { maxPriorityFeePerGas: big(t.maxPriorityFeePerGas), maxFeePerGas: big(t.gasPrice) }
  switch (t.type) {
    case 0:
      return { type: 0, ...common, gasPrice: big(t.gasPrice), ...(t.unprotected ? {} : { chainId }) }
    case 1:
      return { type: 1, ...common, chainId, gasPrice: big(t.gasPrice), accessList }
    case 2:
      return { type: 2, ...common, chainId, ...fees, accessList }
    case 3:
      return {
        type: 3,
        ...common,
        to: common.to as bigint,
        chainId,
        ...fees,
        accessList,
        maxFeePerBlobGas: big(t.maxFeePerBlobGas),
        blobVersionedHashes: t.blobVersionedHashes.map((h) => hexToBytes(h)),
      }
    case 4:
      return {
        type: 4,
        ...common,
        to: common.to as bigint,
        chainId,
        ...fees,
        accessList,
        authorizationList: t.authorizations.map((a): SignedAuthorization => {
          const signed = signAuthorization(
            { chainId: big(a.chainId), address: big(a.address), nonce: big(a.nonce) },
            AUTHORITY_KEYS[a.key % AUTHORITY_KEYS.length]!,
          )
          return a.badSignature ? { ...signed, s: SECP256K1_N - signed.s } : signed
        }),
      }
  }
}
