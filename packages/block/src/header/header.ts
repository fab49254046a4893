import {
  bigIntToBytes,
  decodeRlp,
  describeType,
  encodeRlp,
  keccak256,
  RlpError,
  type RlpItem,
  rlpBigInt,
  rlpBytes,
  rlpFixedBytes,
  rlpList,
} from '@crucible/primitives'
import { BlockError } from '../errors.js'

/**
 * A block header of any fork. Fields added by later forks are undefined on older headers; which
 * of them a fork requires is checked by validation, not by decoding (the RLP list length alone
 * says which fields are present).
 */
export interface BlockHeader {
  parentHash: Uint8Array
  ommersHash: Uint8Array
  coinbase: Uint8Array
  stateRoot: Uint8Array
  transactionsRoot: Uint8Array
  receiptsRoot: Uint8Array
  logsBloom: Uint8Array
  difficulty: bigint
  number: bigint
  gasLimit: bigint
  gasUsed: bigint
  timestamp: bigint
  extraData: Uint8Array
  /** PoW mix hash; PREVRANDAO after the merge. */
  mixHash: Uint8Array
  /** 8-byte PoW nonce. */
  nonce: Uint8Array
  /** EIP-1559 (London). */
  baseFeePerGas?: bigint
  /** EIP-4895 (Shanghai). */
  withdrawalsRoot?: Uint8Array
  /** EIP-4844 (Cancun). */
  blobGasUsed?: bigint
  excessBlobGas?: bigint
  /** EIP-4788 (Cancun). */
  parentBeaconBlockRoot?: Uint8Array
  /** EIP-7685 (Prague). */
  requestsHash?: Uint8Array
}

/** The optional fields in the order forks appended them to the RLP list. */
const OPTIONAL = [
  'baseFeePerGas',
  'withdrawalsRoot',
  'blobGasUsed',
  'excessBlobGas',
  'parentBeaconBlockRoot',
  'requestsHash',
] as const

const BASE_FIELDS = 15

function u64(item: RlpItem | undefined, what: string): bigint {
  // Block numbers, gas and timestamps are uint64 in every client; longer is malformed.
  return rlpBigInt(item, what, 8)
}

/** Builds a header from its decoded RLP list (as found inside a block). */
export function headerFromRlp(item: RlpItem): BlockHeader {
  try {
    const f = rlpList(item, 'header')
    if (f.length < BASE_FIELDS || f.length > BASE_FIELDS + OPTIONAL.length) {
      throw new RlpError(`header: expected 15 to 21 fields, got ${f.length}`)
    }
    const header: BlockHeader = {
      parentHash: rlpFixedBytes(f[0], 'parentHash', 32),
      ommersHash: rlpFixedBytes(f[1], 'ommersHash', 32),
      coinbase: rlpFixedBytes(f[2], 'coinbase', 20),
      stateRoot: rlpFixedBytes(f[3], 'stateRoot', 32),
      transactionsRoot: rlpFixedBytes(f[4], 'transactionsRoot', 32),
      receiptsRoot: rlpFixedBytes(f[5], 'receiptsRoot', 32),
      logsBloom: rlpFixedBytes(f[6], 'logsBloom', 256),
      difficulty: rlpBigInt(f[7], 'difficulty'),
      number: u64(f[8], 'number'),
      gasLimit: u64(f[9], 'gasLimit'),
      gasUsed: u64(f[10], 'gasUsed'),
      timestamp: u64(f[11], 'timestamp'),
      extraData: rlpBytes(f[12], 'extraData'),
      mixHash: rlpFixedBytes(f[13], 'mixHash', 32),
      nonce: rlpFixedBytes(f[14], 'nonce', 8),
    }
    const n = f.length
    if (n > 15) header.baseFeePerGas = rlpBigInt(f[15], 'baseFeePerGas')
    if (n > 16) header.withdrawalsRoot = rlpFixedBytes(f[16], 'withdrawalsRoot', 32)
    if (n > 17) header.blobGasUsed = u64(f[17], 'blobGasUsed')
    if (n > 18) header.excessBlobGas = u64(f[18], 'excessBlobGas')
    if (n > 19) header.parentBeaconBlockRoot = rlpFixedBytes(f[19], 'parentBeaconBlockRoot', 32)
    if (n > 20) header.requestsHash = rlpFixedBytes(f[20], 'requestsHash', 32)
    return header
  } catch (error) {
    if (error instanceof RlpError) {
      throw new BlockError('RLP_STRUCTURES_ENCODING', error.details.reason, {}, { cause: error })
    }
    throw error
  }
}

/** Decodes an RLP-encoded header. */
export function decodeHeader(bytes: Uint8Array): BlockHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw new BlockError('RLP_STRUCTURES_ENCODING', `header is not a Uint8Array (${describeType(bytes)})`)
  }
  let item: RlpItem
  try {
    // A header is one list of byte strings.
    item = decodeRlp(bytes, { maxDepth: 1 })
  } catch (error) {
    throw new BlockError('RLP_STRUCTURES_ENCODING', 'header is not valid RLP', {}, { cause: error })
  }
  return headerFromRlp(item)
}

function int(value: bigint): Uint8Array {
  return bigIntToBytes(value)
}

/** The header as an RLP list of byte strings (what {@link encodeHeader} encodes). */
export function headerToRlp(header: BlockHeader): Uint8Array[] {
  const fields: Uint8Array[] = [
    header.parentHash,
    header.ommersHash,
    header.coinbase,
    header.stateRoot,
    header.transactionsRoot,
    header.receiptsRoot,
    header.logsBloom,
    int(header.difficulty),
    int(header.number),
    int(header.gasLimit),
    int(header.gasUsed),
    int(header.timestamp),
    header.extraData,
    header.mixHash,
    header.nonce,
  ]
  // Optional fields are positional: a later one cannot be present without the earlier ones.
  let last = -1
  OPTIONAL.forEach((name, i) => {
    if (header[name] !== undefined) last = i
  })
  for (let i = 0; i <= last; i++) {
    const value = header[OPTIONAL[i]!]
    if (value === undefined) {
      throw new BlockError('INVALID_HEADER_FIELDS', `${OPTIONAL[i]} missing before a later field`)
    }
    fields.push(typeof value === 'bigint' ? int(value) : value)
  }
  return fields
}

/** RLP-encodes a header. */
export function encodeHeader(header: BlockHeader): Uint8Array {
  return encodeRlp(headerToRlp(header))
}

/** The block hash: keccak256 of the RLP-encoded header. */
export function headerHash(header: BlockHeader): Uint8Array {
  return keccak256(encodeHeader(header))
}
