import type { Log } from '@crucible/evm-types'
import { bytesToNumber, concatBytes } from '@crucible/primitives'
import { sha256 } from '@noble/hashes/sha2.js'
import { BlockError } from '../errors.js'

/** EIP-7685 request types. */
export const DEPOSIT_REQUEST_TYPE = 0x00
export const WITHDRAWAL_REQUEST_TYPE = 0x01
export const CONSOLIDATION_REQUEST_TYPE = 0x02

/** keccak256("DepositEvent(bytes,bytes,bytes,bytes,bytes)"), the deposit contract's event topic. */
export const DEPOSIT_EVENT_TOPIC = 0x649bbc62d0e31342afea4e5cd82d4049e7e1ee912fc0889aa790803be39038c5n

/**
 * EIP-6110: the fixed ABI layout of a DepositEvent's data — five dynamic `bytes` fields
 * (pubkey 48, withdrawal credentials 32, amount 8, signature 96, index 8) behind their
 * offsets. Any other layout makes the block invalid.
 */
const LAYOUT: readonly [offset: number, size: number][] = [
  [160, 48],
  [256, 32],
  [320, 8],
  [384, 96],
  [512, 8],
]
const DEPOSIT_EVENT_LENGTH = 576

function word(data: Uint8Array, at: number): number {
  const w = data.subarray(at, at + 32)
  // Offsets and sizes are small; anything with high bytes set is simply wrong.
  if (w.subarray(0, 26).some((b) => b !== 0)) return -1
  return bytesToNumber(w.subarray(26))
}

/** The deposit request bytes carried by one DepositEvent's data (EIP-6110 `extract_deposit_data`). */
export function depositRequestData(data: Uint8Array): Uint8Array {
  const bad = (why: string) => new BlockError('INVALID_DEPOSIT_EVENT_LAYOUT', `deposit event: ${why}`)
  if (data.length !== DEPOSIT_EVENT_LENGTH)
    throw bad(`data is ${data.length} bytes, not ${DEPOSIT_EVENT_LENGTH}`)
  const parts: Uint8Array[] = []
  LAYOUT.forEach(([offset, size], i) => {
    if (word(data, i * 32) !== offset) throw bad(`field ${i} offset is not ${offset}`)
    if (word(data, offset) !== size) throw bad(`field ${i} size is not ${size}`)
    parts.push(data.subarray(offset + 32, offset + 32 + size))
  })
  return concatBytes(...parts)
}

/** The concatenated deposit requests of a block's logs from the deposit contract. */
export function depositRequests(logs: Iterable<Log>, depositContract: bigint): Uint8Array {
  const parts: Uint8Array[] = []
  for (const log of logs) {
    if (log.address === depositContract && log.topics[0] === DEPOSIT_EVENT_TOPIC) {
      parts.push(depositRequestData(log.data))
    }
  }
  return concatBytes(...parts)
}

/**
 * EIP-7685 `requests_hash`: sha256 over the sha256 of each request list `type ‖ data`; the
 * caller leaves out types with no data.
 */
export function requestsHash(requests: readonly Uint8Array[]): Uint8Array {
  return sha256(concatBytes(...requests.map((r) => sha256(r))))
}

/** sha256 of nothing: the requests hash of a block without requests. */
export const EMPTY_REQUESTS_HASH: Uint8Array = /* @__PURE__ */ requestsHash([])
