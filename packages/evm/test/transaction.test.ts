import type { TransactionInput } from '@crucible/evm-types'
import { getForkRules } from '@crucible/forks'
import { describe, expect, it } from 'vitest'
import { InvalidTransactionError } from '../src/errors.js'
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
    expect(e).toBeInstanceOf(InvalidTransactionError)
    expect((e as InvalidTransactionError).code).toBe(code)
  }
  const after = JSON.stringify(
    [...host.accounts].map(([a, x]) => [String(a), String(x.balance), String(x.nonce)]),
  )
  expect(after).toBe(before)
}

describe('transaction validation', () => {
  it('rejects before changing state', () => {
    rejects(base({ nonce: 1n }), 'NONCE_TOO_HIGH')
    const host = setup()
    host.put(SENDER, { balance: 10n ** 18n, nonce: 3n })
    rejects(base({ nonce: 2n }), 'NONCE_TOO_LOW', 'Cancun', host)
    rejects(base({ nonce: 2n ** 64n - 1n }), 'NONCE_MAX')
    rejects(base({ gasLimit: 20_000n }), 'INTRINSIC_GAS_TOO_LOW')
    rejects(base({ gasLimit: 40_000_000n }), 'GAS_LIMIT_EXCEEDS_BLOCK')
    rejects(base({ maxFeePerGas: 5n, maxPriorityFeePerGas: 1n }), 'FEE_CAP_BELOW_BASE_FEE')
    rejects(base({ maxFeePerGas: 10n, maxPriorityFeePerGas: 11n }), 'PRIORITY_FEE_ABOVE_FEE_CAP')
    rejects(base(), 'INSUFFICIENT_FUNDS', 'Cancun', setup(1000n))
    rejects(base({ type: 4, authorizationList: [] }), 'TYPE_NOT_SUPPORTED', 'Cancun')
    rejects(base({ type: 4, authorizationList: [] }), 'EMPTY_AUTHORIZATION_LIST', 'Prague')
    rejects(base({ type: 2 }), 'TYPE_NOT_SUPPORTED', 'Berlin')
    rejects(
      base({
        type: 3,
        to: undefined,
        blobVersionedHashes: [new Uint8Array(32).fill(1)],
        maxFeePerBlobGas: 1n,
      }),
      'CREATE_NOT_ALLOWED',
    )
    rejects(base({ type: 3, blobVersionedHashes: [], maxFeePerBlobGas: 1n }), 'NO_BLOBS')
    rejects(
      base({ type: 3, blobVersionedHashes: [new Uint8Array(32).fill(2)], maxFeePerBlobGas: 1n }),
      'INVALID_BLOB_VERSION',
    )
    rejects(
      base({ type: 3, blobVersionedHashes: [new Uint8Array(32).fill(1)], maxFeePerBlobGas: 0n }),
      'BLOB_FEE_CAP_BELOW_BLOB_BASE_FEE',
    )
    rejects(base({ gasLimit: (1n << 24n) + 1n }), 'GAS_LIMIT_EXCEEDS_CAP', 'Osaka')
    rejects(base({ to: undefined, data: new Uint8Array(49153), gasLimit: 10_000_000n }), 'INITCODE_TOO_LARGE')
    rejects(base({ data: new Uint8Array(100).fill(1), gasLimit: 23_000n }), 'FLOOR_GAS_ABOVE_LIMIT', 'Prague')
    const withCode = setup()
    withCode.put(SENDER, { balance: 10n ** 18n, code: asm('00') })
    rejects(base(), 'SENDER_NOT_EOA', 'Cancun', withCode)
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
