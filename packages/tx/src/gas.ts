import type { AccessListEntry } from '@crucible/evm-types'
import type { ForkRules } from '@crucible/forks'

/** What the intrinsic cost depends on; every transaction type has these fields. */
export interface IntrinsicGasFields {
  to: bigint | undefined
  data: Uint8Array
  accessList?: readonly AccessListEntry[]
  authorizationList?: readonly unknown[]
}

function countZeroBytes(data: Uint8Array): number {
  let zeros = 0
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++
  return zeros
}

/** EIP-7623 calldata tokens: one per zero byte, four per non-zero byte. */
export function calldataTokens(data: Uint8Array, rules: ForkRules): bigint {
  const zeros = countZeroBytes(data)
  return BigInt(zeros + (data.length - zeros) * rules.params.txTokensPerNonZeroByte)
}

/**
 * The gas charged before execution starts: the base cost (21000, or 53000 for a creation
 * from Homestead), calldata (4 per zero byte, 68 per non-zero byte, 16 from Istanbul),
 * EIP-3860 initcode words from Shanghai, EIP-2930 access-list entries and EIP-7702
 * authorizations (25000 each).
 */
export function intrinsicGas(tx: IntrinsicGasFields, rules: ForkRules): bigint {
  const p = rules.params
  const data = tx.data
  const zeros = countZeroBytes(data)
  let gas = p.txGas + zeros * p.txDataZeroGas + (data.length - zeros) * p.txDataNonZeroGas
  if (tx.to === undefined) gas += p.txCreateGas - p.txGas + p.initCodeWordGas * Math.ceil(data.length / 32)
  if (tx.accessList) {
    for (const entry of tx.accessList)
      gas += p.txAccessListAddressGas + entry.storageKeys.length * p.txAccessListStorageKeyGas
  }
  if (tx.authorizationList) gas += tx.authorizationList.length * p.authEmptyAccountGas
  return BigInt(gas)
}

/**
 * The EIP-7623 floor (from Prague): `21000 + 10 * tokens`. A transaction's gas used is at
 * least this, and its gas limit must cover it. Zero before Prague, when there is no floor.
 */
export function floorGas(tx: { data: Uint8Array }, rules: ForkRules): bigint {
  const p = rules.params
  if (p.txFloorTokenGas === 0) return 0n
  return BigInt(p.txGas) + calldataTokens(tx.data, rules) * BigInt(p.txFloorTokenGas)
}
