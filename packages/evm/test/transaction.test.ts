import type { TransactionInput } from '@crucible/evm-types'
import { getForkRules } from '@crucible/forks'
import { TxValidationError, validateTransactionRules } from '@crucible/tx'
import { describe, expect, it } from 'vitest'
import { processTransaction } from '../src/transaction/process.js'
import { asm, block, COINBASE, CONTRACT, SENDER } from './helpers.js'
import { MemoryHost } from './memory-host.js'

function setup(balance = 10n ** 18n) {
  const host = new MemoryHost()
  host.put(SENDER, { balance })
  host.put(CONTRACT, { code: asm('PUSH1 1 PUSH1 0 SSTORE STOP') })
  return host
}

const base = (o: Partial<TransactionInput> = {}): TransactionInput => ({
  type: 2,
  sender: SENDER,
  to: CONTRACT,
  nonce: 0n,
  value: 0n,
  data: new Uint8Array(0),
  gasLimit: 100_000n,
  maxFeePerGas: 20n,
  maxPriorityFeePerGas: 2n,
  ...o,
})

function rejects(
  tx: TransactionInput,
  code: string,
  fork: 'Cancun' | 'Prague' | 'Osaka' | 'Berlin' = 'Cancun',
  host = setup(),
) {
  const before = JSON.stringify(
    [...host.accounts].map(([a, x]) => [String(a), String(x.balance), String(x.nonce)]),
  )
  try {
    processTransaction(host, tx, block(), getForkRules(fork))
    expect.unreachable('should have thrown')
  } catch (e) {
    expect(e).toBeInstanceOf(TxValidationError)
    expect((e as TxValidationError).rejection).toBe(code)
  }
  const after = JSON.stringify(
    [...host.accounts].map(([a, x]) => [String(a), String(x.balance), String(x.nonce)]),
  )
  expect(after).toBe(before)
}

describe('transaction validation', () => {
  it('rejects before changing state', () => {
    rejects(base({ nonce: 1n }), 'NONCE_MISMATCH_TOO_HIGH')
    const host = setup()
    host.put(SENDER, { balance: 10n ** 18n, nonce: 3n })
    rejects(base({ nonce: 2n }), 'NONCE_MISMATCH_TOO_LOW', 'Cancun', host)
    rejects(base({ nonce: 2n ** 64n - 1n }), 'NONCE_IS_MAX')
    rejects(base({ gasLimit: 20_000n }), 'INTRINSIC_GAS_TOO_LOW')
    rejects(base({ gasLimit: 40_000_000n }), 'GAS_ALLOWANCE_EXCEEDED')
    rejects(base({ maxFeePerGas: 5n, maxPriorityFeePerGas: 1n }), 'INSUFFICIENT_MAX_FEE_PER_GAS')
    rejects(base({ maxFeePerGas: 10n, maxPriorityFeePerGas: 11n }), 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS')
    rejects(base(), 'INSUFFICIENT_ACCOUNT_FUNDS', 'Cancun', setup(1000n))
    rejects(base({ type: 4, authorizationList: [] }), 'TYPE_NOT_SUPPORTED', 'Cancun')
    rejects(base({ type: 4, authorizationList: [] }), 'TYPE_4_EMPTY_AUTHORIZATION_LIST', 'Prague')
    rejects(base({ type: 2 }), 'TYPE_NOT_SUPPORTED', 'Berlin')
    rejects(
      base({
        type: 3,
        to: undefined,
        blobVersionedHashes: [new Uint8Array(32).fill(1)],
        maxFeePerBlobGas: 1n,
      }),
      'TYPE_3_TX_CONTRACT_CREATION',
    )
    rejects(base({ type: 3, blobVersionedHashes: [], maxFeePerBlobGas: 1n }), 'TYPE_3_TX_ZERO_BLOBS')
    rejects(
      base({ type: 3, blobVersionedHashes: [new Uint8Array(32).fill(2)], maxFeePerBlobGas: 1n }),
      'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH',
    )
    rejects(
      base({ type: 3, blobVersionedHashes: [new Uint8Array(32).fill(1)], maxFeePerBlobGas: 0n }),
      'INSUFFICIENT_MAX_FEE_PER_BLOB_GAS',
    )
    rejects(base({ gasLimit: (1n << 24n) + 1n }), 'GAS_LIMIT_EXCEEDS_MAXIMUM', 'Osaka')
    rejects(
      base({ to: undefined, data: new Uint8Array(49153), gasLimit: 10_000_000n }),
      'INITCODE_SIZE_EXCEEDED',
    )
    rejects(
      base({ data: new Uint8Array(100).fill(1), gasLimit: 23_000n }),
      'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST',
      'Prague',
    )
    const withCode = setup()
    withCode.put(SENDER, { balance: 10n ** 18n, code: asm('00') })
    rejects(base(), 'SENDER_NOT_EOA', 'Cancun', withCode)
  })
})

describe('transaction validation in a block', () => {
  it('checks the gas and blob gas the block has left', () => {
    const rules = getForkRules('Cancun')
    const used = { gasUsed: 30_000_000n - 99_999n, blobGasUsed: 0n }
    expect(() => processTransaction(setup(), base(), block(), rules, { blockUsage: used })).toThrow(
      expect.objectContaining({ rejection: 'GAS_ALLOWANCE_EXCEEDED' }),
    )
    const blob = base({ type: 3, blobVersionedHashes: [new Uint8Array(32).fill(1)], maxFeePerBlobGas: 1n })
    const full = { gasUsed: 0n, blobGasUsed: 6n * 131072n }
    expect(() => processTransaction(setup(), blob, block(), rules, { blockUsage: full })).toThrow(
      expect.objectContaining({ rejection: 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED' }),
    )
    expect(
      processTransaction(setup(), base(), block(), rules, { blockUsage: { ...used, gasUsed: 0n } }).status,
    ).toBe(1)
  })
  it('takes the static rules as checked when given their gas figures', () => {
    const rules = getForkRules('Cancun')
    const tx = base()
    const validated = validateTransactionRules(tx, rules)
    expect(validated).toEqual({ intrinsicGas: 21000n, floorGas: 0n })
    const a = processTransaction(setup(), tx, block(), rules)
    const b = processTransaction(setup(), tx, block(), rules, { validated })
    expect(b).toEqual(a)
  })
})

describe('transaction processing', () => {
  it('buys gas, refunds the rest, pays the priority fee and burns the base fee', () => {
    const host = setup()
    const r = processTransaction(host, base(), block(), getForkRules('Cancun'))
    expect(r.status).toBe(1)
    const used = 21000n + 3n + 3n + 22100n
    expect(r.gasUsed).toBe(used)
    // effective price = min(2, 20 - 7) + 7 = 9
    expect(host.getBalance(SENDER)).toBe(10n ** 18n - used * 9n)
    expect(host.getBalance(COINBASE)).toBe(used * 2n)
    expect(host.getNonce(SENDER)).toBe(1n)
  })
  it('caps the refund at a fifth of gas used (EIP-3529)', () => {
    const host = setup()
    host.put(CONTRACT, { code: asm('PUSH1 0 PUSH1 0 SSTORE STOP'), storage: new Map([[0n, 1n]]) })
    const r = processTransaction(host, base(), block(), getForkRules('Cancun'))
    const used = 21000n + 6n + 2900n + 2100n
    expect(r.gasRefund).toBe(4800n < used / 5n ? 4800n : used / 5n)
    expect(r.gasUsed).toBe(used - r.gasRefund)
  })
  it('charges the EIP-7623 floor for calldata-heavy transactions', () => {
    const host = setup()
    host.put(CONTRACT, { code: asm('00') })
    const data = new Uint8Array(1000).fill(1)
    const r = processTransaction(host, base({ data, gasLimit: 100_000n }), block(), getForkRules('Prague'))
    expect(r.gasUsed).toBe(21000n + 10n * 4000n)
  })
  it('creates contracts from a transaction without `to`', () => {
    const host = setup()
    // initcode returns 0x00 (one byte)
    const r = processTransaction(
      host,
      base({ to: undefined, data: asm('PUSH1 1 PUSH1 0 RETURN') }),
      block(),
      getForkRules('Cancun'),
    )
    expect(r.status).toBe(1)
    expect(r.createdAddress).toBeDefined()
    expect(host.getCode(r.createdAddress!)).toEqual(new Uint8Array([0]))
  })
  it('keeps the nonce and fee when the message fails', () => {
    const host = setup()
    host.put(CONTRACT, { code: asm('INVALID') })
    const r = processTransaction(host, base(), block(), getForkRules('Cancun'))
    expect(r.status).toBe(0)
    expect(r.halt).toBe('InvalidOpcode')
    expect(r.gasUsed).toBe(100_000n)
    expect(host.getNonce(SENDER)).toBe(1n)
  })
})
