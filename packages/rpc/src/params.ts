import { bytesToBigInt, type Hex } from '@crucible/primitives'
import { invalidParams, type RpcError } from './errors.js'

/**
 * Decoders of JSON-RPC parameters. Each throws an -32602 {@link RpcError} naming the
 * argument ("invalid argument 0: …", as geth words it) instead of letting a bad value through.
 */

const HEX_DIGITS = /^[0-9a-fA-F]*$/

export function argError(index: number, reason: string): RpcError {
  return invalidParams(`invalid argument ${index}: ${reason}`)
}

/** A hex quantity (`0x` then at most `maxBits` bits, no leading zeros required or refused). */
export function quantity(value: unknown, index: number, maxBits = 256): bigint {
  if (typeof value !== 'string') throw argError(index, 'quantity must be a hex string')
  if (!value.startsWith('0x') && !value.startsWith('0X'))
    throw argError(index, 'hex string without 0x prefix')
  const digits = value.slice(2)
  if (digits.length === 0) throw argError(index, 'hex string "0x"')
  if (!HEX_DIGITS.test(digits)) throw argError(index, 'invalid hex string')
  if (digits.length > 1 && digits[0] === '0') throw argError(index, 'hex number with leading zero digits')
  if (digits.length * 4 > maxBits + 3 || BigInt(value) >> BigInt(maxBits) !== 0n)
    throw argError(index, `hex number > ${maxBits} bits`)
  return BigInt(value)
}

/** Hex bytes of exactly `length` bytes when given. */
export function bytes(value: unknown, index: number, length?: number): Uint8Array {
  if (typeof value !== 'string') throw argError(index, 'expected a hex string')
  if (!value.startsWith('0x') && !value.startsWith('0X'))
    throw argError(
      index,
      length === 32
        ? 'json: cannot unmarshal hex string without 0x prefix into Go value of type common.Hash'
        : 'hex string without 0x prefix',
    )
  const digits = value.slice(2)
  if (digits.length % 2 !== 0) throw argError(index, 'hex string of odd length')
  if (!HEX_DIGITS.test(digits)) throw argError(index, 'invalid hex string')
  if (length !== undefined && digits.length !== length * 2)
    throw argError(index, `hex string has length ${digits.length}, want ${length * 2}`)
  const out = new Uint8Array(digits.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16)
  return out
}

export const hash = (value: unknown, index: number): Uint8Array => bytes(value, index, 32)
export const address = (value: unknown, index: number): bigint => bytesToBigInt(bytes(value, index, 20))

/** A storage key: up to 32 bytes of hex, odd length allowed (geth's `decodeHash`). */
export function storageKey(value: unknown, index: number): bigint {
  if (typeof value !== 'string') throw argError(index, 'storage key must be a hex string')
  let digits = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value
  if (digits.length % 2 === 1) digits = `0${digits}`
  if (digits.length > 64) throw invalidParams(`storage key too long (want at most 32 bytes): "${value}"`)
  if (!HEX_DIGITS.test(digits)) throw invalidParams(`invalid hex in storage key: "${value}"`)
  return digits.length === 0 ? 0n : BigInt(`0x${digits}`)
}

export function boolean(value: unknown, index: number): boolean {
  if (typeof value !== 'boolean') throw argError(index, 'expected a boolean')
  return value
}

export function object(value: unknown, index: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw argError(index, 'expected an object')
  return value as Record<string, unknown>
}

export type BlockTag = 'latest' | 'earliest' | 'pending' | 'safe' | 'finalized'

/** A block reference: a tag, a number, or (EIP-1898) a hash. */
export type BlockRef =
  | { tag: BlockTag }
  | { number: bigint }
  | { hash: Uint8Array; requireCanonical: boolean }

const TAGS = new Set<string>(['latest', 'earliest', 'pending', 'safe', 'finalized'])

/** A block number or tag (`eth_getBlockByNumber`). */
export function blockNumberOrTag(value: unknown, index: number): BlockRef {
  if (typeof value === 'string' && TAGS.has(value)) return { tag: value as BlockTag }
  return { number: quantity(value, index, 64) }
}

/**
 * A block number, tag or hash (EIP-1898: `{blockNumber}` or `{blockHash, requireCanonical}`;
 * a bare 32-byte hash is accepted as geth does). Missing means `latest`.
 */
export function blockRef(value: unknown, index: number): BlockRef {
  if (value === undefined || value === null) return { tag: 'latest' }
  if (typeof value === 'string') {
    if (value.length === 66) return { hash: hash(value, index), requireCanonical: false }
    return blockNumberOrTag(value, index)
  }
  const o = object(value, index)
  if (o.blockHash !== undefined && o.blockNumber !== undefined)
    throw argError(index, 'cannot specify both blockHash and blockNumber')
  if (o.blockHash !== undefined)
    return { hash: hash(o.blockHash, index), requireCanonical: o.requireCanonical === true }
  if (o.blockNumber !== undefined) return blockNumberOrTag(o.blockNumber, index)
  throw argError(index, 'expected blockNumber or blockHash')
}

/** Parameters past the declared ones are refused, as geth does ("too many arguments"). */
export function atMost(params: unknown[], count: number): void {
  if (params.length > count) throw invalidParams(`too many arguments, want at most ${count}`)
}

/** A required parameter. */
export function required(params: unknown[], index: number): unknown {
  const value = params[index]
  if (value === undefined) throw invalidParams(`missing value for required argument ${index}`)
  return value
}

export const hex = (value: bigint): Hex => `0x${value.toString(16)}`
