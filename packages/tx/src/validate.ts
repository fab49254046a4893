import { CONSTANTS, type ForkRules, MAX_NONCE } from '@crucible/forks'
import { equalBytes } from '@crucible/primitives'
import { sha256 } from '@noble/hashes/sha2.js'
import { CELLS_PER_EXT_BLOB } from './decode.js'
import { TxSignatureError, TxValidationError } from './errors.js'
import { floorGas, intrinsicGas } from './gas.js'
import { recoverSender, signatureRules } from './signature.js'
import type { BlobSidecar, BlobTransaction, Transaction } from './types.js'

/** The EIP that introduces each transaction type (type 0 is always allowed). */
const TYPE_EIPS = [0, 2930, 1559, 4844, 7702] as const
const TYPE_NAMES = ['legacy', 'EIP-2930', 'EIP-1559', 'EIP-4844', 'EIP-7702'] as const

const MAX_GAS_LIMIT = 1n << 64n
const UINT256_CEILING = 1n << 256n

/** What validation found: the sender and the two gas figures the EVM needs. */
export interface ValidatedTransaction {
  /** The recovered sender, a 160-bit bigint. */
  sender: bigint
  /** Gas charged before execution (see `intrinsicGas`). */
  intrinsicGas: bigint
  /** EIP-7623 minimum gas used (0n before Prague; see `floorGas`). */
  floorGas: bigint
}

/**
 * Checks everything about a transaction that needs no state: that the fork knows its type,
 * the chain id, EIP-2681 nonce bound, fee fields, the EIP-7825 gas cap, initcode size, that
 * the gas limit covers the intrinsic cost (and from Prague the EIP-7623 floor), blob and
 * authorization-list rules, the blob sidecar when there is one (counts, sizes, versioned
 * hashes; KZG proofs are not verified here), and the signature. Returns the sender and gas
 * figures, or throws a {@link TxValidationError} / {@link TxSignatureError}.
 */
export function validateTransaction(
  tx: Transaction,
  rules: ForkRules,
  chainId: bigint,
): ValidatedTransaction {
  const gas = checkTransaction(tx, rules, chainId)
  return { sender: recoverSender(tx, signatureRules(rules)), ...gas }
}

/** {@link validateTransaction} without the signature: returns the gas figures. */
export function checkTransaction(
  tx: Transaction,
  rules: ForkRules,
  chainId: bigint,
): { intrinsicGas: bigint; floorGas: bigint } {
  const type = tx.type
  if (type !== 0 && !rules.isActive(TYPE_EIPS[type])) {
    throw new TxValidationError(
      'TYPE_NOT_SUPPORTED',
      `${TYPE_NAMES[type]} transactions (type ${type}) are not enabled in ${rules.name}`,
      { type },
    )
  }
  checkChainId(tx, rules, chainId)

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
      },
    )
  }
  const floor = floorGas(tx, rules)
  if (tx.gasLimit < floor) {
    throw new TxValidationError(
      'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST',
      `gas limit ${tx.gasLimit} is below the calldata floor ${floor} (EIP-7623)`,
      { field: 'gasLimit' },
    )
  }

  if (type === 3) checkBlobs(tx, rules)
  if (type === 4) {
    if (tx.to === undefined)
      throw new TxValidationError('TYPE_4_TX_CONTRACT_CREATION', 'a type-4 transaction must have a recipient')
    if (tx.authorizationList.length === 0) {
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

function checkFees(tx: Transaction): void {
  const price = tx.type === 0 || tx.type === 1 ? tx.gasPrice : tx.maxFeePerGas
  if (tx.type >= 2) {
    const t = tx as Exclude<Transaction, { type: 0 | 1 }>
    if (t.maxPriorityFeePerGas > t.maxFeePerGas) {
      throw new TxValidationError(
        'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS',
        `max priority fee ${t.maxPriorityFeePerGas} is above the max fee ${t.maxFeePerGas}`,
        { field: 'maxPriorityFeePerGas' },
      )
    }
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

function checkBlobs(tx: BlobTransaction, rules: ForkRules): void {
  if (tx.to === undefined)
    throw new TxValidationError('TYPE_3_TX_CONTRACT_CREATION', 'a type-3 transaction must have a recipient')
  const count = tx.blobVersionedHashes.length
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
  tx.blobVersionedHashes.forEach((hash, i) => {
    if (hash.length !== 32 || hash[0] !== CONSTANTS.blobCommitmentVersionKzg) {
      throw new TxValidationError(
        'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH',
        `versioned hash ${i} does not start with version 0x01`,
        { field: `blobVersionedHashes[${i}]` },
      )
    }
  })
  if (tx.sidecar) checkSidecar(tx.sidecar, tx.blobVersionedHashes, rules)
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
