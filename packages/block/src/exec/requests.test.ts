import { bytesToHex, concatBytes, hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { BlockError } from '../errors.js'
import {
  DEPOSIT_EVENT_TOPIC,
  depositRequestData,
  depositRequests,
  EMPTY_REQUESTS_HASH,
  requestsHash,
} from './requests.js'

function word(n: number): Uint8Array {
  const w = new Uint8Array(32)
  w[30] = n >> 8
  w[31] = n & 0xff
  return w
}

/** A DepositEvent's ABI data: five offsets, then each field as length ‖ bytes padded to 32. */
function depositEvent(fill: number): Uint8Array {
  const field = (size: number, padded: number) =>
    concatBytes(word(size), new Uint8Array(padded).fill(fill, 0, size))
  return concatBytes(
    word(160),
    word(256),
    word(320),
    word(384),
    word(512),
    field(48, 64),
    field(32, 32),
    field(8, 32),
    field(96, 96),
    field(8, 32),
  )
}

describe('EIP-6110 deposits and EIP-7685 requests', () => {
  it('extracts pubkey, credentials, amount, signature and index', () => {
    const data = depositEvent(7)
    expect(data.length).toBe(576)
    const request = depositRequestData(data)
    expect(request.length).toBe(48 + 32 + 8 + 96 + 8)
    expect(request.every((b) => b === 7)).toBe(true)
  })

  it('rejects any other layout', () => {
    const data = depositEvent(1)
    data[31] = 0 // first offset no longer 160
    expect(() => depositRequestData(data)).toThrow(BlockError)
    expect(() => depositRequestData(data.subarray(0, 575))).toThrow(BlockError)
  })

  it('reads only the deposit contract DepositEvent logs', () => {
    const log = { address: 5n, topics: [DEPOSIT_EVENT_TOPIC], data: depositEvent(2) }
    expect(depositRequests([log, { ...log, address: 6n }, { ...log, topics: [1n] }], 5n).length).toBe(192)
  })

  it('hashes requests', () => {
    expect(bytesToHex(EMPTY_REQUESTS_HASH)).toBe(bytesToHex(requestsHash([])))
    // sha256 of the empty string: no request types carry data.
    expect(bytesToHex(EMPTY_REQUESTS_HASH)).toBe(
      '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(requestsHash([hexToBytes('0x0001')])).not.toEqual(EMPTY_REQUESTS_HASH)
  })
})
