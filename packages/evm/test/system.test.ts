import { getForkRules, SYSTEM_ADDRESSES } from '@crucible/forks'
import { hexToBigInt } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import { CallKind, callMessage, createMessage } from '../src/message/message.js'
import { processSystemCall } from '../src/transaction/system.js'
import { asm, block } from './helpers.js'
import { MemoryHost } from './memory-host.js'

const SYSTEM = hexToBigInt(SYSTEM_ADDRESSES.system)
const TARGET = 0x000f3df6d732807ef1319fb7b8bb8522d0beac02n

describe('processSystemCall', () => {
  it('calls the target from the system address with the data, charging nothing', () => {
    const host = new MemoryHost()
    // slot 0 = CALLDATALOAD(0); slot 1 = CALLER; slot 2 = GAS
    host.put(TARGET, { code: asm('6000 35 6000 55 33 6001 55 5a 6002 55 00') })
    const data = new Uint8Array(32).fill(0xab)
    const events: unknown[] = []
    const result = processSystemCall(host, TARGET, data, block(), getForkRules('Prague'), {
      inspector: { enter: (i) => events.push([i.kind, i.from, i.to, i.value, i.gas]) },
    })
    expect(result.outcome).toBe(Outcome.Success)
    expect(host.getStorage(TARGET, 0n)).toBe(BigInt(`0x${'ab'.repeat(32)}`))
    expect(host.getStorage(TARGET, 1n)).toBe(SYSTEM)
    expect(host.getStorage(TARGET, 2n)).toBeGreaterThan(29_000_000n)
    expect(events).toEqual([[CallKind.Call, SYSTEM, TARGET, 0n, 30_000_000]])
    // The empty system account it touched is removed again (EIP-161).
    expect(host.exists(SYSTEM)).toBe(false)
  })
  it('reports a halt, and leaves no state change', () => {
    const host = new MemoryHost()
    host.put(TARGET, { code: asm('6001 6000 55 fe') })
    const result = processSystemCall(host, TARGET, new Uint8Array(0), block(), getForkRules('Prague'))
    expect(result).toMatchObject({ outcome: Outcome.Halt, halt: 'InvalidOpcode', logs: [] })
    expect(host.getStorage(TARGET, 0n)).toBe(0n)
  })
  it('a target without code succeeds with empty output', () => {
    const result = processSystemCall(
      new MemoryHost(),
      TARGET,
      new Uint8Array(0),
      block(),
      getForkRules('Prague'),
    )
    expect(result.outcome).toBe(Outcome.Success)
    expect(result.output).toEqual(new Uint8Array(0))
  })
})

describe('messages with named fields', () => {
  it('callMessage fills the defaults of a plain top-level call', () => {
    expect(callMessage({ caller: 1n, address: 2n, code: asm('00'), gas: 100 })).toEqual({
      kind: CallKind.Call,
      caller: 1n,
      address: 2n,
      codeAddress: 2n,
      value: 0n,
      input: new Uint8Array(0),
      code: asm('00'),
      gas: 100,
      gasExcess: 0n,
      depth: 0,
      isStatic: false,
      transferValue: true,
      disablePrecompiles: false,
      retOffset: 0,
      retSize: 0,
    })
  })
  it('createMessage runs the initcode at the new address with no call data', () => {
    const m = createMessage({
      kind: CallKind.Create2,
      caller: 1n,
      address: 3n,
      initcode: asm('00'),
      gas: 5,
      value: 7n,
    })
    expect(m).toMatchObject({
      kind: CallKind.Create2,
      address: 3n,
      codeAddress: 3n,
      value: 7n,
      code: asm('00'),
    })
    expect(m.input.length).toBe(0)
  })
})
