import { bytesToHex } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { asm } from './asm.js'

describe('asm (the test assembler)', () => {
  it('assembles mnemonics with their immediates, and raw hex as it stands', () => {
    expect(bytesToHex(asm('PUSH1 0x01 PUSH1 2 ADD PUSH0 SSTORE STOP'))).toBe('0x60016002015f5500')
    expect(bytesToHex(asm('PUSH4 0xdeadbeef PUSH2 1'))).toBe('0x63deadbeef610001')
    expect(bytesToHex(asm('PUSH32 0x01'))).toBe(`0x7f${'00'.repeat(31)}01`)
    expect(asm('6001 6002 01')).toEqual(asm('PUSH1 0x01 PUSH1 0x02 ADD'))
    expect(bytesToHex(asm('  CALLER\n  0xfe  '))).toBe('0x33fe')
  })

  it('refuses what it cannot assemble', () => {
    expect(() => asm('PUSH1')).toThrow(/needs an immediate/)
    expect(() => asm('PUSH1 ADD')).toThrow(/needs an immediate/)
    expect(() => asm('PUSH1 0x100')).toThrow(/does not fit/)
    expect(() => asm('ADDD')).toThrow(/unknown token/)
    expect(() => asm('600')).toThrow(/unknown token/)
  })
})
