import {
  bigIntToBytes,
  decodeRlp,
  encodeRlp,
  RlpError,
  type RlpItem,
  rlpBigInt,
  rlpFixedBytes,
  rlpList,
} from '@crucible/primitives'
import { BlockError } from '../errors.js'
import { type BlockHeader, headerFromRlp, headerToRlp } from '../header/header.js'

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
 * Decodes a block's RLP. Structure errors (wrong item counts, wrong field widths, trailing
 * bytes) are {@link BlockError}s with reason `RLP_STRUCTURES_ENCODING`; what the fields mean is
 * checked by validation.
 */
export function decodeBlock(bytes: Uint8Array): Block {
  let item: RlpItem
  try {
    item = decodeRlp(bytes)
  } catch (error) {
    throw new BlockError('RLP_STRUCTURES_ENCODING', 'block is not valid RLP', {}, { cause: error })
  }
  try {
    const parts = rlpList(item, 'block')
    if (parts.length < 3 || parts.length > 4)
      throw new RlpError(`block: expected 3 or 4 items, got ${parts.length}`)
    const header = headerFromRlp(parts[0]!)
    // A legacy transaction is an RLP list inside the block; a typed one is a byte string.
    const transactions = rlpList(parts[1], 'transactions').map((tx) =>
      Array.isArray(tx) ? encodeRlp(tx) : tx,
    )
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

/** RLP-encodes a block. */
export function encodeBlock(block: Block): Uint8Array {
  const transactions = block.transactions.map((tx) => (tx[0]! >= 0xc0 ? decodeRlp(tx) : tx))
  const parts: RlpItem[] = [headerToRlp(block.header), transactions, block.uncles.map(headerToRlp)]
  if (block.withdrawals) parts.push(block.withdrawals.map(withdrawalToRlp))
  return encodeRlp(parts)
}
