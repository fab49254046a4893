import { getForkRules } from '@crucible/forks'
import { describe, expect, it } from 'vitest'
import { calcBaseFee, calcBlobBaseFee, calcExcessBlobGas, checkGasLimit, fakeExponential } from './fees.js'

const london = getForkRules('London').params
const GWEI = 1_000_000_000n

describe('EIP-1559 base fee', () => {
  it('stays at target, moves by at most 1/8', () => {
    const parent = { gasLimit: 30_000_000n, baseFeePerGas: GWEI }
    expect(calcBaseFee({ ...parent, gasUsed: 15_000_000n }, london)).toBe(GWEI)
    expect(calcBaseFee({ ...parent, gasUsed: 30_000_000n }, london)).toBe(1_125_000_000n)
    expect(calcBaseFee({ ...parent, gasUsed: 0n }, london)).toBe(875_000_000n)
    // Just above target, the increase is at least 1 wei.
    expect(calcBaseFee({ gasLimit: 30_000_000n, gasUsed: 15_000_001n, baseFeePerGas: 8n }, london)).toBe(9n)
  })
  it('bounds the gas limit', () => {
    expect(checkGasLimit(30_029_295n, 30_000_000n)).toBe(true)
    expect(checkGasLimit(30_029_297n, 30_000_000n)).toBe(false)
    expect(checkGasLimit(4999n, 5000n)).toBe(false)
  })
})

describe('EIP-4844 blob gas', () => {
  const cancun = getForkRules('Cancun').params.blob!
  const osaka = getForkRules('Osaka').params.blob!
  it('fake_exponential', () => {
    expect(fakeExponential(1n, 0n, 1n)).toBe(1n)
    expect(fakeExponential(1n, 1n, 1n)).toBe(2n) // floor(e)
    expect(fakeExponential(1n, 2n, 1n)).toBe(6n) // floor(e^2) = 7 in reals; the series truncates
    expect(calcBlobBaseFee(0n, cancun)).toBe(1n)
    expect(calcBlobBaseFee(10n * 3338477n, cancun)).toBe(22026n) // ≈ e^10
  })
  it('excess blob gas', () => {
    const blob = 131072n
    expect(calcExcessBlobGas({ excessBlobGas: 0n, blobGasUsed: 2n * blob }, cancun, false)).toBe(0n)
    expect(calcExcessBlobGas({ excessBlobGas: 0n, blobGasUsed: 6n * blob }, cancun, false)).toBe(3n * blob)
    expect(calcExcessBlobGas({}, cancun, false)).toBe(0n)
  })
  it('EIP-7918 reserve price', () => {
    const blob = 131072n
    const parent = { excessBlobGas: 6n * blob, blobGasUsed: 9n * blob, baseFeePerGas: GWEI }
    // Blob fee 1 wei is far under BLOB_BASE_COST × base fee: grows by used × (max - target) / max.
    expect(calcExcessBlobGas(parent, osaka, true)).toBe(6n * blob + (9n * blob * 3n) / 9n)
    expect(calcExcessBlobGas({ ...parent, baseFeePerGas: 0n }, osaka, true)).toBe(9n * blob)
  })
})
