import { hexToBytes } from '@crucible/primitives'
import { signAuthorization, type UnsignedTransaction } from '../src/index.js'

/** The key the samples are signed with (the EIP-155 example key). */
export const KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')
export const TO = 0x3535353535353535353535353535353535353535n

/** One unsigned transaction of every type. */
export function sampleTransactions(): UnsignedTransaction[] {
  const common = { nonce: 9n, gasLimit: 100_000n, to: TO, value: 10n ** 18n, data: Uint8Array.of(1, 0, 2) }
  const accessList = [{ address: TO, storageKeys: [0n, 1n << 255n] }]
  const fees = { chainId: 1n, maxPriorityFeePerGas: 2n, maxFeePerGas: 30_000_000_000n, accessList }
  return [
    { type: 0, ...common, gasPrice: 20_000_000_000n },
    { type: 0, ...common, gasPrice: 20_000_000_000n, chainId: 1n },
    { type: 0, ...common, to: undefined, gasPrice: 1n, chainId: 5n },
    { type: 1, ...common, chainId: 1n, gasPrice: 20_000_000_000n, accessList },
    { type: 1, ...common, to: undefined, chainId: 1n, gasPrice: 1n, accessList: [] },
    { type: 2, ...common, ...fees },
    {
      type: 3,
      ...common,
      ...fees,
      maxFeePerBlobGas: 7n,
      blobVersionedHashes: [
        new Uint8Array(32).fill(1),
        Uint8Array.from({ length: 32 }, (_, i) => (i ? i : 1)),
      ],
    },
    {
      type: 4,
      ...common,
      ...fees,
      authorizationList: [signAuthorization({ chainId: 1n, address: TO, nonce: 3n }, KEY)],
    },
  ]
}
