import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import { CONTRACT, exec, outWord, RETURN_TOP } from './helpers.js'

const MAX = (1n << 256n) - 1n
const push32 = (v: bigint) => `7f${v.toString(16).padStart(64, '0')}`

/** Runs `a OP b` style code with the operands pushed so that `first` ends on top. */
function binary(op: string, first: bigint, second: bigint, fork: 'Cancun' | 'Osaka' = 'Cancun'): bigint {
  const { r } = exec(`${push32(second)} ${push32(first)} ${op} ${RETURN_TOP}`, { fork })
  expect(r.outcome).toBe(Outcome.Success)
  return outWord(r)
}

describe('arithmetic', () => {
  it('wraps ADD, SUB and MUL modulo 2^256', () => {
    expect(binary('01', MAX, 2n)).toBe(1n)
    expect(binary('03', 0n, 1n)).toBe(MAX)
    expect(binary('02', MAX, MAX)).toBe(1n)
  })
  it('divides by zero to zero', () => {
    expect(binary('04', 5n, 0n)).toBe(0n)
    expect(binary('06', 5n, 0n)).toBe(0n)
    expect(binary('05', 5n, 0n)).toBe(0n)
    expect(binary('07', 5n, 0n)).toBe(0n)
  })
  it('SDIV and SMOD follow the sign rules', () => {
    const neg = (v: bigint) => (1n << 256n) - v
    expect(binary('05', neg(10n), 3n)).toBe(neg(3n))
    expect(binary('07', neg(10n), 3n)).toBe(neg(1n))
    expect(binary('07', 10n, neg(3n))).toBe(1n)
    // -2^255 / -1 overflows to -2^255.
    expect(binary('05', 1n << 255n, MAX)).toBe(1n << 255n)
  })
  it('ADDMOD and MULMOD use unbounded intermediates', () => {
    const { r } = exec(`6003 ${push32(MAX)} ${push32(MAX)} 08 ${RETURN_TOP}`)
    expect(outWord(r)).toBe((MAX + MAX) % 3n)
    const m = exec(`6007 ${push32(MAX)} ${push32(MAX)} 09 ${RETURN_TOP}`).r
    expect(outWord(m)).toBe((MAX * MAX) % 7n)
  })
  it('SIGNEXTEND extends from the given byte', () => {
    expect(binary('0b', 0n, 0xffn)).toBe(MAX)
    expect(binary('0b', 0n, 0x7fn)).toBe(0x7fn)
    expect(binary('0b', 1n, 0x80ffn)).toBe(MAX - 0x7f00n)
    expect(binary('0b', 31n, 0x80n)).toBe(0x80n)
  })
  it('charges EXP per exponent byte: 10 before, 50 from EIP-160', () => {
    const code = `61 0100 6002 0a 00` // 2 ** 0x100, exponent is 2 bytes
    expect(exec(code, { fork: 'Frontier' }).gasUsed).toBe(3 + 3 + 10 + 2 * 10)
    expect(exec(code, { fork: 'SpuriousDragon' }).gasUsed).toBe(3 + 3 + 10 + 2 * 50)
    expect(binary('0a', 2n, 255n)).toBe(1n << 255n)
    expect(binary('0a', 2n, 256n)).toBe(0n)
    expect(binary('0a', 3n, 0n)).toBe(1n)
  })
})

describe('EIP-145 shifts (the EIP test table)', () => {
  const one = 1n
  const cases: [string, bigint, bigint, bigint][] = [
    // op, value, shift, expected
    ['1b', one, 0x00n, one],
    ['1b', one, 0x01n, 2n],
    ['1b', one, 0xffn, 1n << 255n],
    ['1b', one, 0x100n, 0n],
    ['1b', one, 0x101n, 0n],
    ['1b', MAX, 0x00n, MAX],
    ['1b', MAX, 0x01n, MAX - 1n],
    ['1b', MAX, 0xffn, 1n << 255n],
    ['1b', 0n, 0x01n, 0n],
    ['1b', (1n << 255n) - 1n, 0x01n, MAX - 1n],
    ['1c', one, 0x00n, one],
    ['1c', one, 0x01n, 0n],
    ['1c', 1n << 255n, 0x01n, 1n << 254n],
    ['1c', 1n << 255n, 0xffn, 1n],
    ['1c', 1n << 255n, 0x100n, 0n],
    ['1c', MAX, 0xffn, 1n],
    ['1c', MAX, 0x101n, 0n],
    ['1d', 1n << 255n, 0x01n, 0xc0n << 248n],
    ['1d', 1n << 255n, 0xffn, MAX],
    ['1d', 1n << 255n, 0x100n, MAX],
    ['1d', MAX, 0x01n, MAX],
    ['1d', 0x4000n << 240n, 0xfen, 1n],
    ['1d', (1n << 255n) - 1n, 0xf8n, 0x7fn],
    ['1d', (1n << 255n) - 1n, 0xffn, 0n],
    ['1d', (1n << 255n) - 1n, 0x100n, 0n],
  ]
  for (const [op, value, shift, expected] of cases) {
    it(`${op === '1b' ? 'SHL' : op === '1c' ? 'SHR' : 'SAR'} ${value.toString(16)} by ${shift}`, () => {
      expect(binary(op, shift, value)).toBe(expected)
    })
  }
  it('is undefined before Constantinople', () => {
    const { r } = exec('6001 6001 1b 00', { fork: 'Byzantium' })
    expect(r.outcome).not.toBe(Outcome.Success)
    expect(r.halt).toBe('InvalidOpcode')
  })
})

describe('EIP-7939 CLZ', () => {
  it('counts leading zero bits', () => {
    const clz = (v: bigint) => outWord(exec(`${push32(v)} 1e ${RETURN_TOP}`, { fork: 'Osaka' }).r)
    expect(clz(0n)).toBe(256n)
    expect(clz(1n)).toBe(255n)
    expect(clz(1n << 255n)).toBe(0n)
    expect(clz(MAX)).toBe(0n)
    expect(clz((1n << 255n) - 1n)).toBe(1n)
  })
  it('costs 5 and exists only from Osaka', () => {
    expect(exec('6001 1e 00', { fork: 'Osaka' }).gasUsed).toBe(8)
    expect(exec('6001 1e 00', { fork: 'Prague' }).r.halt).toBe('InvalidOpcode')
  })
})

describe('memory', () => {
  it('MSTORE/MLOAD round-trip words and charge expansion', () => {
    const { r, gasUsed } = exec(`${push32(0x0102n)} 6040 52 6040 51 ${RETURN_TOP}`)
    expect(outWord(r)).toBe(0x0102n)
    // 3+3+3(MSTORE)+mem(3 words)=9, 3+3(MLOAD), then 3+3+3+3+0(RETURN)
    expect(gasUsed).toBe(3 + 3 + 3 + 9 + 3 + 3 + 3 + 3 + 3 + 3)
  })
  it('runs out of gas on absurd offsets', () => {
    const { r } = exec(`${push32(1n << 200n)} 51 00`)
    expect(r.outcome).not.toBe(Outcome.Success)
    expect(r.halt).toBe('OutOfGas')
  })
  it('MSIZE is in words of 32 bytes', () => {
    expect(outWord(exec(`6000 6020 53 59 ${RETURN_TOP}`).r)).toBe(64n)
  })
  it('EIP-5656 MCOPY copies with overlap', () => {
    // mem[0..32] = 0x00..0102...; MCOPY(dst=1, src=0, len=31) shifts right by one byte.
    const word = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20n
    const { r, gasUsed } = exec(`${push32(word)} 6000 52 601f 6000 6001 5e 6000 51 ${RETURN_TOP}`)
    expect(outWord(r)).toBe((word >> 8n) | (0x01n << 248n))
    // PUSH32, PUSH1, MSTORE+1 word, 3×PUSH1, MCOPY+1 word, PUSH1, MLOAD, then RETURN_TOP
    expect(gasUsed).toBe(3 + 3 + 6 + 9 + 6 + 3 + 3 + 3 + 3 + 3 + 3)
    expect(exec('6000 6000 6000 5e 00', { fork: 'Shanghai' }).r.halt).toBe('InvalidOpcode')
  })
})

describe('control flow', () => {
  it('jumps only to JUMPDEST outside push data', () => {
    expect(exec('6004 56 00 5b 00').r.outcome).toBe(Outcome.Success)
    expect(exec('6003 56 00 00').r.halt).toBe('InvalidJump')
    expect(exec('6009 56 00').r.halt).toBe('InvalidJump')
    // 0x5b inside PUSH1 data is not a destination.
    expect(exec('6004 56 00 605b 00').r.halt).toBe('InvalidJump')
  })
  it('reports stack underflow and overflow', () => {
    expect(exec('01').r.halt).toBe('StackUnderflow')
    expect(exec('5b 6000 6000 56').r.halt).toBe('StackOverflow')
  })
  it('EIP-3855 PUSH0 costs 2 from Shanghai and is invalid before', () => {
    expect(exec('5f 00', { fork: 'Shanghai' }).gasUsed).toBe(2)
    expect(exec('5f 00', { fork: 'Paris' }).r.halt).toBe('InvalidOpcode')
  })
  it('PUSH past the end of code reads zeros', () => {
    expect(exec('7f01').r.outcome).toBe(Outcome.Success)
  })
})

describe('EIP-1153 transient storage', () => {
  it('stores and loads within the transaction, costing 100 each', () => {
    const { r, gasUsed } = exec(`602a 6001 5d 6001 5c ${RETURN_TOP}`)
    expect(outWord(r)).toBe(42n)
    expect(gasUsed).toBe(3 + 3 + 100 + 3 + 100 + 3 + 6 + 3 + 3)
  })
  it('TSTORE is forbidden in a static context', () => {
    expect(exec('6001 6001 5d 00', { isStatic: true }).r.halt).toBe('WriteInStaticContext')
  })
})

describe('environment', () => {
  it('pushes ADDRESS, CALLER, CALLVALUE and CALLDATA', () => {
    expect(outWord(exec(`30 ${RETURN_TOP}`).r)).toBe(CONTRACT)
    const data = new Uint8Array(33).fill(1)
    expect(outWord(exec(`6001 35 ${RETURN_TOP}`, { data }).r)).toBe(BigInt(`0x${'01'.repeat(32)}`))
    expect(outWord(exec(`6010 35 ${RETURN_TOP}`, { data }).r)).toBe(
      BigInt(`0x${'01'.repeat(17)}${'00'.repeat(15)}`),
    )
    expect(outWord(exec(`36 ${RETURN_TOP}`, { data }).r)).toBe(33n)
  })
  it('RETURNDATACOPY out of bounds is an exceptional halt (EIP-211)', () => {
    expect(exec('6001 6000 6000 3e 00').r.halt).toBe('OutOfBoundsRead')
    expect(exec('6000 6000 6000 3e 00').r.outcome).toBe(Outcome.Success)
  })
  it('charges cold then warm account access under EIP-2929', () => {
    // BALANCE of a cold address: 2600, then warm: 100.
    expect(exec('6099 31 50 6099 31 50 00', { fork: 'Berlin' }).gasUsed).toBe(3 + 2600 + 2 + 3 + 100 + 2)
    expect(exec('6099 31 50 00', { fork: 'Istanbul' }).gasUsed).toBe(3 + 700 + 2)
  })
  it('EXTCODEHASH is 0 for a missing account and keccak(empty) for an existing one', () => {
    expect(outWord(exec(`6099 3f ${RETURN_TOP}`).r)).toBe(0n)
    const h = outWord(exec(`30 3f ${RETURN_TOP}`).r)
    expect(h).not.toBe(0n)
  })
})
