import { encodeBlock, headerHash } from '@crucible/block'
import { bytesToHex, equalBytes } from '@crucible/primitives'
import { decodeTransaction } from '@crucible/tx'
import type { ChainWriter } from './chain.js'
import type { Handler } from './context.js'
import { RpcError } from './errors.js'
import { argError, bytes, hash, object, required } from './params.js'
import { payloadToBlock } from './payload.js'

/** Engine API error codes (execution-apis `src/engine/common.md`). */
export const EngineErrorCode = {
  UnknownPayload: -38001,
  InvalidForkchoiceState: -38002,
  InvalidPayloadAttributes: -38003,
  TooLargeRequest: -38004,
  UnsupportedFork: -38005,
} as const

export const ENGINE_METHODS = [
  'engine_exchangeCapabilities',
  'engine_getClientVersionV1',
  'engine_newPayloadV1',
  'engine_newPayloadV2',
  'engine_newPayloadV3',
  'engine_newPayloadV4',
  'engine_forkchoiceUpdatedV1',
  'engine_forkchoiceUpdatedV2',
  'engine_forkchoiceUpdatedV3',
] as const

type Status = 'VALID' | 'INVALID' | 'SYNCING' | 'ACCEPTED' | 'INVALID_BLOCK_HASH'

function status(s: Status, latestValidHash: Uint8Array | null, validationError: string | null = null) {
  return { status: s, latestValidHash: latestValidHash ? bytesToHex(latestValidHash) : null, validationError }
}

/**
 * The Engine API over a {@link ChainWriter}: payloads are imported as blocks, forkchoice
 * updates set head, safe and finalized. Payload building is not offered (`payloadId` null).
 */
export function engineMethods(
  chain: ChainWriter,
  clientVersion = { code: 'CR', name: 'crucible', version: '0.1.0', commit: '0x00000000' },
): Record<string, Handler> {
  const newPayload =
    (version: number): Handler =>
    (_ctx, params) => {
      const extra: { parentBeaconBlockRoot?: Uint8Array; executionRequests?: Uint8Array[] } = {}
      let expectedBlobHashes: Uint8Array[] | undefined
      if (version >= 3) {
        const hashes = required(params, 1)
        if (!Array.isArray(hashes)) throw argError(1, 'expected blob versioned hashes')
        expectedBlobHashes = hashes.map((h) => hash(h, 1))
        extra.parentBeaconBlockRoot = hash(required(params, 2), 2)
      }
      if (version >= 4) {
        const requests = required(params, 3)
        if (!Array.isArray(requests)) throw argError(3, 'expected execution requests')
        extra.executionRequests = requests.map((r) => bytes(r, 3))
      }
      const { block, blockHash } = payloadToBlock(required(params, 0), 0, extra)
      const computed = headerHash(block.header)
      if (!equalBytes(computed, blockHash))
        return status(
          version === 1 ? 'INVALID_BLOCK_HASH' : 'INVALID',
          null,
          `blockhash mismatch, want ${bytesToHex(computed)}, got ${bytesToHex(blockHash)}`,
        )
      if (expectedBlobHashes) {
        const got: Uint8Array[] = []
        for (const raw of block.transactions) {
          if (raw[0] !== 3) continue
          const tx = decodeTransaction(raw)
          if (tx.type === 3) got.push(...tx.blobVersionedHashes)
        }
        if (
          got.length !== expectedBlobHashes.length ||
          got.some((h, i) => !equalBytes(h, expectedBlobHashes![i]!))
        )
          return status('INVALID', null, 'invalid blob versioned hashes')
      }
      if (chain.blockByHash(blockHash)) return status('VALID', blockHash)
      const parent = chain.blockByHash(block.header.parentHash)
      if (!parent) return status('SYNCING', null)
      const result = chain.importBlock(block, encodeBlock(block).length)
      if (!result.ok) return status('INVALID', parent.hash, result.error)
      return status('VALID', result.hash)
    }

  const forkchoiceUpdated: Handler = (_ctx, params) => {
    const state = object(required(params, 0), 0)
    const head = hash(state.headBlockHash, 0)
    const safe = hash(state.safeBlockHash, 0)
    const finalized = hash(state.finalizedBlockHash, 0)
    if (!chain.blockByHash(head)) return { payloadStatus: status('SYNCING', null), payloadId: null }
    if (!chain.forkchoice(head, safe, finalized))
      throw new RpcError(EngineErrorCode.InvalidForkchoiceState, 'Invalid forkchoice state')
    return { payloadStatus: status('VALID', head), payloadId: null }
  }

  return {
    engine_exchangeCapabilities: (_ctx, params) => {
      const theirs = required(params, 0)
      if (!Array.isArray(theirs)) throw argError(0, 'expected a list of methods')
      return [...ENGINE_METHODS]
    },
    engine_getClientVersionV1: () => [clientVersion],
    engine_newPayloadV1: newPayload(1),
    engine_newPayloadV2: newPayload(2),
    engine_newPayloadV3: newPayload(3),
    engine_newPayloadV4: newPayload(4),
    engine_forkchoiceUpdatedV1: forkchoiceUpdated,
    engine_forkchoiceUpdatedV2: forkchoiceUpdated,
    engine_forkchoiceUpdatedV3: forkchoiceUpdated,
  }
}
