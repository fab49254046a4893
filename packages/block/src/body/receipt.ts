import type { Log } from '@crucible/evm-types'
import { bigIntToBytes, concatBytes, encodeRlp } from '@crucible/primitives'

/**
 * A transaction receipt. Before Byzantium it carries the intermediate state root; from
 * Byzantium (EIP-658) a status of 1 (success) or 0.
 */
export interface Receipt {
  /** Transaction type (0 legacy): typed receipts are `type ‖ rlp(...)` (EIP-2718). */
  type: number
  /** Post-transaction state root (before Byzantium). */
  postState?: Uint8Array
  /** 1 success, 0 failure (from Byzantium). */
  status?: 0 | 1
  cumulativeGasUsed: bigint
  logsBloom: Uint8Array
  logs: Log[]
}

export function logToRlp(log: Log): Uint8Array[] | (Uint8Array | Uint8Array[])[] {
  return [bigIntToBytes(log.address, 20), log.topics.map((t) => bigIntToBytes(t, 32)), log.data]
}

/** The receipt's canonical encoding, as the receipts trie stores it. */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  const first = receipt.postState ?? (receipt.status === 1 ? Uint8Array.of(1) : new Uint8Array(0))
  const body = encodeRlp([
    first,
    bigIntToBytes(receipt.cumulativeGasUsed),
    receipt.logsBloom,
    receipt.logs.map(logToRlp),
  ])
  return receipt.type === 0 ? body : concatBytes(Uint8Array.of(receipt.type), body)
}
