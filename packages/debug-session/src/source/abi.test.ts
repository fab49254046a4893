import { hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { decodeEvent, decodeParameters, selectorOf, signature } from './abi.js'
import { decodeRevert } from './decode.js'

const w = (v: bigint | number) => BigInt(v).toString(16).padStart(64, '0')
const data = (...words: string[]) => hexToBytes(`0x${words.join('')}`)

describe('the ABI decoder', () => {
  it('spells signatures and selectors as solc does', () => {
    const transfer = {
      type: 'function',
      name: 'transfer',
      inputs: [
        { name: 'to', type: 'address' },
        { name: 'amount', type: 'uint256' },
      ],
    }
    expect(signature(transfer)).toBe('transfer(address,uint256)')
    expect(selectorOf(transfer)).toBe('0xa9059cbb')
    const tupled = {
      type: 'function',
      name: 'f',
      inputs: [{ type: 'tuple[]', components: [{ type: 'uint8' }, { type: 'bytes' }] }],
    }
    expect(signature(tupled)).toBe('f((uint8,bytes)[])')
  })

  it('decodes static and dynamic types, nested', () => {
    const params = [
      { name: 'n', type: 'int8' },
      { name: 'ok', type: 'bool' },
      { name: 'b', type: 'bytes' },
      { name: 'xs', type: 'uint16[]' },
      {
        name: 'pair',
        type: 'tuple',
        components: [
          { name: 'a', type: 'address' },
          { name: 's', type: 'string' },
        ],
      },
      { name: 'fixed', type: 'bytes2[2]' },
    ]
    const encoded = data(
      w((1n << 256n) - 2n), // -2
      w(1),
      w(8 * 32), // b at 256
      w(10 * 32), // xs at 320
      w(13 * 32), // pair at 416
      `1234${'0'.repeat(60)}`,
      `5678${'0'.repeat(60)}`,
      w(0), // padding word (offsets above point past it)
      w(2), // b: length 2
      `abcd${'0'.repeat(60)}`,
      w(2), // xs: length 2
      w(7),
      w(65535),
      w(0xdead), // pair.a
      w(64), // pair.s offset (relative to the tuple)
      w(2),
      `6869${'0'.repeat(60)}`, // "hi"
    )
    expect(decodeParameters(params, encoded)).toEqual([
      { name: 'n', type: 'int8', value: '-2' },
      { name: 'ok', type: 'bool', value: true },
      { name: 'b', type: 'bytes', value: '0xabcd' },
      { name: 'xs', type: 'uint16[]', value: ['7', '65535'] },
      { name: 'pair', type: '(address,string)', value: ['0x000000000000000000000000000000000000dead', 'hi'] },
      { name: 'fixed', type: 'bytes2[2]', value: ['0x1234', '0x5678'] },
    ])
  })

  it('refuses data that does not fit instead of guessing', () => {
    expect(decodeParameters([{ type: 'uint8' }], data(w(256)))).toBeUndefined()
    expect(decodeParameters([{ type: 'string' }], data(w(32), w(100)))).toBeUndefined()
    expect(decodeParameters([{ type: 'uint256' }], new Uint8Array(31))).toBeUndefined()
  })

  it('decodes events with indexed arguments from the topics', () => {
    const transfer = {
      type: 'event',
      name: 'Transfer',
      inputs: [
        { name: 'from', type: 'address', indexed: true },
        { name: 'to', type: 'address', indexed: true },
        { name: 'value', type: 'uint256' },
      ],
    }
    const topics = [new Uint8Array(32), data(w(1)), data(w(2))]
    expect(decodeEvent(transfer, topics, data(w(5)))!.map((a) => a.value)).toEqual([
      '0x0000000000000000000000000000000000000001',
      '0x0000000000000000000000000000000000000002',
      '5',
    ])
  })

  it('decodes Error(string) and Panic(uint256) without any ABI', () => {
    const reason = data(w(32), w(5), `68656c6c6f${'0'.repeat(54)}`)
    expect(decodeRevert(new Uint8Array([0x08, 0xc3, 0x79, 0xa0, ...reason]))).toEqual({
      kind: 'error',
      reason: 'hello',
    })
    expect(decodeRevert(new Uint8Array([0x4e, 0x48, 0x7b, 0x71, ...data(w(0x11))]))).toEqual({
      kind: 'panic',
      code: '0x11',
      reason: 'arithmetic overflow or underflow',
    })
    expect(decodeRevert(new Uint8Array([1, 2, 3]))).toBeUndefined()
  })
})
