import { decode, encode, type Input, type NestedUint8Array } from '@ethereumjs/rlp'
import { bytesToBigInt, bytesToNumber } from './bytes.js'
import { RlpError } from './errors.js'

/** A decoded RLP item: a byte string or a list of items. */
export type RlpItem = Uint8Array | RlpItem[]
/** What {@link encodeRlp} accepts. */
export type RlpInput = Input

/** RLP-encodes bytes, integers (minimal big-endian) and nested lists. */
export function encodeRlp(input: RlpInput): Uint8Array {
  return encode(input)
}

/**
 * Decodes exactly one RLP item that fills `bytes`. Non-canonical forms (a single byte below
 * 0x80 wrapped in a prefix, long forms for short payloads, leading zeros in lengths), lengths
 * that run past the input, and trailing bytes are all {@link RlpError}s.
 */
export function decodeRlp(bytes: Uint8Array): RlpItem {
  if (!(bytes instanceof Uint8Array)) throw new RlpError('input is not a Uint8Array')
  if (bytes.length === 0) throw new RlpError('empty input', bytes)
  try {
    return decode(bytes) as RlpItem
  } catch (error) {
    throw new RlpError(rlpReason(error), bytes, { cause: error })
  }
}

/** Decodes the first RLP item of `bytes` and returns it with the bytes that follow it. */
export function decodeRlpPrefix(bytes: Uint8Array): { item: RlpItem; rest: Uint8Array } {
  if (bytes.length === 0) throw new RlpError('empty input', bytes)
  try {
    const { data, remainder } = decode(bytes, true)
    return { item: data as RlpItem, rest: remainder }
  } catch (error) {
    throw new RlpError(rlpReason(error), bytes, { cause: error })
  }
}

function rlpReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^invalid RLP( encoding)?:?\s*/i, '') || message
}

/** The item as a byte string, or {@link RlpError} naming `what` if it is a list. */
export function rlpBytes(item: RlpItem | undefined, what: string): Uint8Array {
  if (item instanceof Uint8Array) return item
  throw new RlpError(`${what}: expected a byte string, got ${item === undefined ? 'nothing' : 'a list'}`)
}

/** The item as a list, or {@link RlpError} naming `what`; with `length`, exactly that many items. */
export function rlpList(item: RlpItem | undefined, what: string, length?: number): RlpItem[] {
  if (!Array.isArray(item))
    throw new RlpError(`${what}: expected a list, got ${item === undefined ? 'nothing' : 'a byte string'}`)
  if (length !== undefined && item.length !== length) {
    throw new RlpError(`${what}: expected ${length} items, got ${item.length}`)
  }
  return item
}

/**
 * The item as a canonical unsigned integer: a byte string with no leading zero byte, at most
 * `maxBytes` long (32 by default).
 */
export function rlpBigInt(item: RlpItem | undefined, what: string, maxBytes = 32): bigint {
  const bytes = rlpBytes(item, what)
  if (bytes.length > 0 && bytes[0] === 0) throw new RlpError(`${what}: integer has leading zero bytes`)
  if (bytes.length > maxBytes) throw new RlpError(`${what}: integer longer than ${maxBytes} bytes`)
  return bytesToBigInt(bytes)
}

/** Like {@link rlpBigInt} for values that fit a safe integer (at most 6 bytes by default). */
export function rlpNumber(item: RlpItem | undefined, what: string, maxBytes = 6): number {
  const bytes = rlpBytes(item, what)
  if (bytes.length > 0 && bytes[0] === 0) throw new RlpError(`${what}: integer has leading zero bytes`)
  if (bytes.length > maxBytes) throw new RlpError(`${what}: integer longer than ${maxBytes} bytes`)
  return bytesToNumber(bytes)
}

/** The item as a byte string of exactly `length` bytes. */
export function rlpFixedBytes(item: RlpItem | undefined, what: string, length: number): Uint8Array {
  const bytes = rlpBytes(item, what)
  if (bytes.length !== length) throw new RlpError(`${what}: expected ${length} bytes, got ${bytes.length}`)
  return bytes
}

export type { NestedUint8Array }
