import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// biome-ignore lint/suspicious/noExplicitAny: the tests walk geth's JSON results freely
type Json = any

let child: ChildProcess
let url: string

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--conditions=@crucible/source', '--import', 'tsx', resolve(import.meta.dirname, 'serve.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  )
  url = await new Promise<string>((done, fail) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) done(JSON.parse(out.split('\n')[0]!).url)
    })
    child.on('exit', (code) => fail(new Error(`server exited (${code})`)))
  })
}, 120_000)
afterAll(() => {
  child?.kill('SIGTERM')
})

/** Resident memory of the server process in MB, now or at its peak (Linux), or undefined. */
function serverMb(field: 'VmRSS' | 'VmHWM'): number | undefined {
  const status = `/proc/${child.pid}/status`
  if (!existsSync(status)) return undefined
  const line = readFileSync(status, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`))
  return line ? Number(line[1]) / 1024 : undefined
}

// A contract that loops until its gas runs out (JUMPDEST PUSH1 0 JUMP), by a state override.
const LOOPER = '0x1009000000000000000000000000000000000001'
const traceLoop = (gas: number, config: Record<string, unknown> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'debug_traceCall',
      params: [
        { to: LOOPER, gas: `0x${gas.toString(16)}` },
        'latest',
        { stateOverrides: { [LOOPER]: { code: '0x5b600056' } }, ...config },
      ],
    }),
  })

describe('streamed struct logs over HTTP', () => {
  it('a small trace is an ordinary response with a length', async () => {
    const res = await traceLoop(22_000)
    expect(res.headers.get('content-length')).not.toBeNull()
    const body = (await res.json()) as Json
    expect(body.id).toBe(7)
    expect(body.result.failed).toBe(true)
    expect(body.result.structLogs.at(-1).error).toBe('out of gas')
  })

  it('a large trace is written as it runs, chunked, and never held whole by the server', async () => {
    // 3 steps per 12 gas: 1.5M steps, about 140 MB of JSON.
    const before = serverMb('VmHWM')
    const res = await traceLoop(6_000_000, { timeout: '300s' })
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    expect(res.headers.get('content-length')).toBeNull()
    const text = await res.text()
    const body = JSON.parse(text) as Json
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7 })
    expect(body.result.structLogs.length).toBeGreaterThan(1_400_000)
    expect(body.result.structLogs.at(-1).error).toBe('out of gas')
    const peak = serverMb('VmHWM')
    const mb = text.length / 1e6
    console.log(
      `streamed ${mb.toFixed(0)} MB; server peak RSS ${before?.toFixed(0)} MB before, ${peak?.toFixed(0)} MB after`,
    )
    // Holding the text (or the steps as objects) would add more than the text's size.
    if (peak !== undefined && before !== undefined) expect(peak - before).toBeLessThan(mb / 2)
  }, 300_000)

  it('a trace that fails after its response began is cut off, not completed', async () => {
    const res = await traceLoop(50_000_000, { timeout: '1500ms' })
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    // The terminating chunk never comes (curl reports it; undici's fetch hands over the
    // text it got): what arrived is not a JSON-RPC response.
    const text = await res.text().catch(() => '')
    expect(text.length).toBeGreaterThan(1 << 20)
    expect(() => JSON.parse(text)).toThrow()
  }, 60_000)
})
