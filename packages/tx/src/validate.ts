import type { AccessListEntry } from '@crucible/evm-types'
import { CONSTANTS, type ForkRules, MAX_NONCE } from '@crucible/forks'
import { equalBytes } from '@crucible/primitives'
import { sha256 } from '@noble/hashes/sha2.js'
import { CELLS_PER_EXT_BLOB } from './decode.js'
import { TxSignatureError, TxValidationError } from './errors.js'
import { floorGas, intrinsicGas } from './gas.js'
import { recoverSender, signatureRules } from './signature.js'
import type { BlobSidecar, Transaction } from './types.js'

/** The EIP that introduces each transaction type (type 0 is always allowed). */
const TYPE_EIPS: readonly number[] = [0, 2930, 1559, 4844, 7702]
const TYPE_NAMES: readonly string[] = ['legacy', 'EIP-2930', 'EIP-1559', 'EIP-4844', 'EIP-7702']

const MAX_GAS_LIMIT = 1n << 64n
const UINT256_CEILING = 1n << 256n

/**
 * The fields the static rules read. A decoded {@link Transaction} has them, and so has the
 * EVM's `TransactionInput` (a call built from JSON-RPC parameters has no signature to check,
 * and may lack a fee field: that is {@link TxRejection} `MISSING_FEE_FIELD`).
 */
export interface TransactionRuleFields {
  type: number
  nonce: bigint
  gasLimit: bigint
  to: bigint | undefined
  data: Uint8Array
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  accessList?: readonly AccessListEntry[]
  blobVersionedHashes?: readonly Uint8Array[]
  authorizationList?: readonly unknown[]
}

/** The two gas figures the static rules work out (execution-specs `validate_transaction`). */
export interface TransactionGas {
  /** Gas charged before execution (see `intrinsicGas`). */
  intrinsicGas: bigint
  /** EIP-7623 minimum gas used (0n before Prague; see `floorGas`). */
  floorGas: bigint
}

/** What validation found: the sender and the two gas figures the EVM needs. */
export interface ValidatedTransaction extends TransactionGas {
  /** The recovered sender, a 160-bit bigint. */
  sender: bigint
}

/**
 * Checks everything about a signed transaction that needs no state: the rules of
 * {@link validateTransactionRules}, the chain id, the blob sidecar when there is one (counts,
 * sizes, versioned hashes; KZG proofs are not verified here), and the signature. Returns the
 * sender and gas figures (pass them to the EVM's `processTransaction` as `validated`, so it
 * does not check again), or throws a {@link TxValidationError} / {@link TxSignatureError}.
 * With `sender` (recovered before, or an impersonated sender of a dev node whose transaction
 * carries no real signature) the signature is not recovered again; every other rule is checked.
 */
export function validateTransaction(
  tx: Transaction,
  rules: ForkRules,
  chainId: bigint,
  sender?: bigint,
): ValidatedTransaction {
  const gas = validateTransactionRules(tx, rules)
  checkChainId(tx, rules, chainId)
  if (tx.type === 3 && tx.sidecar) checkSidecar(tx.sidecar, tx.blobVersionedHashes, rules)
  return { sender: sender ?? recoverSender(tx, signatureRules(rules)), ...gas }
}

/**
 * The static rules of a transaction, the ones that read no state and no block: that the fork
 * knows its type, the fee fields (present, priority fee within the fee cap, gas cost within
 * 256 bits), the EIP-2681 nonce bound, the 2^64 gas bound and the EIP-7825 gas cap, EIP-3860
 * initcode size, that the gas limit covers the intrinsic cost (and from Prague the EIP-7623
 * floor), the EIP-4844 blob rules and the EIP-7702 authorization list. execution-specs'
 * `validate_transaction` and the parts of `check_transaction` that need no state; the EVM's
 * `checkTransaction` does the rest. Returns the gas figures or throws {@link TxValidationError}.
 */
export function validateTransactionRules(tx: TransactionRuleFields, rules: ForkRules): TransactionGas {
  const type = tx.type
  const eip = TYPE_EIPS[type]
  if (eip === undefined || (type !== 0 && !rules.isActive(eip))) {
    throw new TxValidationError(
      'TYPE_NOT_SUPPORTED',
      `${TYPE_NAMES[type] ?? 'unknown'} transactions (type ${type}) are not enabled in ${rules.name}`,
      { type },
    )
  }

  if (tx.nonce >= MAX_NONCE) {
    throw new TxValidationError('NONCE_IS_MAX', 'nonce must be below 2^64 - 1 (EIP-2681)', { field: 'nonce' })
  }
  if (tx.gasLimit >= MAX_GAS_LIMIT) {
    throw new TxValidationError('GAS_LIMIT_EXCEEDS_MAXIMUM', 'gas limit must be below 2^64', {
      field: 'gasLimit',
    })
  }
  const cap = rules.params.txGasLimitCap
  if (cap !== undefined && tx.gasLimit > cap) {
    throw new TxValidationError(
      'GAS_LIMIT_EXCEEDS_MAXIMUM',
      `gas limit ${tx.gasLimit} is above the cap ${cap} (EIP-7825)`,
      {
        field: 'gasLimit',
      },
    )
  }
  checkFees(tx)

  if (tx.to === undefined && tx.data.length > rules.params.maxInitCodeSize) {
    throw new TxValidationError(
      'INITCODE_SIZE_EXCEEDED',
      `initcode is ${tx.data.length} bytes, the limit is ${rules.params.maxInitCodeSize} (EIP-3860)`,
      { field: 'data' },
    )
  }

  const intrinsic = intrinsicGas(tx, rules)
  if (tx.gasLimit < intrinsic) {
    throw new TxValidationError(
      'INTRINSIC_GAS_TOO_LOW',
      `gas limit ${tx.gasLimit} is below the intrinsic gas ${intrinsic}`,
      {
        field: 'gasLimit',
        intrinsic,
        gasLimit: tx.gasLimit,
      },
    )
  }
  const floor = floorGas(tx, rules)
  if (tx.gasLimit < floor) {
    throw new TxValidationError(
      'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST',
      `gas limit ${tx.gasLimit} is below the calldata floor ${floor} (EIP-7623)`,
      { field: 'gasLimit', floor, gasLimit: tx.gasLimit },
    )
  }

  if (type === 3) checkBlobs(tx, rules)
  if (type === 4) {
    if (tx.to === undefined)
      throw new TxValidationError('TYPE_4_TX_CONTRACT_CREATION', 'a type-4 transaction must have a recipient')
    if ((tx.authorizationList?.length ?? 0) === 0) {
      throw new TxValidationError(
        'TYPE_4_EMPTY_AUTHORIZATION_LIST',
        'the authorization list is empty (EIP-7702)',
        {
          field: 'authorizationList',
        },
      )
    }
  }
  return { intrinsicGas: intrinsic, floorGas: floor }
}

function checkChainId(tx: Transaction, rules: ForkRules, chainId: bigint): void {
  let signed: bigint | undefined
  if (tx.type === 0) {
    // Unprotected (27/28) transactions stay valid on every chain; a protected one must match.
    // Before EIP-155 a chain-id `v` is a signature error, reported by signature checks.
    if (tx.v === 27n || tx.v === 28n || !rules.isActive(155)) return
    if (tx.v < 35n) {
      throw new TxSignatureError(
        'INVALID_SIGNATURE_VRS',
        `v must be 27, 28 or chainId * 2 + 35/36, got ${tx.v}`,
        {
          field: 'v',
        },
      )
    }
    signed = (tx.v - 35n) >> 1n
  } else {
    signed = tx.chainId
  }
  if (signed !== chainId) {
    throw new TxValidationError('INVALID_CHAINID', `signed for chain ${signed}, this chain is ${chainId}`, {
      field: 'chainId',
    })
  }
}

/** The fee fields: present, the priority fee within the fee cap, the most gas can cost within 256 bits. */
function checkFees(tx: TransactionRuleFields): void {
  let price: bigint
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas
    const maxPriority = tx.maxPriorityFeePerGas
    if (maxFee === undefined || maxPriority === undefined)
      throw new TxValidationError('MISSING_FEE_FIELD', 'EIP-1559 fee fields are missing', {
        field: maxFee === undefined ? 'maxFeePerGas' : 'maxPriorityFeePerGas',
      })
    if (maxPriority > maxFee) {
      throw new TxValidationError(
        'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS',
        `max priority fee ${maxPriority} is above the max fee ${maxFee}`,
        { field: 'maxPriorityFeePerGas', maxFee, maxPriority },
      )
    }
    price = maxFee
  } else {
    if (tx.gasPrice === undefined)
      throw new TxValidationError('MISSING_FEE_FIELD', 'gas price is missing', { field: 'gasPrice' })
    price = tx.gasPrice
  }
  // Clients keep balances in 256 bits: a gas cost that does not fit can never be paid.
  if (tx.gasLimit * price >= UINT256_CEILING) {
    throw new TxValidationError(
      'GASLIMIT_PRICE_PRODUCT_OVERFLOW',
      'gas limit × gas price overflows 256 bits',
      {
        field: 'gasLimit',
      },
    )
  }
}

function checkBlobs(tx: TransactionRuleFields, rules: ForkRules): void {
  if (tx.to === undefined)
    throw new TxValidationError('TYPE_3_TX_CONTRACT_CREATION', 'a type-3 transaction must have a recipient')
  const hashes = tx.blobVersionedHashes ?? []
  const count = hashes.length
  if (count === 0) {
    throw new TxValidationError('TYPE_3_TX_ZERO_BLOBS', 'a blob transaction must carry at least one blob', {
      field: 'blobVersionedHashes',
    })
  }
  const perTx = rules.params.maxBlobsPerTx
  if (perTx !== undefined && count > perTx) {
    throw new TxValidationError(
      'TYPE_3_TX_BLOB_COUNT_EXCEEDED',
      `${count} blobs, at most ${perTx} per transaction`,
      {
        field: 'blobVersionedHashes',
      },
    )
  }
  const perBlock = rules.params.blob?.max ?? 0
  if (count > perBlock) {
    throw new TxValidationError(
      'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED',
      `${count} blobs, at most ${perBlock} fit in a block`,
      { field: 'blobVersionedHashes' },
    )
  }
  hashes.forEach((hash, i) => {
    if (hash.length !== 32 || hash[0] !== CONSTANTS.blobCommitmentVersionKzg) {
      throw new TxValidationError(
        'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH',
        `versioned hash ${i} does not start with version 0x01`,
        { field: `blobVersionedHashes[${i}]` },
      )
    }
  })
}

/** EIP-4844 `kzg_to_versioned_hash`: `0x01 || sha256(commitment)[1:]`. */
export function commitmentToVersionedHash(commitment: Uint8Array): Uint8Array {
  const hash = sha256(commitment)
  hash[0] = CONSTANTS.blobCommitmentVersionKzg
  return hash
}

function checkSidecar(sidecar: BlobSidecar, hashes: Uint8Array[], rules: ForkRules): void {
  const cellProofs = rules.isActive(7594)
  if (sidecar.wrapperVersion !== (cellProofs ? 1 : 0)) {
    throw new TxValidationError(
      'TYPE_3_TX_WRAPPER_MISMATCH',
      `${rules.name} takes blob wrapper version ${cellProofs ? 1 : 0}, got ${sidecar.wrapperVersion}`,
      { field: 'sidecar.wrapperVersion' },
    )
  }
  const n = hashes.length
  const proofs = sidecar.wrapperVersion === 1 ? n * CELLS_PER_EXT_BLOB : n
  if (sidecar.blobs.length !== n || sidecar.commitments.length !== n || sidecar.proofs.length !== proofs) {
    throw new TxValidationError(
      'TYPE_3_TX_WRAPPER_MISMATCH',
      `${n} versioned hashes need ${n} blobs, ${n} commitments and ${proofs} proofs; got ${sidecar.blobs.length}, ${sidecar.commitments.length} and ${sidecar.proofs.length}`,
      { field: 'sidecar' },
    )
  }
  sidecar.commitments.forEach((commitment, i) => {
    if (!equalBytes(commitmentToVersionedHash(commitment), hashes[i]!)) {
      throw new TxValidationError(
        'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH',
        `versioned hash ${i} does not match commitment ${i}`,
        { field: `blobVersionedHashes[${i}]` },
      )
    }
  })
}
