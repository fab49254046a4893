import { bigIntToBytes, concatBytes } from './bytes.js'
import { AddressError, assertBytes, ValueRangeError } from './errors.js'
import { bytesToHex, bytesToUnprefixedHex, type Hex, hexToBytes } from './hex.js'
import { keccak256 } from './keccak.js'
import { encodeRlp } from './rlp.js'
import { bytesToWord, wordToAddress } from './word.js'

/** A 20-byte account address. */
export type Address = Uint8Array

const HEX_40 = /^[0-9a-fA-F]{40}$/

/** True for 20 bytes. */
export function isAddressBytes(value: unknown): value is Address {
  return value instanceof Uint8Array && value.length === 20
}

/**
 * Parses an address from hex. All-lowercase and all-uppercase forms are accepted as they are;
 * a mixed-case form must carry a valid EIP-55 checksum, else {@link AddressError}.
 */
export function parseAddress(text: string): Address {
  if (typeof text !== 'string') throw new AddressError('not a string', String(text))
  const body = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text
  if (body.length !== 40) throw new AddressError(`expected 40 hex digits, got ${body.length}`, text)
  // Every one of the 40 must be a digit: a second `0x` is not (hexToBytes would skip it).
  if (!HEX_40.test(body)) throw new AddressError('not hexadecimal', text)
  const bytes = hexToBytes(body)
  const lower = body.toLowerCase()
  const upper = body.toUpperCase()
  if (body !== lower && body !== upper && checksumBody(lower) !== body) {
    throw new AddressError('bad EIP-55 checksum', text)
  }
  return bytes
}

/** True when `text` parses as an address (see {@link parseAddress}). */
export function isAddress(text: string): boolean {
  try {
    parseAddress(text)
    return true
  } catch {
    return false
  }
}

function checksumBody(lowerHex: string): string {
  const hash = keccak256(new TextEncoder().encode(lowerHex))
  let out = ''
  for (let i = 0; i < 40; i++) {
    const c = lowerHex[i]!
    const nib = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf
    out += nib >= 8 ? c.toUpperCase() : c
  }
  return out
}

/** The EIP-55 mixed-case checksummed form of an address. */
export function toChecksumAddress(address: Address | string): Hex {
  const bytes = typeof address === 'string' ? parseAddress(address) : address
  assertBytes(bytes, 'toChecksumAddress address')
  if (bytes.length !== 20) throw new AddressError(`expected 20 bytes, got ${bytes.length}`, bytesToHex(bytes))
  return `0x${checksumBody(bytesToUnprefixedHex(bytes))}` as Hex
}

/** Lowercase hex of an address. */
export function addressToHex(address: Address): Hex {
  assertBytes(address, 'addressToHex address')
  return bytesToHex(address)
}

/**
 * An address as the `bigint` the EVM, state and transaction layers hold it as (its 20 bytes
 * read big-endian). With {@link bigIntToAddress}, the one named conversion between the forms:
 * `addressToBigInt(parseAddress('0x…'))` for hex in, `toChecksumAddress(bigIntToAddress(a))` out.
 */
export function addressToBigInt(address: Address): bigint {
  assertBytes(address, 'addressToBigInt address')
  if (address.length !== 20)
    throw new AddressError(`expected 20 bytes, got ${address.length}`, bytesToHex(address))
  return bytesToWord(address)
}

/** The 20-byte form of an address held as a `bigint`; {@link ValueRangeError} unless 0 ≤ value < 2^160. */
export function bigIntToAddress(value: bigint): Address {
  if (typeof value !== 'bigint' || value < 0n || value >> 160n !== 0n)
    throw new ValueRangeError('an address is a bigint in [0, 2^160)', value)
  return wordToAddress(value)
}

/** The address of a contract made by CREATE: keccak256(rlp([sender, nonce]))[12:]. */
export function createAddress(sender: Address, nonce: bigint): Address {
  assertBytes(sender, 'createAddress sender')
  return keccak256(encodeRlp([sender, bigIntToBytes(nonce)])).subarray(12)
}

/** The address of a contract made by CREATE2 (EIP-1014). */
export function create2Address(sender: Address, salt: Uint8Array, initCodeHash: Uint8Array): Address {
  return keccak256(concatBytes(Uint8Array.of(0xff), sender, salt, initCodeHash)).subarray(12)
}

/** The address of an uncompressed secp256k1 public key (64 bytes, or 65 with the 0x04 prefix). */
export function publicKeyToAddress(publicKey: Uint8Array): Address {
  assertBytes(publicKey, 'publicKeyToAddress publicKey')
  const key = publicKey.length === 65 ? publicKey.subarray(1) : publicKey
  if (key.length !== 64)
    throw new AddressError(`public key must be 64 bytes, got ${key.length}`, bytesToHex(publicKey))
  return keccak256(key).subarray(12)
}
