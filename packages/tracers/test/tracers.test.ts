import type { BlockEnv, TransactionInput } from '@crucible/evm'
import { getForkRules } from '@crucible/forks'
import { WorldState } from '@crucible/state'
import { describe, expect, it } from 'vitest'
import {
  createTracer,
  parseTimeout,
  TracerConfigError,
  TraceTimeoutError,
  traceBlock,
  traceTransaction,
  unpackRevert,
  withDeadline,
} from '../src/index.js'

// biome-ignore lint/suspicious/noExplicitAny: the tests walk geth's JSON results freely
type Json = any

const sender = 0x5e4d00000000000000000000000000000000000an
const caller = 0xca11000000000000000000000000000000000001n
const callee = 0xca11000000000000000000000000000000000002n
const looper = 0x1009000000000000000000000000000000000003n
const hex = (a: bigint) => `0x${a.toString(16).padStart(40, '0')}`
// callee: SLOAD 0, PUSH1 1 ADD, PUSH1 0 SSTORE, LOG0 of nothing, STOP
const CALLEE = '0x60005460010160005560006000a000'
// caller: CALL callee with 4 bytes of calldata (0xaabbccdd), then STOP
const CALLER =
  '0x63aabbccdd60e01b600052' + // mstore selector at 0
  '600060006004600060007f' +
  callee.toString(16).padStart(64, '0') +
  '5af150' + // CALL(gas, callee, 0, 0, 4, 0, 0), pop
  '6000600060006000600060006000' +
  '00'
const LOOP = '0x5b600056' // JUMPDEST PUSH1 0 JUMP: forever

function setup() {
  const state = WorldState.fromAlloc({
    [hex(sender)]: { balance: '0xde0b6b3a7640000' },
    [hex(caller)]: { code: CALLER },
    [hex(callee)]: { code: CALLEE, storage: { '0x00': '0x05' } },
    [hex(looper)]: { code: LOOP },
  })
  const rules = getForkRules('Cancun')
  const block: BlockEnv = {
    number: 1n,
    coinbase: 0xc01dn,
    timestamp: 1n,
    gasLimit: 30_000_000n,
    difficulty: 0n,
    prevRandao: 0n,
    baseFee: 7n,
    blobBaseFee: 1n,
    chainId: 1n,
  }
  const tx = (to: bigint, nonce = 0n, gasLimit = 200_000n): TransactionInput => ({
    type: 0,
    sender,
    to,
    nonce,
    value: 0n,
    data: new Uint8Array(0),
    gasLimit,
    gasPrice: 10n,
  })
  return { state, rules, block, tx }
}

describe('tracers', () => {
  it('callTracer nests calls, numbers logs and reports the top gas as the transaction does', () => {
    const { state, rules, block, tx } = setup()
    const { result, transaction } = traceTransaction({
      host: state,
      tx: tx(caller),
      block,
      rules,
      config: { tracer: 'callTracer', tracerConfig: { withLog: true } },
    })
    const top = result as Record<string, Json>
    expect(top.gas).toBe('0x30d40')
    expect(top.gasUsed).toBe(`0x${transaction.gasUsed.toString(16)}`)
    expect(top.calls).toHaveLength(1)
    expect(top.calls[0]).toMatchObject({
      type: 'CALL',
      from: hex(caller),
      to: hex(callee),
      input: '0xaabbccdd',
    })
    expect(top.calls[0].logs).toEqual([
      { address: hex(callee), topics: [], data: '0x', index: '0x0', position: '0x0' },
    ])
  })

  it('prestateTracer records what was read, and diffMode what changed', () => {
    const { state, rules, block, tx } = setup()
    const snap = state.snapshot()
    const pre = traceTransaction({
      host: state,
      tx: tx(caller),
      block,
      rules,
      config: { tracer: 'prestateTracer' },
    }).result as Record<string, Json>
    expect(pre[hex(callee)].storage).toEqual({
      '0x0000000000000000000000000000000000000000000000000000000000000000':
        '0x0000000000000000000000000000000000000000000000000000000000000005',
    })
    expect(pre[hex(sender)]).toEqual({ balance: '0xde0b6b3a7640000' })
    state.restore(snap)
    const diff = traceTransaction({
      host: state,
      tx: tx(caller),
      block,
      rules,
      config: { tracer: 'prestateTracer', tracerConfig: { diffMode: true } },
    }).result as Record<string, Json>
    expect(diff.post[hex(callee)].storage).toEqual({
      '0x0000000000000000000000000000000000000000000000000000000000000000':
        '0x0000000000000000000000000000000000000000000000000000000000000006',
    })
    expect(diff.post[hex(sender)].nonce).toBe(1)
  })

  it('streams the same struct logs it gathers, in chunks', () => {
    const { state, rules, block, tx } = setup()
    const snap = state.snapshot()
    const gathered = traceTransaction({
      host: state,
      tx: tx(caller),
      block,
      rules,
      config: { enableMemory: true },
    }).result as Record<string, Json>
    state.restore(snap)
    const chunks: string[] = []
    const streamed = traceTransaction({
      host: state,
      tx: tx(caller),
      block,
      rules,
      config: { enableMemory: true },
      sink: (c) => chunks.push(c),
    })
    expect(streamed.result).toBeUndefined()
    expect(JSON.parse(chunks.join(''))).toEqual(gathered)
    const sload = gathered.structLogs.find((l: Json) => l.op === 'SLOAD')
    expect(sload.depth).toBe(2)
    expect(Object.values(sload.storage)).toEqual([
      '0x0000000000000000000000000000000000000000000000000000000000000005',
    ])
    expect(gathered.structLogs.every((l: Json) => l.error === undefined)).toBe(true)
    expect(gathered.structLogs.filter((l: Json) => l.storage !== undefined).map((l: Json) => l.op)).toEqual([
      'SLOAD',
      'SSTORE',
    ])
    expect(gathered.structLogs[0].stack).toEqual([])
    expect(gathered.structLogs[1].stack).toEqual(['0xaabbccdd'])
  })

  it('limits the struct logs and names errors as geth does', () => {
    const { state, rules, block, tx } = setup()
    const r = traceTransaction({
      host: state,
      tx: tx(looper, 0n, 30_000n),
      block,
      rules,
      config: { limit: 5 },
    }).result as Record<string, Json>
    expect(r.structLogs).toHaveLength(5)
    expect(r.failed).toBe(true)
  })

  it('times out with geth error and no result', () => {
    const { state, rules, block, tx } = setup()
    expect(() =>
      traceTransaction({
        host: state,
        tx: tx(looper, 0n, 29_000_000n),
        block,
        rules,
        config: { timeout: '1ms' },
      }),
    ).toThrow(TraceTimeoutError)
    let t = 0
    const inspector = withDeadline({ enter() {} }, 10, () => t)
    t = 11
    expect(() => inspector.enter!({} as never)).toThrow('execution timeout')
    expect(parseTimeout('1m30s')).toBe(90_000)
    expect(parseTimeout('300ms')).toBe(300)
    expect(() => parseTimeout('5 s')).toThrow(TracerConfigError)
  })

  it('4byte, noop and mux tracers; a block is executed once for all its transactions', () => {
    const { state, rules, block, tx } = setup()
    const results = traceBlock({
      host: state,
      block,
      rules,
      transactions: [
        { hash: '0x01', tx: tx(caller, 0n) },
        { hash: '0x02', tx: tx(caller, 1n) },
      ],
      config: {
        tracer: 'muxTracer',
        tracerConfig: { '4byteTracer': {}, noopTracer: {}, callTracer: { withLog: true } },
      },
    })
    expect(results.map((r) => r.txHash)).toEqual(['0x01', '0x02'])
    const second = results[1]!.result as Record<string, Json>
    expect(second['4byteTracer']).toEqual({ '0xaabbccdd-0': 1 })
    expect(second.noopTracer).toEqual({})
    // The second transaction sees the first one's write, and its log index follows the first's.
    expect(second.callTracer.calls[0].logs[0].index).toBe('0x1')
    expect(state.getStorage(callee, 0n)).toBe(7n)
    expect(() => createTracer({ tracer: 'nope' })).toThrow(TracerConfigError)
  })

  it('unpacks revert reasons', () => {
    const data = new Uint8Array(4 + 96)
    data.set([0x08, 0xc3, 0x79, 0xa0])
    data[4 + 31] = 0x20
    data[4 + 63] = 2
    data.set([0x6e, 0x6f], 4 + 64)
    expect(unpackRevert(data)).toBe('no')
    const panic = new Uint8Array(36)
    panic.set([0x4e, 0x48, 0x7b, 0x71])
    panic[35] = 0x11
    expect(unpackRevert(panic)).toBe('arithmetic underflow or overflow')
  })
})
