import { CONSTANTS, Fork, type ForkRules } from '@crucible/forks'
import { bytesToHex, equalBytes, KECCAK256_RLP_EMPTY_LIST, utf8ToBytes } from '@crucible/primitives'
import { BlockError } from '../errors.js'
import { calcDifficulty } from './difficulty.js'
import { calcBaseFee, calcExcessBlobGas, checkGasLimit } from './fees.js'
import { type BlockHeader, headerHash } from './header.js'

/** The fork context a header is validated in. */
export interface HeaderContext {
  /** Rules in force at the header. */
  rules: ForkRules
  /** Rules in force at the parent (to recognise fork blocks such as London's). */
  parentRules: ForkRules
  /** The chain's DAO fork block, when it has one (its extra-data rule applies for 10 blocks). */
  daoForkBlock?: bigint
}

/** Gas limits are int64 in the reference clients (geth's MaxGasLimit). */
export const MAX_GAS_LIMIT = 0x7fffffffffffffffn
const ZERO_NONCE = new Uint8Array(8)
const DAO_EXTRA_DATA = utf8ToBytes('dao-hard-fork')
const DAO_EXTRA_DATA_RANGE = 10n

function presence(header: BlockHeader, rules: ForkRules): void {
  const expect = (field: keyof BlockHeader, required: boolean) => {
    if ((header[field] !== undefined) !== required) {
      throw new BlockError(
        'INVALID_HEADER_FIELDS',
        `${field} ${required ? 'missing' : 'not allowed'} in ${rules.name}`,
      )
    }
  }
  expect('baseFeePerGas', rules.gte(Fork.London))
  expect('withdrawalsRoot', rules.gte(Fork.Shanghai))
  expect('blobGasUsed', rules.gte(Fork.Cancun))
  expect('excessBlobGas', rules.gte(Fork.Cancun))
  expect('parentBeaconBlockRoot', rules.gte(Fork.Cancun))
  expect('requestsHash', rules.gte(Fork.Prague))
}

/**
 * Checks a header against its parent under its fork's rules (execution-specs `validate_header`
 * of each fork). The PoW seal is not verified: the conformance fixtures are filled with
 * `NoProof`, and a node following a beacon chain never imports PoW blocks.
 */
export function validateHeader(header: BlockHeader, parent: BlockHeader, context: HeaderContext): void {
  const { rules, parentRules } = context
  presence(header, rules)
  if (header.number !== parent.number + 1n) {
    throw new BlockError('INVALID_BLOCK_NUMBER', 'number is not parent + 1', {
      number: header.number,
      parent: parent.number,
    })
  }
  if (!equalBytes(header.parentHash, headerHash(parent))) {
    throw new BlockError('INVALID_PARENT_HASH', 'parent hash does not match the parent', {
      parentHash: bytesToHex(header.parentHash),
    })
  }
  if (header.gasLimit > MAX_GAS_LIMIT) {
    throw new BlockError('GASLIMIT_TOO_BIG', 'gas limit above 2^63-1', { gasLimit: header.gasLimit })
  }
  if (header.gasUsed > header.gasLimit) {
    throw new BlockError('GAS_USED_OVERFLOW', 'gas used above gas limit', {
      gasUsed: header.gasUsed,
      gasLimit: header.gasLimit,
    })
  }
  // At the London fork block the parent's limit counts as a target: the limit doubles (EIP-1559).
  const londonForkBlock = rules.isActive(1559) && !parentRules.isActive(1559)
  const parentGasLimit = londonForkBlock
    ? parent.gasLimit * rules.params.elasticityMultiplier
    : parent.gasLimit
  if (!checkGasLimit(header.gasLimit, parentGasLimit)) {
    throw new BlockError('INVALID_GASLIMIT', 'gas limit outside the allowed range', {
      gasLimit: header.gasLimit,
      parentGasLimit,
    })
  }
  if (rules.isActive(1559)) {
    const expected = londonForkBlock
      ? CONSTANTS.initialBaseFee
      : calcBaseFee(
          { gasLimit: parent.gasLimit, gasUsed: parent.gasUsed, baseFeePerGas: parent.baseFeePerGas ?? 0n },
          rules.params,
        )
    if (header.baseFeePerGas !== expected) {
      throw new BlockError('INVALID_BASEFEE_PER_GAS', 'wrong base fee', {
        baseFee: header.baseFeePerGas,
        expected,
      })
    }
  }
  if (header.timestamp <= parent.timestamp) {
    throw new BlockError('INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT', 'timestamp not after the parent', {
      timestamp: header.timestamp,
      parent: parent.timestamp,
    })
  }
  if (header.extraData.length > CONSTANTS.maxExtraDataSize) {
    throw new BlockError('EXTRA_DATA_TOO_BIG', 'extra data longer than 32 bytes', {
      length: header.extraData.length,
    })
  }
  const dao = context.daoForkBlock
  if (dao !== undefined && header.number >= dao && header.number < dao + DAO_EXTRA_DATA_RANGE) {
    if (!equalBytes(header.extraData, DAO_EXTRA_DATA)) {
      throw new BlockError('EXTRA_DATA_INVALID_DAO', 'DAO fork blocks must carry "dao-hard-fork"')
    }
  }
  if (rules.gte(Fork.Paris)) {
    if (header.difficulty !== 0n)
      throw new BlockError('INVALID_DIFFICULTY', 'difficulty must be 0 after the merge')
    if (!equalBytes(header.nonce, ZERO_NONCE))
      throw new BlockError('INVALID_NONCE', 'nonce must be 0 after the merge')
    if (!equalBytes(header.ommersHash, KECCAK256_RLP_EMPTY_LIST)) {
      throw new BlockError('IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS', 'uncles are not allowed after the merge')
    }
  } else {
    const expected = calcDifficulty(
      header.number,
      header.timestamp,
      {
        difficulty: parent.difficulty,
        timestamp: parent.timestamp,
        hasOmmers: !equalBytes(parent.ommersHash, KECCAK256_RLP_EMPTY_LIST),
      },
      rules,
    )
    if (header.difficulty !== expected) {
      throw new BlockError('INVALID_DIFFICULTY', 'wrong difficulty', {
        difficulty: header.difficulty,
        expected,
      })
    }
  }
  const blob = rules.params.blob
  if (blob) {
    const expected = calcExcessBlobGas(parent, blob, rules.isActive(7918))
    if (header.excessBlobGas !== expected) {
      throw new BlockError('INVALID_EXCESS_BLOB_GAS', 'wrong excess blob gas', {
        excessBlobGas: header.excessBlobGas,
        expected,
      })
    }
  }
}
