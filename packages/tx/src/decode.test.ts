import { decodeRlp, encodeRlp, type RlpItem } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { KEY, sampleTransactions } from '../test/samples.js'
import {
  blockTransactionItem,
  decodeBlockTransaction,
  decodeNetworkTransaction,
  decodeTransaction,
  encodeTransaction,
  isTypedTransactionType,
  signTransaction,
  TxDecodeError,
} from './index.js'

function code(f: () => unknown): string {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(TxDecodeError)
    return (error as TxDecodeError).rejection
  }
  throw new Error('accepted')
}

/** `depth` lists around `inner`. */
function nest(depth: number, inner: RlpItem): RlpItem {
  let item = inner
  for (let i = 0; i < depth; i++) item = [item]
  return item
}

describe('hostile transaction input (issue 12)', () => {
  const signed = sampleTransactions().map((tx) => signTransaction(tx, KEY))

  it('knows the typed envelope types', () => {
    expect([0, 1, 2, 3, 4, 5, 0x7f, 0xc0].map(isTypedTransactionType)).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ])
  })

  // Defect 1: a deeply nested "transaction" cost depth × size before its typed error.
  it('refuses nesting deeper than a transaction has, before building it', () => {
    const deep = encodeRlp(nest(8000, new Uint8Array(100)))
    expect(decodeRlp(deep, { maxDepth: Infinity })).toBeDefined()
    expect(code(() => decodeTransaction(deep))).toBe('RLP_INVALID')
    const typedDeep = Uint8Array.of(2, ...encodeRlp(nest(6, Uint8Array.of(1))))
    expect(code(() => decodeTransaction(typedDeep))).toBe('RLP_INVALID')
    expect(code(() => decodeNetworkTransaction(typedDeep))).toBe('RLP_INVALID')
    // The deepest real shapes still decode: access-list storage keys, the blob wrapper.
    for (const tx of signed) expect(decodeTransaction(encodeTransaction(tx))).toEqual(tx)
  })

  // Defect 2: a block's byte string starting with 0xc0+ was taken for a legacy transaction.
  it('decodes block body elements as execution-specs does', () => {
    for (const tx of signed)
      expect(decodeBlockTransaction(decodeRlp(encodeRlp(blockTransactionItem(tx))))).toEqual(tx)
    const legacy = signed.find((tx) => tx.type === 0)!
    const wrapped = encodeTransaction(legacy) // the list's bytes, as a byte string
    expect(code(() => decodeBlockTransaction(wrapped))).toBe('TYPE_UNKNOWN')
    for (const bad of [Uint8Array.of(0), Uint8Array.of(5, 0xc0), Uint8Array.of(0x80)])
      expect(code(() => decodeBlockTransaction(bad))).toBe('TYPE_UNKNOWN')
    expect(code(() => decodeBlockTransaction(new Uint8Array(0)))).toBe('RLP_INVALID')
  })

  it('rejects unknown types before decoding their payload', () => {
    expect(code(() => decodeTransaction(Uint8Array.of(5, 0xc0)))).toBe('TYPE_UNKNOWN')
    expect(code(() => decodeTransaction(Uint8Array.of(0, 0xc0)))).toBe('TYPE_UNKNOWN')
  })

  // Defect 6: input that is not bytes.
  it('rejects input that is not bytes with TxDecodeError', () => {
    for (const bad of [null, undefined, '0x01', 1, [1], {}]) {
      expect(code(() => decodeTransaction(bad as never))).toBe('RLP_INVALID')
      expect(code(() => decodeNetworkTransaction(bad as never))).toBe('RLP_INVALID')
    }
    for (const bad of [null, undefined, '0x01', 1, {}])
      expect(code(() => decodeBlockTransaction(bad as never))).toBe('RLP_INVALID')
  })
})
