import { describe, expect, it } from 'vitest'
import { decodeSourceMap, instructionOfPc, JUMP_IN, JUMP_NONE, JUMP_OUT } from './source-map.js'

describe('legacy source maps', () => {
  it('decodes the compressed form: empty fields and entries inherit', () => {
    // The example of the solc docs, plus an entry with every field and one with none.
    const m = decodeSourceMap('1:2:1;1:9:1;2:1:2;2:1:2;2:1:2;:::o:1;;-1:-1:-1:-')
    expect(Array.from(m.start)).toEqual([1, 1, 2, 2, 2, 2, 2, -1])
    expect(Array.from(m.span)).toEqual([2, 9, 1, 1, 1, 1, 1, -1])
    expect(Array.from(m.file)).toEqual([1, 1, 2, 2, 2, 2, 2, -1])
    expect(Array.from(m.jump)).toEqual([0, 0, 0, 0, 0, JUMP_OUT, JUMP_OUT, JUMP_NONE])
    expect(Array.from(m.modifierDepth)).toEqual([0, 0, 0, 0, 0, 1, 1, 1])
    expect(decodeSourceMap('5:3:0:i').jump[0]).toBe(JUMP_IN)
    expect(decodeSourceMap('').length).toBe(0)
    expect(() => decodeSourceMap('1:x')).toThrow(/bad number/)
  })

  it('counts instructions, not bytes: PUSH immediates belong to their PUSH', () => {
    // PUSH1 0x80, PUSH2 0x0102, ADD, PUSH32 (cut short by the end of the code)
    const code = Uint8Array.from([0x60, 0x80, 0x61, 0x01, 0x02, 0x01, 0x7f, 0xaa])
    expect(Array.from(instructionOfPc(code))).toEqual([0, -1, 1, -1, -1, 2, 3, -1])
  })
})
