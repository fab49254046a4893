import { FORK_EIPS, type FORK_NAMES, getForkRules } from '@crucible/forks'
import { describe, expect, it } from 'vitest'
import { forkTable, IMMEDIATE_SIZE, OPCODE_NAMES, OPCODES } from '../src/interpreter/tables.js'

describe('the opcode list', () => {
  it('has one row per opcode, in order, each introduced by an EIP some fork activates', () => {
    const activated = new Set(Object.values(FORK_EIPS).flat())
    for (let i = 1; i < OPCODES.length; i++)
      expect(OPCODES[i]!.opcode).toBeGreaterThan(OPCODES[i - 1]!.opcode)
    for (const o of OPCODES) if (o.eip !== 0) expect(activated.has(o.eip), o.name).toBe(true)
    expect(OPCODES.length).toBe(150)
  })
  it('derives the names and immediate sizes', () => {
    expect(OPCODE_NAMES[0x01]).toBe('ADD')
    expect(OPCODE_NAMES[0x7f]).toBe('PUSH32')
    expect(OPCODE_NAMES[0x9f]).toBe('SWAP16')
    expect(OPCODE_NAMES[0x0c]).toBe('0x0c')
    expect(IMMEDIATE_SIZE[0x60]).toBe(1)
    expect(IMMEDIATE_SIZE[0x7f]).toBe(32)
    expect(IMMEDIATE_SIZE[0x5f]).toBe(0)
    expect(IMMEDIATE_SIZE.reduce((a, b) => a + b, 0)).toBe((32 * 33) / 2)
  })
  it('maps an opcode to INVALID before the EIP that introduces it', () => {
    expect(forkTable(getForkRules('Byzantium')).opmap[0x1b]).toBe(0xfe)
    expect(forkTable(getForkRules('Constantinople')).opmap[0x1b]).toBe(0x1b)
    expect(forkTable(getForkRules('Prague')).opmap[0x1e]).toBe(0xfe)
    expect(forkTable(getForkRules('Osaka')).opmap[0x1e]).toBe(0x1e)
    expect(forkTable(getForkRules('Frontier')).opmap[0xf4]).toBe(0xfe)
    expect(forkTable(getForkRules('Homestead')).opmap[0xf4]).toBe(0xf4)
  })
  it('takes repriced costs from the fork, and none for accesses EIP-2929 charges', () => {
    const gas = (fork: (typeof FORK_NAMES)[number], op: number) => forkTable(getForkRules(fork)).gas[op]
    expect([
      gas('Frontier', 0x31),
      gas('TangerineWhistle', 0x31),
      gas('Istanbul', 0x31),
      gas('Berlin', 0x31),
    ]).toEqual([20, 400, 700, 0])
    expect([gas('Frontier', 0xff), gas('Cancun', 0xff)]).toEqual([0, 5000])
    expect([gas('Cancun', 0xa4), gas('Cancun', 0xf5), gas('Cancun', 0x5b)]).toEqual([1875, 32000, 1])
  })
  it('bounds the stack from the inputs and outputs', () => {
    const t = forkTable(getForkRules('Cancun'))
    expect([t.minSp[0x8f], t.maxSp[0x8f]]).toEqual([16, 1023])
    expect([t.minSp[0x9f], t.maxSp[0x9f]]).toEqual([17, 1024])
    expect([t.minSp[0xf1], t.maxSp[0xf1]]).toEqual([7, 1024])
    expect(t.maxSp[0x30]).toBe(1023)
  })
})
