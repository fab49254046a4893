import { CrucibleError, decodeRlp, describeType, type RlpItem } from '@crucible/primitives'
import { TxDecodeError } from './errors.js'
import {
  readAccessList,
  readAuthorizationList,
  readBytes,
  readHashList,
  readList,
  readTo,
  readUint,
} from './fields.js'
import {
  type AccessListTransaction,
  type BlobSidecar,
  type BlobTransaction,
  type FeeMarketTransaction,
  type LegacyTransaction,
  type SetCodeTransaction,
  type Transaction,
  TxType,
} from './types.js'

/** Sizes of the EIP-4844 sidecar elements. */
export const BLOB_SIZE = 131072
export const KZG_COMMITMENT_SIZE = 48
export const KZG_PROOF_SIZE = 48
/** EIP-7594: cell proofs per blob in a version-1 wrapper. */
export const CELLS_PER_EXT_BLOB = 128

// Field widths. Integers are U256 in the specification except where a smaller type is
// consensus: the nonce and gas limit are 64-bit (clients and the fixtures reject more).
const U256 = 32
const U64 = 8

// How deeply a transaction's lists nest (the RLP decoder refuses anything deeper before it
// builds it): a legacy transaction is one list of byte strings; a typed one's fields hold
// the access list, its entries and their storage keys (4); the network form of a blob
// transaction wraps that in one more list (5).
const LEGACY_MAX_DEPTH = 1
const TYPED_MAX_DEPTH = 4
const NETWORK_MAX_DEPTH = 5

/**
 * True for the first byte of a typed transaction envelope (EIP-2718) this library decodes:
 * 0x01 (EIP-2930) to 0x04 (EIP-7702). Which of them a fork allows is validation's business.
 */
export function isTypedTransactionType(type: number): boolean {
  return Number.isInteger(type) && type >= TxType.AccessList && type <= TxType.SetCode
}

export interface DecodeOptions {
  /**
   * Accept the network form of a blob transaction (with its sidecar). Off by default: blocks
   * and hashes use the canonical form, where a sidecar is an error.
   */
  network?: boolean
}

/**
 * Decodes a transaction from its canonical encoding: an RLP list for legacy transactions,
 * `type || rlp(fields)` for typed ones. Every malformed input is a {@link TxDecodeError}
 * naming what was wrong; signatures are not checked here (see `recoverSender`).
 */
export function decodeTransaction(bytes: Uint8Array, options?: DecodeOptions): Transaction {
  if (!(bytes instanceof Uint8Array))
    throw new TxDecodeError('RLP_INVALID', `input is not a Uint8Array (${describeType(bytes)})`)
  if (bytes.length === 0) throw new TxDecodeError('RLP_INVALID', 'empty input')
  const first = bytes[0]!
  if (first >= 0xc0)
    return legacyFromFields(readList(rlp(bytes, 'transaction', LEGACY_MAX_DEPTH), 'legacy transaction', 9))
  if (first >= 0x80) {
    throw new TxDecodeError(
      'RLP_EXPECTED_LIST',
      'a legacy transaction must be an RLP list, and a typed one must start with its type byte',
    )
  }
  if (!isTypedTransactionType(first)) throw unknownType(first)
  const network = options?.network === true
  const body = rlp(
    bytes.subarray(1),
    `type-${first} transaction`,
    network ? NETWORK_MAX_DEPTH : TYPED_MAX_DEPTH,
  )
  return typedFromItem(first, body, network)
}

/** Decodes the network form: the canonical form, or a blob transaction with its sidecar. */
export function decodeNetworkTransaction(bytes: Uint8Array): Transaction {
  return decodeTransaction(bytes, { network: true })
}

/**
 * Decodes one element of a block body's transaction list as execution-specs'
 * `decode_transaction` does: a list is a legacy transaction; a byte string must be a typed
 * envelope starting with a known type byte (0x01–0x04). Anything else, including a legacy
 * transaction's list wrapped in a byte string, is a {@link TxDecodeError}.
 */
export function decodeBlockTransaction(item: RlpItem): Transaction {
  if (Array.isArray(item)) return legacyFromFields(readList(item, 'legacy transaction', 9))
  if (!(item instanceof Uint8Array))
    throw new TxDecodeError('RLP_INVALID', `transaction is not an RLP item (${describeType(item)})`)
  if (item.length === 0) throw new TxDecodeError('RLP_INVALID', 'empty transaction in block body')
  const type = item[0]!
  if (!isTypedTransactionType(type)) {
    throw new TxDecodeError(
      'TYPE_UNKNOWN',
      `a block's transaction byte string must start with a transaction type (0x01–0x04), got 0x${type.toString(16).padStart(2, '0')}`,
      { type },
    )
  }
  return typedFromItem(type, rlp(item.subarray(1), `type-${type} transaction`, TYPED_MAX_DEPTH), false)
}

function unknownType(type: number): TxDecodeError {
  return new TxDecodeError(
    'TYPE_UNKNOWN',
    `unknown transaction type 0x${type.toString(16).padStart(2, '0')}`,
    {
      type,
    },
  )
}

function rlp(bytes: Uint8Array, what: string, maxDepth: number): RlpItem {
  try {
    return decodeRlp(bytes, { maxDepth })
  } catch (error) {
    const reason = error instanceof CrucibleError ? error.shortMessage : String(error)
    throw new TxDecodeError('RLP_INVALID', `${what}: ${reason}`, { cause: error })
  }
}

function typedFromItem(type: number, body: RlpItem, network: boolean): Transaction {
  switch (type) {
    case 1:
      return accessListFromFields(readList(body, 'type-1 transaction', 11))
    case 2:
      return feeMarketFromFields(readList(body, 'type-2 transaction', 12))
    case 3: {
      const outer = readList(body, 'type-3 transaction')
      if (network && Array.isArray(outer[0])) return blobWithSidecar(outer)
      return blobFromFields(readList(outer, 'type-3 transaction', 14))
    }
    case 4:
      return setCodeFromFields(readList(body, 'type-4 transaction', 13))
    default:
      throw unknownType(type)
  }
}

function legacyFromFields(f: RlpItem[]): LegacyTransaction {
  const v = readUint(f[6], 'v', U256)
  return {
    type: 0,
    nonce: readUint(f[0], 'nonce', U64),
    gasPrice: readUint(f[1], 'gasPrice', U256),
    gasLimit: readUint(f[2], 'gasLimit', U64),
    to: readTo(f[3], 'to'),
    value: readUint(f[4], 'value', U256),
    data: readBytes(f[5], 'data'),
    v,
    r: readUint(f[7], 'r', U256),
    s: readUint(f[8], 's', U256),
    chainId: v >= 35n ? (v - 35n) >> 1n : undefined,
  }
}

function accessListFromFields(f: RlpItem[]): AccessListTransaction {
  return {
    type: 1,
    chainId: readUint(f[0], 'chainId', U256),
    nonce: readUint(f[1], 'nonce', U64),
    gasPrice: readUint(f[2], 'gasPrice', U256),
    gasLimit: readUint(f[3], 'gasLimit', U64),
    to: readTo(f[4], 'to'),
    value: readUint(f[5], 'value', U256),
    data: readBytes(f[6], 'data'),
    accessList: readAccessList(f[7]),
    yParity: readUint(f[8], 'yParity', U256),
    r: readUint(f[9], 'r', U256),
    s: readUint(f[10], 's', U256),
  }
}

function feeMarketFromFields(f: RlpItem[]): FeeMarketTransaction {
  return {
    type: 2,
    chainId: readUint(f[0], 'chainId', U256),
    nonce: readUint(f[1], 'nonce', U64),
    maxPriorityFeePerGas: readUint(f[2], 'maxPriorityFeePerGas', U256),
    maxFeePerGas: readUint(f[3], 'maxFeePerGas', U256),
    gasLimit: readUint(f[4], 'gasLimit', U64),
    to: readTo(f[5], 'to'),
    value: readUint(f[6], 'value', U256),
    data: readBytes(f[7], 'data'),
    accessList: readAccessList(f[8]),
    yParity: readUint(f[9], 'yParity', U256),
    r: readUint(f[10], 'r', U256),
    s: readUint(f[11], 's', U256),
  }
}

function requiredTo(item: RlpItem | undefined, type: 3 | 4): bigint {
  const to = readTo(item, 'to')
  if (to === undefined) {
    throw new TxDecodeError(
      'RLP_FIELD_WRONG_SIZE',
      `a type-${type} transaction must have a 20-byte recipient`,
      {
        field: 'to',
      },
    )
  }
  return to
}

function blobFromFields(f: RlpItem[]): BlobTransaction {
  return {
    type: 3,
    chainId: readUint(f[0], 'chainId', U256),
    nonce: readUint(f[1], 'nonce', U64),
    maxPriorityFeePerGas: readUint(f[2], 'maxPriorityFeePerGas', U256),
    maxFeePerGas: readUint(f[3], 'maxFeePerGas', U256),
    gasLimit: readUint(f[4], 'gasLimit', U64),
    to: requiredTo(f[5], 3),
    value: readUint(f[6], 'value', U256),
    data: readBytes(f[7], 'data'),
    accessList: readAccessList(f[8]),
    maxFeePerBlobGas: readUint(f[9], 'maxFeePerBlobGas', U256),
    blobVersionedHashes: readHashList(f[10], 'blobVersionedHashes', 32),
    yParity: readUint(f[11], 'yParity', U256),
    r: readUint(f[12], 'r', U256),
    s: readUint(f[13], 's', U256),
  }
}

/**
 * `[body, blobs, commitments, proofs]` (version 0) or `[body, 1, blobs, commitments,
 * cell_proofs]` (version 1). Counts are checked by validation, sizes here.
 */
function blobWithSidecar(outer: RlpItem[]): BlobTransaction {
  let wrapperVersion: 0 | 1
  let rest: RlpItem[]
  if (outer.length === 4) {
    wrapperVersion = 0
    rest = outer.slice(1)
  } else if (outer.length === 5) {
    const version = readUint(outer[1], 'wrapperVersion', 1)
    if (version !== 1n) {
      throw new TxDecodeError('INVALID_BLOB_WRAPPER', `unknown blob wrapper version ${version}`, {
        field: 'wrapperVersion',
      })
    }
    wrapperVersion = 1
    rest = outer.slice(2)
  } else {
    throw new TxDecodeError(
      'INVALID_BLOB_WRAPPER',
      `a blob transaction with sidecar has 4 or 5 items, got ${outer.length}`,
    )
  }
  const tx = blobFromFields(readList(outer[0], 'type-3 transaction', 14))
  const sidecar: BlobSidecar = {
    wrapperVersion,
    blobs: readHashList(rest[0], 'blobs', BLOB_SIZE),
    commitments: readHashList(rest[1], 'commitments', KZG_COMMITMENT_SIZE),
    proofs: readHashList(rest[2], 'proofs', KZG_PROOF_SIZE),
  }
  tx.sidecar = sidecar
  return tx
}

function setCodeFromFields(f: RlpItem[]): SetCodeTransaction {
  return {
    type: 4,
    chainId: readUint(f[0], 'chainId', U256),
    nonce: readUint(f[1], 'nonce', U64),
    maxPriorityFeePerGas: readUint(f[2], 'maxPriorityFeePerGas', U256),
    maxFeePerGas: readUint(f[3], 'maxFeePerGas', U256),
    gasLimit: readUint(f[4], 'gasLimit', U64),
    to: requiredTo(f[5], 4),
    value: readUint(f[6], 'value', U256),
    data: readBytes(f[7], 'data'),
    accessList: readAccessList(f[8]),
    authorizationList: readAuthorizationList(f[9]),
    yParity: readUint(f[10], 'yParity', U256),
    r: readUint(f[11], 'r', U256),
    s: readUint(f[12], 's', U256),
  }
}
