import { encodeRlp, hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { InvalidNodeError } from './errors.js'
import { BRANCH, decodeNode, EXT, encodeNode, LEAF } from './node.js'

describe('node codec', () => {
  it('round-trips leaf, extension and branch nodes', () => {
    const leaf = encodeRlp([hexToBytes('0x3a'), hexToBytes('0x0102')])
    expect(decodeNode(leaf).kind).toBe(LEAF)
    expect(encodeNode(decodeNode(leaf))).toEqual(leaf)
    const hash = new Uint8Array(32).fill(9)
    const ext = encodeRlp([hexToBytes('0x00ab'), hash])
    expect(decodeNode(ext).kind).toBe(EXT)
    expect(encodeNode(decodeNode(ext))).toEqual(ext)
    const items: Array<Uint8Array | Uint8Array[]> = Array.from({ length: 17 }, () => new Uint8Array(0))
    items[3] = hash
    items[7] = [hexToBytes('0x31'), hexToBytes('0x05')] // an embedded leaf
    items[16] = hexToBytes('0x99')
    const branch = encodeRlp(items)
    const decoded = decodeNode(branch)
    expect(decoded.kind).toBe(BRANCH)
    expect(encodeNode(decoded)).toEqual(branch)
  })

  it('rejects what is not a canonical node', () => {
    const bad = [
      '0x', // nothing
      '0x80', // a string, not a list
      '0xc3208105', // single byte 0x05 in long form
      '0xc4b8012005', // long length form for a short string
      '0xc22005ff', // trailing bytes
      '0xc3202005', // three items
      '0xc24005', // path flag 4
      '0xc21105', // even extension with a non-zero pad nibble
      '0xc5208300', // item runs past the list
      '0xc3008105', // extension child reference of one byte... non canonical
      '0xc4008205ab', // extension child reference of two bytes
    ]
    for (const hex of bad) expect(() => decodeNode(hexToBytes(hex)), hex).toThrow(InvalidNodeError)
  })
})
