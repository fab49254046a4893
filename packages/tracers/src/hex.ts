import { bytesToHex } from '@crucible/primitives'

/** A quantity as geth's hexutil writes it: `0x` and minimal hex digits (`0x0` for zero). */
export function quantity(value: bigint | number): string {
  return `0x${value.toString(16)}`
}

/** A 20-byte address, lower-case. */
export function address(value: bigint): string {
  return `0x${value.toString(16).padStart(40, '0')}`
}

/** A 32-byte word (storage keys and values, topics). */
export function word(value: bigint): string {
  return `0x${value.toString(16).padStart(64, '0')}`
}

/** Bytes, `0x` for none. */
export function bytes(value: Uint8Array): string {
  return bytesToHex(value)
}
