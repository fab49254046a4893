import type { ForkRules } from '@crucible/forks'
import { bytesToHex, equalBytes } from '@crucible/primitives'
import { BlockError } from '../errors.js'
import { type Block, encodeBlock } from './block.js'
import { ommersHash, transactionsRoot, withdrawalsRoot } from './roots.js'

/**
 * Checks what a block body commits to without executing it: the uncles hash, the
 * transactions root, the withdrawals (present from Shanghai only) and their root, and from
 * Osaka the EIP-7934 limit on the block's RLP size (`size`, the encoded length, measured here
 * when not given).
 */
export function validateBody(block: Block, rules: ForkRules, size?: number): void {
  const header = block.header
  const limit = rules.params.maxRlpBlockSize
  // Without the wire bytes (a block built from an engine API payload), measure the encoding.
  if (size === undefined && Number.isFinite(limit)) size = encodeBlock(block).length
  if (size !== undefined && size > limit) {
    throw new BlockError('RLP_BLOCK_LIMIT_EXCEEDED', 'block RLP larger than the EIP-7934 limit', {
      size,
      limit: rules.params.maxRlpBlockSize,
    })
  }
  if (!equalBytes(ommersHash(block.uncles), header.ommersHash)) {
    throw new BlockError('INVALID_UNCLES_HASH', 'uncles do not match the header', {
      ommersHash: bytesToHex(header.ommersHash),
    })
  }
  if (!equalBytes(transactionsRoot(block.transactions), header.transactionsRoot)) {
    throw new BlockError('INVALID_TRANSACTIONS_ROOT', 'transactions do not match the header')
  }
  const shanghai = rules.isActive(4895)
  if ((block.withdrawals !== undefined) !== shanghai) {
    throw new BlockError(
      'RLP_STRUCTURES_ENCODING',
      shanghai ? 'block lacks its withdrawals' : 'withdrawals before Shanghai',
    )
  }
  if (
    block.withdrawals &&
    !equalBytes(withdrawalsRoot(block.withdrawals), header.withdrawalsRoot ?? new Uint8Array(0))
  ) {
    throw new BlockError('INVALID_WITHDRAWALS_ROOT', 'withdrawals do not match the header')
  }
}
