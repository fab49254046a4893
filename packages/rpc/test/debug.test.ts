import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  createDispatch,
  createProvider,
  handleText,
  isStreamed,
  ProviderRpcError,
  replayBlock,
  runUntraced,
} from '../src/index.js'
import { TESTS, testChain } from './fixture.js'

// biome-ignore lint/suspicious/noExplicitAny: the tests walk geth's JSON results freely
type Json = any

const provider = createProvider({ chain: testChain() })
const call = (method: string, ...params: unknown[]) => provider.request({ method, params }) as Promise<Json>
async function refusal(method: string, ...params: unknown[]): Promise<ProviderRpcError> {
  try {
    await call(method, ...params)
  } catch (error) {
    if (error instanceof ProviderRpcError) return error
    throw error
  }
  throw new Error(`${method} did not fail`)
}

/** The first block of the test chain with at least `n` transactions. */
function blockWith(n: number) {
  const chain = testChain()
  for (let i = 1n; i <= chain.head().block.header.number; i++) {
    const b = chain.blockByNumber(i)!
    if (b.block.transactions.length >= n) return b
  }
  throw new Error(`no block with ${n} transactions`)
}

// A contract that loops forever (JUMPDEST PUSH1 0 JUMP), put in place by a state override.
const LOOPER = '0x1009000000000000000000000000000000000001'
const loopOverride = { [LOOPER]: { code: '0x5b600056' } }

describe('debug_trace*', () => {
  it('answers every rpc-compat debug_trace* case exactly as geth did (not only the schema)', async () => {
    let checked = 0
    for (const dir of ['debug_traceTransaction', 'debug_traceBlockByNumber', 'debug_traceBlockByHash']) {
      for (const file of readdirSync(`${TESTS}/${dir}`)) {
        const lines = readFileSync(`${TESTS}/${dir}/${file}`, 'utf8').split('\n')
        const request = JSON.parse(lines.find((l) => l.startsWith('>>'))!.slice(3))
        const response = JSON.parse(lines.find((l) => l.startsWith('<<'))!.slice(3))
        if (response.error) {
          const e = await refusal(request.method, ...request.params)
          expect([e.code, e.message], file).toEqual([response.error.code, response.error.message])
        } else expect(await provider.request(request), file).toEqual(response.result)
        checked++
      }
    }
    expect(checked).toBe(13)
  })

  it('re-executes a block once for all its transactions and stops after the last', () => {
    const chain = testChain()
    const block = blockWith(2)
    const parent = chain.blockByHash(block.block.header.parentHash)!
    const seen: number[] = []
    const state = replayBlock(chain, parent, block.block, block.block.transactions.length, (t) => {
      seen.push(t.index)
      return runUntraced(t)
    })
    expect(seen).toEqual([...block.block.transactions.keys()])
    // The replay is the import path: the senders' nonces are the block's post-state ones.
    const post = chain.stateAt(block)
    const senders = new Set<bigint>()
    replayBlock(chain, parent, block.block, block.block.transactions.length, (t) => {
      senders.add(t.tx.sender)
      return runUntraced(t)
    })
    for (const sender of senders) expect(state.getNonce(sender)).toBe(post.getNonce(sender))
    // Stopped before transaction 1: only transaction 0 ran.
    let runs = 0
    replayBlock(chain, parent, block.block, 1, (t) => {
      runs++
      return runUntraced(t)
    })
    expect(runs).toBe(1)
  })

  it('traces a transaction with the named tracers, on the state its block gave it', async () => {
    const block = blockWith(2)
    const second = await call(
      'eth_getTransactionByBlockNumberAndIndex',
      `0x${block.block.header.number.toString(16)}`,
      '0x1',
    )
    const calls = await call('debug_traceTransaction', second.hash, { tracer: 'callTracer' })
    expect(calls.from).toBe(second.from)
    expect(calls.gas).toBe(second.gas)
    const receipt = await call('eth_getTransactionReceipt', second.hash)
    expect(calls.gasUsed).toBe(receipt.gasUsed)
    const pre = await call('debug_traceTransaction', second.hash, { tracer: 'prestateTracer' })
    // The prestate is the state after the block's first transaction: the sender's nonce then.
    expect(BigInt(pre[second.from].nonce ?? 0)).toBe(BigInt(second.nonce))
    const logs = await call('debug_traceTransaction', second.hash, { disableStack: true, limit: 3 })
    expect(logs.structLogs.length).toBeLessThanOrEqual(3)
    expect(logs.gas).toBe(Number(receipt.gasUsed))
    expect((await refusal('debug_traceTransaction', second.hash, { tracer: 'nope' })).message).toMatch(/nope/)
    expect((await refusal('debug_traceTransaction', second.hash, { timeout: 'soon' })).code).toBe(-32000)
  })

  it('traces a block given as RLP as it traces the stored block', async () => {
    const block = blockWith(2)
    const number = `0x${block.block.header.number.toString(16)}`
    const raw = await call('debug_getRawBlock', number)
    const config = { tracer: 'callTracer', tracerConfig: { withLog: true } }
    const byRlp = await call('debug_traceBlock', raw, config)
    expect(byRlp).toEqual(await call('debug_traceBlockByNumber', number, config))
    expect(byRlp).toEqual(await call('debug_traceBlockByHash', block.key, config))
    expect(byRlp.map((e: Json) => e.txHash)).toEqual(
      (await call('eth_getBlockByNumber', number, false)).transactions,
    )
    expect((await refusal('debug_traceBlock', '0xc0')).message).toMatch(/^could not decode block/)
    expect((await refusal('debug_traceBlockByNumber', '0x1000')).message).toBe('block #4096 not found')
  })

  it('debug_traceCall: state and block overrides, txIndex, the timeout', async () => {
    // NUMBER PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns the block number.
    const code = '0x4360005260206000f3'
    const to = '0x00000000000000000000000000000000c0debabe'
    const traced = await call('debug_traceCall', { to }, 'latest', {
      stateOverrides: { [to]: { code } },
      blockOverrides: { number: '0x1234' },
      enableMemory: true,
    })
    expect(BigInt(traced.returnValue)).toBe(0x1234n)
    expect(traced.structLogs.map((s: Json) => s.op)).toEqual([
      'NUMBER',
      'PUSH1',
      'MSTORE',
      'PUSH1',
      'PUSH1',
      'RETURN',
    ])
    expect(traced.structLogs[0].stack).toEqual([])
    expect(traced.structLogs[5].memory).toEqual([`0x${'1234'.padStart(64, '0')}`])
    const frame = await call('debug_traceCall', { to }, 'latest', {
      tracer: 'callTracer',
      stateOverrides: { [to]: { code } },
    })
    expect(frame.to).toBe(to)
    expect(BigInt(frame.output)).toBe(testChain().head().block.header.number)
    // Before transaction 1 of a block: transaction 0's writes are seen.
    const block = blockWith(2)
    const first = await call(
      'eth_getTransactionByBlockNumberAndIndex',
      `0x${block.block.header.number.toString(16)}`,
      '0x0',
    )
    const nonce = await call('debug_traceCall', { from: first.from, to }, block.key, {
      txIndex: '0x1',
      tracer: 'prestateTracer',
      stateOverrides: { [to]: { code } },
    })
    expect(BigInt(nonce[first.from].nonce)).toBe(BigInt(first.nonce) + 1n)
    const timeout = await refusal('debug_traceCall', { to: LOOPER, gas: '0x2faf080' }, 'latest', {
      tracer: 'callTracer',
      stateOverrides: loopOverride,
      timeout: '50ms',
    })
    expect([timeout.code, timeout.message]).toEqual([-32000, 'execution timeout'])
    expect((await refusal('debug_traceCall', { to }, 'pending')).message).toBe(
      'tracing on top of pending is not supported',
    )
    expect(
      (
        await refusal('debug_traceCall', { to }, 'latest', {
          blockOverrides: { beaconRoot: `0x${'00'.repeat(32)}` },
        })
      ).message,
    ).toMatch(/beaconRoot/)
  })

  it('hands a streamed struct-log result to a transport that asks for it, a value to others', async () => {
    const dispatch = createDispatch({ chain: testChain() })
    const tx = JSON.parse(
      readFileSync(`${TESTS}/debug_traceTransaction/trace-contract-call.io`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('>>'))!
        .slice(3),
    )
    const kept = (await handleText(JSON.stringify(tx), dispatch, { keepStreamed: true })) as Json
    expect(isStreamed(kept.result)).toBe(true)
    const chunks: string[] = []
    kept.result.write((c: string) => chunks.push(c))
    const whole = (await handleText(JSON.stringify(tx), dispatch)) as Json
    expect(JSON.parse(chunks.join(''))).toEqual(whole.result)
  })
})
