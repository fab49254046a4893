import type { Log } from '@crucible/evm-types'
import { bigIntToBytes, encodeRlp, keccak256 } from '@crucible/primitives'

/** RLP of a log list as receipts carry it: [[address, [topic, ...], data], ...]. */
export function encodeLogs(logs: readonly Log[]): Uint8Array {
  return encodeRlp(
    logs.map((log) => [
      bigIntToBytes(log.address, 20),
      log.topics.map((topic) => bigIntToBytes(topic, 32)),
      log.data,
    ]),
  )
}

/** keccak256 of {@link encodeLogs}: the `logs` field of a state test's post entry. */
export function logsHash(logs: readonly Log[]): Uint8Array {
  return keccak256(encodeLogs(logs))
}
