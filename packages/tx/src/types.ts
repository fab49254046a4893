/**
 * Transactions as plain values. Integers are bigints; addresses and storage keys are bigints
 * too, so the fields line up with what the EVM consumes (`TransactionInput` in
 * `@crucible/evm-types`) without conversion. Byte strings stay `Uint8Array`.
 */
import type { AccessListEntry } from '@crucible/evm-types'

/** EIP-2718 transaction types. */
export const TxType = {
  Legacy: 0,
  AccessList: 1,
  FeeMarket: 2,
  Blob: 3,
  SetCode: 4,
} as const
export type TxType = (typeof TxType)[keyof typeof TxType]

/** The signed part of an EIP-7702 authorization tuple. */
export interface AuthorizationRequest {
  chainId: bigint
  address: bigint
  nonce: bigint
}

/** An EIP-7702 authorization: `[chain_id, address, nonce, y_parity, r, s]`. */
export interface SignedAuthorization extends AuthorizationRequest {
  yParity: bigint
  r: bigint
  s: bigint
}

interface TxFields {
  nonce: bigint
  gasLimit: bigint
  /** Recipient, or undefined for contract creation. */
  to: bigint | undefined
  value: bigint
  data: Uint8Array
  r: bigint
  s: bigint
}

/** A pre-EIP-2718 transaction, with or without EIP-155 replay protection. */
export interface LegacyTransaction extends TxFields {
  type: 0
  gasPrice: bigint
  /** 27/28, or `chainId * 2 + 35/36` (EIP-155); any other value is kept as decoded. */
  v: bigint
  /** The EIP-155 chain id `v` encodes, or undefined for an unprotected transaction. */
  chainId: bigint | undefined
}

/** EIP-2930: type 1. */
export interface AccessListTransaction extends TxFields {
  type: 1
  chainId: bigint
  gasPrice: bigint
  accessList: AccessListEntry[]
  yParity: bigint
}

/** EIP-1559: type 2. */
export interface FeeMarketTransaction extends TxFields {
  type: 2
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  accessList: AccessListEntry[]
  yParity: bigint
}

/**
 * The blobs, commitments and proofs that travel with a blob transaction on the network
 * (never in blocks). Version 0 carries one KZG proof per blob (EIP-4844); version 1 carries
 * 128 cell proofs per blob (EIP-7594, from Osaka).
 */
export interface BlobSidecar {
  wrapperVersion: 0 | 1
  blobs: Uint8Array[]
  commitments: Uint8Array[]
  proofs: Uint8Array[]
}

/** EIP-4844: type 3. */
export interface BlobTransaction extends TxFields {
  type: 3
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  /** Always set: a blob transaction cannot create a contract. */
  to: bigint
  accessList: AccessListEntry[]
  maxFeePerBlobGas: bigint
  blobVersionedHashes: Uint8Array[]
  yParity: bigint
  /** Present when decoded from (or meant for) the network form. */
  sidecar?: BlobSidecar
}

/** EIP-7702: type 4. */
export interface SetCodeTransaction extends TxFields {
  type: 4
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  /** Always set: a set-code transaction cannot create a contract. */
  to: bigint
  accessList: AccessListEntry[]
  authorizationList: SignedAuthorization[]
  yParity: bigint
}

/** Any signed transaction. */
export type Transaction =
  | LegacyTransaction
  | AccessListTransaction
  | FeeMarketTransaction
  | BlobTransaction
  | SetCodeTransaction

/** A transaction type without its signature fields (`r`, `s` and `Drop`). */
export type Unsigned<T, Drop extends string> = T extends unknown ? Omit<T, Drop | 'r' | 's'> : never

/**
 * A transaction before signing. A legacy transaction with a `chainId` is signed with EIP-155
 * replay protection; without one it is signed the pre-EIP-155 way.
 */
export type UnsignedTransaction =
  | (Omit<LegacyTransaction, 'v' | 'r' | 's' | 'chainId'> & { chainId?: bigint | undefined })
  | Unsigned<Exclude<Transaction, LegacyTransaction>, 'yParity'>
