import {
  bigIntToBytes,
  decodeRlp,
  describeType,
  encodeRlp,
  encodeRlpList,
  RlpError,
  type RlpItem,
  rlpBigInt,
  rlpFixedBytes,
  rlpList,
} from '@crucible/primitives'
import { isTypedTransactionType } from '@crucible/tx'
import { BlockError } from '../errors.js'
import { type BlockHeader, encodeHeader, headerFromRlp, headerToRlp } from '../header/header.js'

/** An EIP-4895 withdrawal: `amount` is in gwei. */
export interface Withdrawal {
  index: bigint
  validatorIndex: bigint
  address: Uint8Array
  amount: bigint
}

/**
 * A block as it travels: the header, the transactions in their canonical encodings (a legacy
 * transaction's RLP list, or `type ‖ payload` for a typed one, exactly the bytes the
 * transactions trie stores), the uncle headers and, from Shanghai, the withdrawals.
 */
export interface Block {
  header: BlockHeader
  transactions: Uint8Array[]
  uncles: BlockHeader[]
  withdrawals?: Withdrawal[]
}

export function withdrawalFromRlp(item: RlpItem): Withdrawal {
  const f = rlpList(item, 'withdrawal', 4)
  return {
    index: rlpBigInt(f[0], 'withdrawal index', 8),
    validatorIndex: rlpBigInt(f[1], 'validator index', 8),
    address: rlpFixedBytes(f[2], 'withdrawal address', 20),
    amount: rlpBigInt(f[3], 'withdrawal amount', 8),
  }
}

export function withdrawalToRlp(w: Withdrawal): Uint8Array[] {
  return [bigIntToBytes(w.index), bigIntToBytes(w.validatorIndex), w.address, bigIntToBytes(w.amount)]
}

/**
 * How deeply a block's lists nest: the block, its body lists, and a legacy transaction, an
 * uncle header or a withdrawal inside them. The RLP decoder refuses anything deeper.
 */
const BLOCK_MAX_DEPTH = 3

/**
 * Decodes a block's RLP. Structure errors (wrong item counts, wrong field widths, nesting,
 * trailing bytes, a body transaction that is neither a legacy list nor a typed envelope) are
 * {@link BlockError}s with reason `RLP_STRUCTURES_ENCODING`; what the fields mean is checked
 * by validation. Whatever it accepts, {@link encodeBlock} encodes back to the same bytes.
 */
export function decodeBlock(bytes: Uint8Array): Block {
  if (!(bytes instanceof Uint8Array)) {
    throw new BlockError('RLP_STRUCTURES_ENCODING', `block is not a Uint8Array (${describeType(bytes)})`)
  }
  let item: RlpItem
  try {
    item = decodeRlp(bytes, { maxDepth: BLOCK_MAX_DEPTH })
  } catch (error) {
    throw new BlockError('RLP_STRUCTURES_ENCODING', 'block is not valid RLP', {}, { cause: error })
  }
  try {
    const parts = rlpList(item, 'block')
    if (parts.length < 3 || parts.length > 4)
      throw new RlpError(`block: expected 3 or 4 items, got ${parts.length}`)
    const header = headerFromRlp(parts[0]!)
    const transactions = rlpList(parts[1], 'transactions').map(bodyTransaction)
    const uncles = rlpList(parts[2], 'uncles').map(headerFromRlp)
    const block: Block = { header, transactions, uncles }
    if (parts.length === 4) block.withdrawals = rlpList(parts[3], 'withdrawals').map(withdrawalFromRlp)
    return block
  } catch (error) {
    if (error instanceof RlpError) {
      throw new BlockError('RLP_STRUCTURES_ENCODING', error.details.reason, {}, { cause: error })
    }
    throw error
  }
}

/**
 * A body transaction's canonical encoding, as execution-specs decodes a block: a list is a
 * legacy transaction (nine byte strings, re-encoded to the same bytes since decoding is
 * canonical); a byte string must be a typed envelope, starting with a known type byte. A
 * legacy transaction's list wrapped in a byte string is not a transaction.
 */
function bodyTransaction(tx: RlpItem, index: number): Uint8Array {
  if (Array.isArray(tx)) return encodeRlp(rlpList(tx, `transaction ${index}`, 9))
  if (tx.length === 0 || !isTypedTransactionType(tx[0]!)) {
    const first = tx.length === 0 ? 'nothing' : `0x${tx[0]!.toString(16).padStart(2, '0')}`
    throw new RlpError(
      `transaction ${index}: a byte string must be a typed transaction (type 0x01–0x04), starts with ${first}`,
    )
  }
  return tx
}

/**
 * RLP-encodes a block. A transaction whose first byte is 0xc0 or above is a legacy
 * transaction's list encoding and is embedded as it is; any other is a typed envelope and
 * is embedded as a byte string.
 */
export function encodeBlock(block: Block): Uint8Array {
  const transactions = block.transactions.map((tx) => (tx[0]! >= 0xc0 ? tx : encodeRlp(tx)))
  const parts = [
    encodeHeader(block.header),
    encodeRlpList(transactions),
    encodeRlp(block.uncles.map(headerToRlp)),
  ]
  if (block.withdrawals) parts.push(encodeRlp(block.withdrawals.map(withdrawalToRlp)))
  return encodeRlpList(parts)
}
