import { getForkRules } from '@crucible/forks'
import { describe, expect, it } from 'vitest'
import { CallKind, DEFAULT_BLOCK, type Inspector, Outcome, runCall, runCode } from '../src/index.js'
import { asm } from './asm.js'
import { MemoryHost } from './memory-host.js'

describe('runCode and runCall', () => {
  it('runCode: returns what the code returns, with defaults for everything else', () => {
    const host = new MemoryHost()
    const result = runCode(host, asm('PUSH1 0x2a PUSH1 0x00 MSTORE PUSH1 0x20 PUSH1 0x00 RETURN'))
    expect(result.outcome).toBe(Outcome.Success)
    expect(result.output[31]).toBe(42)
    expect(result.gasUsed).toBe(3n + 3n + 6n + 3n + 3n) // no intrinsic gas
  })

  it('runCode: storage writes are the address’s and survive the end of the run (no EIP-161 clearing)', () => {
    const host = new MemoryHost()
    runCode(host, asm('PUSH1 0x07 PUSH1 0x01 SSTORE'), { address: 0xabn })
    expect(host.getStorage(0xabn, 1n)).toBe(7n)
  })

  it('runCode: the block, fork, caller, value and data are the options', () => {
    const host = new MemoryHost()
    const code = asm(
      'NUMBER PUSH1 0x00 SSTORE CALLER PUSH1 0x01 SSTORE CALLVALUE PUSH1 0x02 SSTORE PUSH1 0x00 CALLDATALOAD PUSH1 0x03 SSTORE TIMESTAMP PUSH1 0x04 SSTORE',
    )
    const data = new Uint8Array(32)
    data[31] = 9
    runCode(host, code, {
      address: 0xabcn,
      block: { number: 77n },
      caller: 0xcafen,
      value: 5n,
      data,
      fork: 'Cancun',
    })
    expect([0n, 1n, 2n, 3n, 4n].map((k) => host.getStorage(0xabcn, k))).toEqual([
      77n,
      0xcafen,
      5n,
      9n,
      DEFAULT_BLOCK.timestamp,
    ])
    // No value moved: runCode only reports it.
    expect(host.getBalance(0xabcn)).toBe(0n)
  })

  it('runCode: an opcode of a later fork is invalid in an earlier one', () => {
    const host = new MemoryHost()
    expect(runCode(host, asm('PUSH0'), { fork: 'Paris' }).outcome).toBe(Outcome.Halt)
    expect(runCode(host, asm('PUSH0'), { fork: getForkRules('Shanghai') }).outcome).toBe(Outcome.Success)
  })

  it('runCode: out of gas uses all the gas given', () => {
    const result = runCode(new MemoryHost(), asm('JUMPDEST PUSH1 0x00 JUMP'), { gas: 10_000n })
    expect(result).toMatchObject({ outcome: Outcome.Halt, halt: 'OutOfGas', gasUsed: 10_000n })
  })

  it('runCall: calls an account’s code and moves the value', () => {
    const host = new MemoryHost()
    host.put(0xc0den, { code: asm('CALLVALUE PUSH1 0x00 SSTORE') })
    host.put(0x1n, { balance: 100n })
    const result = runCall(host, { to: 0xc0den, caller: 0x1n, value: 40n })
    expect(result.outcome).toBe(Outcome.Success)
    expect(host.getStorage(0xc0den, 0n)).toBe(40n)
    expect(host.getBalance(0x1n)).toBe(60n)
    expect(host.getBalance(0xc0den)).toBe(40n)
  })

  it('runCall without to: creates a contract at the caller’s next address, and the nonce goes up', () => {
    const host = new MemoryHost()
    host.put(0x1n, { nonce: 0n })
    // initcode returning the one-byte code 0x00
    const initcode = asm('PUSH1 0x00 PUSH1 0x00 MSTORE8 PUSH1 0x01 PUSH1 0x00 RETURN')
    const first = runCall(host, { caller: 0x1n, data: initcode })
    const second = runCall(host, { caller: 0x1n, data: initcode })
    expect(first.outcome).toBe(Outcome.Success)
    expect(first.createdAddress).toBeDefined()
    expect(second.createdAddress).not.toBe(first.createdAddress)
    expect(host.getCode(first.createdAddress!)).toEqual(new Uint8Array([0]))
    expect(host.getNonce(0x1n)).toBe(2n)
  })

  it('the inspector sees the run', () => {
    const kinds: number[] = []
    const steps: number[] = []
    const inspector: Inspector = {
      enter: (info) => kinds.push(info.kind),
      step: (frame) => steps.push(frame.pc),
    }
    runCode(new MemoryHost(), asm('PUSH1 0x01 POP STOP'), { inspector })
    expect(kinds).toEqual([CallKind.Call])
    expect(steps).toEqual([0, 2, 3])
  })

  it('rejects gas beyond 2^53', () => {
    expect(() => runCode(new MemoryHost(), asm('STOP'), { gas: 1n << 60n })).toThrow(/gas must be/)
  })
})
