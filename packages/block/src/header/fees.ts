import { type BlobParams, CONSTANTS, type ForkParams } from '@crucible/forks'

/**
 * EIP-1559/3675 gas-limit rule: the limit may move by less than 1/1024 of the parent's per
 * block and never below 5000.
 */
export function checkGasLimit(gasLimit: bigint, parentGasLimit: bigint): boolean {
  const maxDelta = parentGasLimit / CONSTANTS.gasLimitBoundDivisor
  if (gasLimit >= parentGasLimit + maxDelta) return false
  if (gasLimit <= parentGasLimit - maxDelta) return false
  return gasLimit >= CONSTANTS.minGasLimit
}

/**
 * EIP-1559 base fee of a block from its parent (execution-specs `calculate_base_fee_per_gas`).
 * The London fork block itself has {@link CONSTANTS.initialBaseFee}; see `validateHeader`.
 */
export function calcBaseFee(
  parent: { gasLimit: bigint; gasUsed: bigint; baseFeePerGas: bigint },
  params: Pick<ForkParams, 'elasticityMultiplier' | 'baseFeeMaxChangeDenominator'>,
): bigint {
  const target = parent.gasLimit / params.elasticityMultiplier
  const baseFee = parent.baseFeePerGas
  if (parent.gasUsed === target) return baseFee
  if (parent.gasUsed > target) {
    const delta = (baseFee * (parent.gasUsed - target)) / target / params.baseFeeMaxChangeDenominator
    return baseFee + (delta > 1n ? delta : 1n)
  }
  const delta = (baseFee * (target - parent.gasUsed)) / target / params.baseFeeMaxChangeDenominator
  return baseFee - delta
}

/** EIP-4844 `fake_exponential`: factor × e^(numerator / denominator), in integers. */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n
  let output = 0n
  let accum = factor * denominator
  while (accum > 0n) {
    output += accum
    accum = (accum * numerator) / (denominator * i)
    i += 1n
  }
  return output / denominator
}

/** The blob base fee for a block's excess blob gas under the given blob parameters. */
export function calcBlobBaseFee(excessBlobGas: bigint, blob: BlobParams): bigint {
  return fakeExponential(CONSTANTS.minBlobBaseFee, excessBlobGas, blob.baseFeeUpdateFraction)
}

/**
 * A block's excess blob gas from its parent (EIP-4844 `calc_excess_blob_gas`), using the
 * child's blob parameters (so a fork-transition block already uses the new target). With
 * `reservePrice` (EIP-7918, Osaka), when execution gas makes blobs cheaper than
 * BLOB_BASE_COST × base fee, the excess only grows by the above-target share of blob gas.
 */
export function calcExcessBlobGas(
  parent: { excessBlobGas?: bigint; blobGasUsed?: bigint; baseFeePerGas?: bigint },
  blob: BlobParams,
  reservePrice: boolean,
): bigint {
  const parentExcess = parent.excessBlobGas ?? 0n
  const parentUsed = parent.blobGasUsed ?? 0n
  const target = BigInt(blob.target) * CONSTANTS.gasPerBlob
  if (parentExcess + parentUsed < target) return 0n
  if (reservePrice) {
    const baseFee = parent.baseFeePerGas ?? 0n
    if (CONSTANTS.blobBaseCost * baseFee > CONSTANTS.gasPerBlob * calcBlobBaseFee(parentExcess, blob)) {
      const max = BigInt(blob.max)
      return parentExcess + (parentUsed * (max - BigInt(blob.target))) / max
    }
  }
  return parentExcess + parentUsed - target
}
