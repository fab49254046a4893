import type { ForkRules } from '@crucible/forks'
import { bytesToBigInt, publicKeyToAddress } from '@crucible/primitives'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { signingHash } from './encode.js'
import { TxSignatureError } from './errors.js'
import type { LegacyTransaction, Transaction, UnsignedTransaction } from './types.js'

/** The order of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
/** Half the order: from Homestead (EIP-2) a valid `s` is at most this. */
export const SECP256K1_N_HALF = SECP256K1_N >> 1n

/** A signature split into its recovery bit and scalars. */
export interface SignatureParts {
  yParity: 0 | 1
  r: bigint
  s: bigint
}

/** Which signature rules apply. Defaults are the current ones (low `s`, EIP-155 allowed). */
export interface SignatureRules {
  /** EIP-2 (Homestead): `s` must be at most n/2. Default true. */
  lowS?: boolean
  /** EIP-155 (Spurious Dragon): legacy `v` may encode a chain id. Default true. */
  eip155?: boolean
}

/** The signature rules of a fork. */
export function signatureRules(rules: ForkRules): SignatureRules {
  return { lowS: rules.isActive(2), eip155: rules.isActive(155) }
}

/**
 * Checks `r` and `s`: both in 1..n-1 and, under EIP-2, `s` ≤ n/2. Throws
 * {@link TxSignatureError} naming the value at fault.
 */
export function checkSignatureValues(r: bigint, s: bigint, lowS = true, field = ''): void {
  if (r <= 0n || r >= SECP256K1_N)
    throw new TxSignatureError('INVALID_SIGNATURE_VRS', 'r is not in 1..n-1', { field: `${field}r`, r })
  if (s <= 0n || s >= SECP256K1_N)
    throw new TxSignatureError('INVALID_SIGNATURE_VRS', 's is not in 1..n-1', { field: `${field}s`, s })
  if (lowS && s > SECP256K1_N_HALF)
    throw new TxSignatureError('INVALID_SIGNATURE_VRS', 's is above n/2 (EIP-2)', { field: `${field}s`, s })
}

/**
 * The recovery bit and scalars of a transaction's signature, checked. Legacy `v` must be 27/28
 * or, with EIP-155, `chainId * 2 + 35/36`; typed `y_parity` must be 0 or 1.
 */
export function signatureParts(tx: Transaction, rules: SignatureRules = {}): SignatureParts {
  let yParity: bigint
  if (tx.type === 0) {
    yParity = legacyRecoveryBit(tx, rules.eip155 !== false)
  } else {
    yParity = tx.yParity
    if (yParity !== 0n && yParity !== 1n) {
      throw new TxSignatureError('INVALID_SIGNATURE_VRS', `y_parity must be 0 or 1, got ${yParity}`, {
        field: 'yParity',
      })
    }
  }
  checkSignatureValues(tx.r, tx.s, rules.lowS !== false)
  return { yParity: Number(yParity) as 0 | 1, r: tx.r, s: tx.s }
}

function legacyRecoveryBit(tx: LegacyTransaction, eip155: boolean): bigint {
  const v = tx.v
  if (v === 27n || v === 28n) return v - 27n
  if (v >= 35n) {
    if (!eip155) {
      throw new TxSignatureError(
        'INVALID_SIGNATURE_VRS',
        `v = ${v} encodes a chain id, which needs EIP-155`,
        {
          field: 'v',
        },
      )
    }
    return (v - 35n) & 1n
  }
  throw new TxSignatureError('INVALID_SIGNATURE_VRS', `v must be 27, 28 or chainId * 2 + 35/36, got ${v}`, {
    field: 'v',
  })
}

/**
 * The address (as a bigint) whose key made the signature `(yParity, r, s)` over `hash`.
 * Scalars must already be in range; a signature that names no curve point, or recovers the
 * point at infinity, is {@link TxSignatureError} `EC_RECOVERY_FAIL`.
 */
export function recoverAddress(hash: Uint8Array, yParity: number, r: bigint, s: bigint): bigint {
  let publicKey: Uint8Array
  try {
    publicKey = new secp256k1.Signature(r, s, yParity).recoverPublicKey(hash).toBytes(false)
  } catch (error) {
    throw new TxSignatureError('EC_RECOVERY_FAIL', 'the signature recovers no public key', {
      detail: error instanceof Error ? error.message : String(error),
    })
  }
  return bytesToBigInt(publicKeyToAddress(publicKey))
}

/**
 * Recovers the sender of a signed transaction (a 160-bit bigint), after checking the signature
 * values; `rules` picks the fork's signature rules (Frontier allows high `s`; EIP-155 `v`
 * needs Spurious Dragon). Does not check the chain id: see `validateTransaction`.
 */
export function recoverSender(tx: Transaction, rules?: ForkRules | SignatureRules): bigint {
  const options = rules === undefined ? {} : 'isActive' in rules ? signatureRules(rules) : rules
  const { yParity, r, s } = signatureParts(tx, options)
  return recoverAddress(signingHash(tx), yParity, r, s)
}

/** Signs a 32-byte hash with a private key: a low-`s` signature (RFC 6979 nonce). */
export function signHash(hash: Uint8Array, privateKey: Uint8Array): SignatureParts {
  let bytes: Uint8Array
  try {
    bytes = secp256k1.sign(hash, privateKey, { prehash: false, format: 'recovered', lowS: true })
  } catch (error) {
    throw new TxSignatureError('INVALID_SIGNATURE_VRS', 'cannot sign with this private key', {
      detail: error instanceof Error ? error.message : String(error),
    })
  }
  return {
    yParity: bytes[0] as 0 | 1,
    r: bytesToBigInt(bytes.subarray(1, 33)),
    s: bytesToBigInt(bytes.subarray(33, 65)),
  }
}

/**
 * Signs a transaction. A legacy transaction with a `chainId` gets an EIP-155 `v`
 * (`chainId * 2 + 35 + y_parity`), without one `27 + y_parity`; typed ones get `yParity`.
 */
export function signTransaction(tx: UnsignedTransaction, privateKey: Uint8Array): Transaction {
  const { yParity, r, s } = signHash(signingHash(tx), privateKey)
  if (tx.type === 0) {
    const chainId = tx.chainId
    const v = chainId === undefined ? 27n + BigInt(yParity) : chainId * 2n + 35n + BigInt(yParity)
    return { ...tx, chainId, v, r, s }
  }
  return { ...tx, yParity: BigInt(yParity), r, s } as Transaction
}

/** The address (as a bigint) of a private key. */
export function privateKeyToAddress(privateKey: Uint8Array): bigint {
  let publicKey: Uint8Array
  try {
    publicKey = secp256k1.getPublicKey(privateKey, false)
  } catch (error) {
    throw new TxSignatureError('INVALID_SIGNATURE_VRS', 'not a valid private key', {
      detail: error instanceof Error ? error.message : String(error),
    })
  }
  return bytesToBigInt(publicKeyToAddress(publicKey))
}
