import { bigIntToBytes, keccak256 } from '@crucible/primitives'

/** The 2048-bit logs bloom size in bytes. */
export const BLOOM_BYTES = 256

/** Sets the three bloom bits of `value`: the low 11 bits of the first three byte pairs of its keccak. */
export function bloomAdd(bloom: Uint8Array, value: Uint8Array): void {
  const hash = keccak256(value)
  for (let i = 0; i < 6; i += 2) {
    const bit = ((hash[i]! << 8) | hash[i + 1]!) & 2047
    bloom[BLOOM_BYTES - 1 - (bit >> 3)]! |= 1 << (bit & 7)
  }
}

/** A log as the bloom reads it (the EVM's log shape). */
export interface BloomLog {
  address: bigint
  topics: bigint[]
}

/** The bloom of a list of logs: each log's address and every topic. */
export function logsBloom(logs: Iterable<BloomLog>): Uint8Array {
  const bloom = new Uint8Array(BLOOM_BYTES)
  for (const log of logs) {
    bloomAdd(bloom, bigIntToBytes(log.address, 20))
    for (const topic of log.topics) bloomAdd(bloom, bigIntToBytes(topic, 32))
  }
  return bloom
}

/** ORs `source` into `target`. */
export function bloomMerge(target: Uint8Array, source: Uint8Array): void {
  for (let i = 0; i < BLOOM_BYTES; i++) target[i]! |= source[i]!
}
