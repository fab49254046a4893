import { bytesToHex, equalBytes } from '@crucible/primitives'
import { BlockError } from '../errors.js'
import type { BlockHeader } from '../header/header.js'
import type { BlockResult } from './apply.js'

/** Compares an execution result with the header's commitments (execution-specs `state_transition`). */
export function validateResult(header: BlockHeader, result: BlockResult): void {
  if (result.gasUsed !== header.gasUsed) {
    throw new BlockError('INVALID_GAS_USED', 'gas used differs from the header', {
      gasUsed: result.gasUsed,
      header: header.gasUsed,
    })
  }
  if (!equalBytes(result.receiptsRoot, header.receiptsRoot)) {
    throw new BlockError('INVALID_RECEIPTS_ROOT', 'receipts root differs from the header', {
      got: bytesToHex(result.receiptsRoot),
    })
  }
  if (!equalBytes(result.logsBloom, header.logsBloom)) {
    throw new BlockError('INVALID_LOG_BLOOM', 'logs bloom differs from the header')
  }
  if (header.blobGasUsed !== undefined && result.blobGasUsed !== header.blobGasUsed) {
    throw new BlockError('INVALID_BLOB_GAS_USED', 'blob gas used differs from the header', {
      blobGasUsed: result.blobGasUsed,
      header: header.blobGasUsed,
    })
  }
  if (
    header.requestsHash !== undefined &&
    !equalBytes(result.requestsHash ?? new Uint8Array(0), header.requestsHash)
  ) {
    throw new BlockError('INVALID_REQUESTS', 'requests hash differs from the header')
  }
  if (!equalBytes(result.stateRoot, header.stateRoot)) {
    throw new BlockError('INVALID_STATE_ROOT', 'state root differs from the header', {
      got: bytesToHex(result.stateRoot),
      header: bytesToHex(header.stateRoot),
    })
  }
}
