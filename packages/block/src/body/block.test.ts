import { readFileSync } from 'node:fs'
import { bytesToHex, decodeRlp, encodeRlp, hexToBytes, type RlpItem } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { BlockError } from '../errors.js'
import { decodeHeader } from '../header/header.js'
import { headerFromJson } from '../header/json.js'
import { decodeBlock, encodeBlock } from './block.js'

const FIXTURE =
  '/work/shared/fixtures/ethereum-tests/BlockchainTests/ValidBlocks/bcEIP4844-blobtransactions/blockWithAllTransactionTypes.json'

/** A Cancun block whose body holds a legacy transaction and typed ones. */
function fixtureBlock(): Uint8Array {
  const tests = Object.values(JSON.parse(readFileSync(FIXTURE, 'utf8'))) as Array<{
    blocks: Array<{ rlp: string }>
  }>
  for (const test of tests) {
    for (const block of test.blocks) {
      const parts = decodeRlp(hexToBytes(block.rlp)) as RlpItem[]
      const txs = parts[1] as RlpItem[]
      if (txs.some(Array.isArray) && txs.some((tx) => tx instanceof Uint8Array)) return hexToBytes(block.rlp)
    }
  }
  throw new Error('no block with legacy and typed transactions')
}

/** The block's RLP with its transaction list replaced. */
function withTransactions(block: Uint8Array, transactions: (txs: RlpItem[]) => RlpItem[]): Uint8Array {
  const parts = decodeRlp(block) as RlpItem[]
  parts[1] = transactions(parts[1] as RlpItem[])
  return encodeRlp(parts)
}

function rejection(f: () => unknown): BlockError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(BlockError)
    expect((error as BlockError).reason).toBe('RLP_STRUCTURES_ENCODING')
    return error as BlockError
  }
  throw new Error('accepted')
}

describe('block decoding (issue 12)', () => {
  const block = fixtureBlock()

  it('round-trips the fixture block byte for byte', () => {
    expect(bytesToHex(encodeBlock(decodeBlock(block)))).toBe(bytesToHex(block))
  })

  // Defect 2: a legacy transaction's list wrapped in a byte string was accepted (and then
  // executed as a legacy transaction); encodeBlock did not give the same bytes back.
  it('rejects a legacy transaction carried as a byte string', () => {
    const wrapped = withTransactions(block, (txs) =>
      txs.map((tx) => (Array.isArray(tx) ? encodeRlp(tx) : tx)),
    )
    expect(rejection(() => decodeBlock(wrapped)).message).toMatch(
      /must be a typed transaction.*starts with 0xf8/,
    )
  })

  it('rejects byte strings that are not typed envelopes', () => {
    for (const bad of [
      new Uint8Array(0),
      Uint8Array.of(0),
      Uint8Array.of(5, 0xc0),
      Uint8Array.of(0x7f),
      Uint8Array.of(0xc0),
    ]) {
      rejection(() => decodeBlock(withTransactions(block, (txs) => [...txs, bad])))
    }
  })

  it('rejects a legacy transaction list without nine fields', () => {
    rejection(() => decodeBlock(withTransactions(block, (txs) => [...txs, [Uint8Array.of(1)]])))
  })

  // Defect 3: a body element that is a list of ~125,000+ items threw a RangeError.
  it('rejects a body transaction list of 200,000 items with a typed error', () => {
    const wide = Array.from({ length: 200_000 }, () => Uint8Array.of(1))
    rejection(() => decodeBlock(withTransactions(block, (txs) => [...txs, wide])))
  })

  // Defect 1: nesting cost depth × size before the error; now the depth limit stops it.
  it('refuses nesting deeper than a block has, before building it', () => {
    let deep: Uint8Array = encodeRlp(new Uint8Array(1000))
    for (let i = 0; i < 8000; i++) deep = encodeRlpListOf(deep)
    const error = rejection(() => decodeBlock(deep))
    expect(String((error.cause as Error).message)).toMatch(/nested deeper than the limit of 3/)
    rejection(() => decodeBlock(withTransactions(block, (txs) => [...txs, [[[Uint8Array.of(1)]]]])))
    expect(() => decodeHeader(deep)).toThrow(BlockError)
  })

  // Defect 6: input that is not bytes.
  it('rejects input that is not bytes with BlockError', () => {
    for (const bad of [null, undefined, '0xc0', 0xc0, [0xc0], {}]) {
      rejection(() => decodeBlock(bad as never))
      rejection(() => decodeHeader(bad as never))
    }
  })
})

function encodeRlpListOf(encoded: Uint8Array): Uint8Array {
  const n = encoded.length
  const header =
    n < 56
      ? Uint8Array.of(0xc0 + n)
      : n < 256
        ? Uint8Array.of(0xf8, n)
        : n < 65536
          ? Uint8Array.of(0xf9, n >> 8, n & 255)
          : Uint8Array.of(0xfa, n >> 16, (n >> 8) & 255, n & 255)
  const out = new Uint8Array(header.length + n)
  out.set(header)
  out.set(encoded, header.length)
  return out
}

describe('header JSON input (issue 12)', () => {
  it('rejects JSON that is not a header object with BlockError', () => {
    for (const bad of [null, undefined, '0x', 1, [1], {}]) {
      expect(() => headerFromJson(bad as never)).toThrow(BlockError)
    }
  })
})
