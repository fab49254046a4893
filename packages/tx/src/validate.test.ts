import { getForkRules } from '@crucible/forks'
import { hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import {
  calldataTokens,
  commitmentToVersionedHash,
  floorGas,
  intrinsicGas,
  privateKeyToAddress,
  signAuthorization,
  signTransaction,
  type Transaction,
  TxSignatureError,
  TxValidationError,
  type UnsignedTransaction,
  validateTransaction,
  validateTransactionRules,
} from './index.js'

const KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')
const TO = 0xaan
const rules = getForkRules

describe('intrinsic gas', () => {
  const call = { to: TO, data: Uint8Array.of(0, 0xff) }
  const create = { to: undefined, data: new Uint8Array(33).fill(1) }
  it('charges base, calldata and creation per fork', () => {
    expect(intrinsicGas(call, rules('Frontier'))).toBe(21000n + 4n + 68n)
    expect(intrinsicGas({ to: undefined, data: call.data }, rules('Frontier'))).toBe(21000n + 72n)
    expect(intrinsicGas({ to: undefined, data: call.data }, rules('Homestead'))).toBe(53000n + 72n)
    expect(intrinsicGas(call, rules('Istanbul'))).toBe(21000n + 4n + 16n) // EIP-2028
    expect(intrinsicGas(create, rules('London'))).toBe(53000n + 33n * 16n)
    expect(intrinsicGas(create, rules('Shanghai'))).toBe(53000n + 33n * 16n + 2n * 2n) // EIP-3860
  })
  it('charges access lists (EIP-2930) and authorizations (EIP-7702)', () => {
    const accessList = [
      { address: 1n, storageKeys: [1n, 2n] },
      { address: 2n, storageKeys: [] },
    ]
    expect(intrinsicGas({ ...call, accessList }, rules('Berlin'))).toBe(21020n + 2n * 2400n + 2n * 1900n)
    const authorizationList = [{}, {}]
    expect(intrinsicGas({ ...call, authorizationList }, rules('Prague'))).toBe(21020n + 50000n)
  })
  it('has a calldata floor from Prague (EIP-7623)', () => {
    expect(calldataTokens(call.data, rules('Prague'))).toBe(5n)
    expect(floorGas(call, rules('Cancun'))).toBe(0n)
    expect(floorGas(call, rules('Prague'))).toBe(21000n + 50n)
    const data = new Uint8Array(1000).fill(1)
    expect(floorGas({ data }, rules('Prague'))).toBe(21000n + 40000n)
    expect(intrinsicGas({ to: TO, data }, rules('Prague'))).toBe(21000n + 16000n)
  })
})

function signed(unsigned: UnsignedTransaction): Transaction {
  return signTransaction(unsigned, KEY)
}

const base = { nonce: 0n, gasLimit: 100_000n, to: TO, value: 0n, data: new Uint8Array(0) }
const fees = { chainId: 1n, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n, accessList: [] }
const versioned = (): Uint8Array => {
  const hash = new Uint8Array(32)
  hash[0] = 1
  return hash
}

function rejection(
  tx: Transaction,
  fork: Parameters<typeof getForkRules>[0],
  chainId = 1n,
): string | undefined {
  try {
    validateTransaction(tx, rules(fork), chainId)
    return undefined
  } catch (error) {
    if (error instanceof TxValidationError || error instanceof TxSignatureError) return error.rejection
    throw error
  }
}

describe('validateTransaction', () => {
  it('returns the sender and gas figures of a valid transaction', () => {
    const tx = signed({ type: 2, ...base, data: Uint8Array.of(1), ...fees })
    const result = validateTransaction(tx, rules('Prague'), 1n)
    expect(result).toEqual({ sender: privateKeyToAddress(KEY), intrinsicGas: 21016n, floorGas: 21040n })
  })

  it('enables each type at its fork', () => {
    const types: Array<[UnsignedTransaction, 'Berlin' | 'London' | 'Cancun' | 'Prague']> = [
      [{ type: 1, ...base, chainId: 1n, gasPrice: 1n, accessList: [] }, 'Berlin'],
      [{ type: 2, ...base, ...fees }, 'London'],
      [{ type: 3, ...base, ...fees, maxFeePerBlobGas: 1n, blobVersionedHashes: [versioned()] }, 'Cancun'],
      [
        {
          type: 4,
          ...base,
          ...fees,
          authorizationList: [signAuthorization({ chainId: 1n, address: 1n, nonce: 0n }, KEY)],
        },
        'Prague',
      ],
    ]
    const order = ['Istanbul', 'Berlin', 'London', 'Shanghai', 'Cancun', 'Prague'] as const
    for (const [unsigned, fork] of types) {
      const tx = signed(unsigned)
      const from = order.indexOf(fork)
      expect(rejection(tx, order[from - 1]!)).toBe('TYPE_NOT_SUPPORTED')
      expect(rejection(tx, fork)).toBeUndefined()
    }
  })

  it('checks EIP-155 and the chain id', () => {
    const protectedTx = signed({ type: 0, ...base, gasPrice: 1n, chainId: 1n })
    expect(rejection(protectedTx, 'Homestead')).toBe('INVALID_SIGNATURE_VRS')
    expect(rejection(protectedTx, 'SpuriousDragon')).toBeUndefined()
    expect(rejection(protectedTx, 'SpuriousDragon', 5n)).toBe('INVALID_CHAINID')
    const unprotected = signed({ type: 0, ...base, gasPrice: 1n })
    expect(rejection(unprotected, 'Cancun', 5n)).toBeUndefined()
    expect(rejection(signed({ type: 2, ...base, ...fees, chainId: 2n }), 'London')).toBe('INVALID_CHAINID')
  })

  it('checks nonce, gas limit, fees and the EIP-7825 cap', () => {
    const legacy = (change: Partial<UnsignedTransaction>) =>
      signed({ type: 0, ...base, gasPrice: 1n, ...change } as UnsignedTransaction)
    expect(rejection(legacy({ nonce: 2n ** 64n - 1n }), 'Cancun')).toBe('NONCE_IS_MAX')
    expect(rejection(legacy({ nonce: 2n ** 64n - 2n }), 'Cancun')).toBeUndefined()
    expect(rejection(legacy({ gasLimit: 20_999n }), 'Cancun')).toBe('INTRINSIC_GAS_TOO_LOW')
    expect(rejection(legacy({ gasPrice: 2n ** 255n }), 'Cancun')).toBe('GASLIMIT_PRICE_PRODUCT_OVERFLOW')
    expect(rejection(legacy({ gasLimit: 2n ** 24n + 1n }), 'Prague')).toBeUndefined()
    expect(rejection(legacy({ gasLimit: 2n ** 24n + 1n }), 'Osaka')).toBe('GAS_LIMIT_EXCEEDS_MAXIMUM')
    expect(rejection(legacy({ gasLimit: 2n ** 24n }), 'Osaka')).toBeUndefined()
    const tip = signed({ type: 2, ...base, ...fees, maxPriorityFeePerGas: 11n })
    expect(rejection(tip, 'London')).toBe('PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS')
    const floor = legacy({ gasLimit: 21000n + 4000n * 4n, data: new Uint8Array(1000).fill(1) })
    expect(rejection(floor, 'Cancun')).toBeUndefined()
    expect(rejection(floor, 'Prague')).toBe('INTRINSIC_GAS_BELOW_FLOOR_GAS_COST')
  })

  it('limits initcode from Shanghai (EIP-3860)', () => {
    const create = (size: number) =>
      signed({
        type: 0,
        ...base,
        to: undefined,
        gasLimit: 1_000_000n,
        gasPrice: 1n,
        data: new Uint8Array(size),
      })
    expect(rejection(create(49153), 'Paris')).toBeUndefined()
    expect(rejection(create(49152), 'Shanghai')).toBeUndefined()
    expect(rejection(create(49153), 'Shanghai')).toBe('INITCODE_SIZE_EXCEEDED')
  })

  it('checks blobs against the fork schedule', () => {
    const blob = (count: number, hash = versioned) =>
      signed({
        type: 3,
        ...base,
        ...fees,
        maxFeePerBlobGas: 1n,
        blobVersionedHashes: Array.from({ length: count }, hash),
      })
    expect(rejection(blob(0), 'Cancun')).toBe('TYPE_3_TX_ZERO_BLOBS')
    expect(rejection(blob(6), 'Cancun')).toBeUndefined()
    expect(rejection(blob(7), 'Cancun')).toBe('TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED')
    expect(rejection(blob(9), 'Prague')).toBeUndefined()
    expect(rejection(blob(7), 'Osaka')).toBe('TYPE_3_TX_BLOB_COUNT_EXCEEDED')
    expect(
      rejection(
        blob(1, () => new Uint8Array(32)),
        'Cancun',
      ),
    ).toBe('TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH')
  })

  it('checks a sidecar against the versioned hashes', () => {
    const commitment = new Uint8Array(48).fill(7)
    const tx = signed({
      type: 3,
      ...base,
      ...fees,
      maxFeePerBlobGas: 1n,
      blobVersionedHashes: [commitmentToVersionedHash(commitment)],
    }) as Extract<Transaction, { type: 3 }>
    const blobs = [new Uint8Array(131072)]
    tx.sidecar = { wrapperVersion: 0, blobs, commitments: [commitment], proofs: [new Uint8Array(48)] }
    expect(rejection(tx, 'Cancun')).toBeUndefined()
    expect(rejection(tx, 'Osaka')).toBe('TYPE_3_TX_WRAPPER_MISMATCH')
    tx.sidecar = { wrapperVersion: 0, blobs, commitments: [new Uint8Array(48)], proofs: [new Uint8Array(48)] }
    expect(rejection(tx, 'Cancun')).toBe('TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH')
    const cellProofs = Array.from({ length: 128 }, () => new Uint8Array(48))
    tx.sidecar = { wrapperVersion: 1, blobs, commitments: [commitment], proofs: cellProofs }
    expect(rejection(tx, 'Osaka')).toBeUndefined()
    tx.sidecar = { wrapperVersion: 1, blobs, commitments: [commitment], proofs: cellProofs.slice(1) }
    expect(rejection(tx, 'Osaka')).toBe('TYPE_3_TX_WRAPPER_MISMATCH')
  })

  it('needs a non-empty authorization list (EIP-7702)', () => {
    const tx = signed({ type: 4, ...base, ...fees, authorizationList: [] })
    expect(rejection(tx, 'Prague')).toBe('TYPE_4_EMPTY_AUTHORIZATION_LIST')
    expect(() => validateTransactionRules(tx, rules('Prague'))).toThrow(/authorization list is empty/)
  })

  it('refuses to encode a blob or set-code transaction without a recipient', () => {
    const tx = { type: 3, ...base, to: undefined, ...fees, maxFeePerBlobGas: 1n, blobVersionedHashes: [] }
    expect(() => signed(tx as unknown as UnsignedTransaction)).toThrow(TxValidationError)
  })
})
