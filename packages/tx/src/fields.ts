import type { AccessListEntry } from '@crucible/evm-types'
import { bigIntToBytes, bytesToBigInt, type RlpItem } from '@crucible/primitives'
import { TxDecodeError } from './errors.js'
import type { SignedAuthorization } from './types.js'

/*
 * Readers from decoded RLP items to typed fields, and writers back. Each reader names the
 * field it reads so a malformed transaction says exactly where it went wrong; the RLP layer
 * itself (`@crucible/primitives`) has already rejected non-canonical lengths.
 */

/** The item as a byte string. */
export function readBytes(item: RlpItem | undefined, field: string): Uint8Array {
  if (item instanceof Uint8Array) return item
  throw new TxDecodeError(
    'RLP_EXPECTED_BYTES',
    `${field} must be a byte string, got ${item === undefined ? 'nothing' : 'a list'}`,
    { field },
  )
}

/** The item as a list of exactly `length` items (any length when omitted). */
export function readList(item: RlpItem | undefined, field: string, length?: number): RlpItem[] {
  if (!Array.isArray(item)) {
    throw new TxDecodeError(
      'RLP_EXPECTED_LIST',
      `${field} must be a list, got ${item === undefined ? 'nothing' : 'a byte string'}`,
      { field },
    )
  }
  if (length !== undefined && item.length !== length) {
    throw new TxDecodeError(
      'RLP_WRONG_FIELD_COUNT',
      `${field} must have ${length} items, got ${item.length} (too ${item.length < length ? 'few' : 'many'})`,
      { field, expected: length, actual: item.length },
    )
  }
  return item
}

/** A canonical unsigned integer of at most `maxBytes` bytes (no leading zero byte). */
export function readUint(item: RlpItem | undefined, field: string, maxBytes: number): bigint {
  const bytes = readBytes(item, field)
  if (bytes.length === 0) return 0n
  if (bytes[0] === 0)
    throw new TxDecodeError('RLP_LEADING_ZEROS', `${field} has leading zero bytes`, { field, value: bytes })
  if (bytes.length > maxBytes) {
    throw new TxDecodeError('RLP_FIELD_TOO_LONG', `${field} does not fit in ${maxBytes * 8} bits`, {
      field,
      value: bytes,
    })
  }
  return bytesToBigInt(bytes)
}

/** Exactly `length` bytes. */
export function readFixed(item: RlpItem | undefined, field: string, length: number): Uint8Array {
  const bytes = readBytes(item, field)
  if (bytes.length !== length) {
    throw new TxDecodeError(
      'RLP_FIELD_WRONG_SIZE',
      `${field} must be ${length} bytes, got ${bytes.length} (too ${bytes.length < length ? 'short' : 'long'})`,
      { field, value: bytes },
    )
  }
  return bytes
}

/** A 20-byte address as a bigint. */
export function readAddress(item: RlpItem | undefined, field: string): bigint {
  return bytesToBigInt(readFixed(item, field, 20))
}

/** A recipient: empty for contract creation, else 20 bytes. */
export function readTo(item: RlpItem | undefined, field: string): bigint | undefined {
  const bytes = readBytes(item, field)
  if (bytes.length === 0) return undefined
  return bytesToBigInt(readFixed(bytes, field, 20))
}

export function readAccessList(item: RlpItem | undefined): AccessListEntry[] {
  const list = readList(item, 'accessList')
  const out: AccessListEntry[] = new Array(list.length)
  for (let i = 0; i < list.length; i++) {
    const field = `accessList[${i}]`
    const entry = readList(list[i], field, 2)
    const keys = readList(entry[1], `${field}.storageKeys`)
    const storageKeys: bigint[] = new Array(keys.length)
    for (let j = 0; j < keys.length; j++)
      storageKeys[j] = bytesToBigInt(readFixed(keys[j], `${field}.storageKeys[${j}]`, 32))
    out[i] = { address: readAddress(entry[0], `${field}.address`), storageKeys }
  }
  return out
}

/**
 * EIP-7702 authorizations. Sizes follow the execution-specs types: chain id U256, nonce U64,
 * y_parity U8, r and s U256. A value that does not fit makes the whole transaction malformed,
 * whereas a value that fits but does not verify only voids that one authorization.
 */
export function readAuthorizationList(item: RlpItem | undefined): SignedAuthorization[] {
  const list = readList(item, 'authorizationList')
  const out: SignedAuthorization[] = new Array(list.length)
  for (let i = 0; i < list.length; i++) {
    const field = `authorizationList[${i}]`
    const tuple = readList(list[i], field, 6)
    out[i] = {
      chainId: readUint(tuple[0], `${field}.chainId`, 32),
      address: readAddress(tuple[1], `${field}.address`),
      nonce: readUint(tuple[2], `${field}.nonce`, 8),
      yParity: readUint(tuple[3], `${field}.yParity`, 1),
      r: readUint(tuple[4], `${field}.r`, 32),
      s: readUint(tuple[5], `${field}.s`, 32),
    }
  }
  return out
}

export function readHashList(item: RlpItem | undefined, field: string, size: number): Uint8Array[] {
  const list = readList(item, field)
  const out: Uint8Array[] = new Array(list.length)
  for (let i = 0; i < list.length; i++) out[i] = readFixed(list[i], `${field}[${i}]`, size)
  return out
}

// ---- Writers --------------------------------------------------------------------------

const EMPTY = new Uint8Array(0)

/** Minimal big-endian bytes of an integer field. */
export function uint(value: bigint): Uint8Array {
  return value === 0n ? EMPTY : bigIntToBytes(value)
}

export function address(value: bigint): Uint8Array {
  return bigIntToBytes(value, 20)
}

export function toField(value: bigint | undefined): Uint8Array {
  return value === undefined ? EMPTY : bigIntToBytes(value, 20)
}

export function accessListField(list: readonly AccessListEntry[]): Uint8Array[][] {
  return list.map((entry) => [
    address(entry.address),
    entry.storageKeys.map((key) => bigIntToBytes(key, 32)),
  ]) as unknown as Uint8Array[][]
}

export function authorizationListField(list: readonly SignedAuthorization[]): Uint8Array[][] {
  return list.map((a) => [
    uint(a.chainId),
    address(a.address),
    uint(a.nonce),
    uint(a.yParity),
    uint(a.r),
    uint(a.s),
  ])
}
