import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/errors.js'
import { crucible } from './cli.js'
import { EXECUTION_APIS } from './fixtures.js'

const root = mkdtempSync(join(tmpdir(), 'crucible-trace-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const datadir = join(root, 'd')

/** An rpc-compat case: its request's parameters and geth's result. */
function rpcCase(file: string): { params: unknown[]; result: unknown } {
  const lines = readFileSync(join(dirname(EXECUTION_APIS.genesis), file), 'utf8').split('\n')
  const request = JSON.parse(lines.find((l) => l.startsWith('>>'))!.slice(3))
  const response = JSON.parse(lines.find((l) => l.startsWith('<<'))!.slice(3))
  return { params: request.params, result: response.result }
}

describe('crucible trace', () => {
  beforeAll(async () => {
    const r = await crucible([
      'import',
      '--datadir',
      datadir,
      '--genesis',
      EXECUTION_APIS.genesis,
      EXECUTION_APIS.chain,
    ])
    expect(r.code, r.stderr).toBe(0)
  }, 180_000)

  it('writes the struct logs of a transaction as geth answers debug_traceTransaction', async () => {
    const { params, result } = rpcCase('debug_traceTransaction/trace-contract-call.io')
    const r = await crucible(['trace', '--datadir', datadir, params[0] as string])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.endsWith('}\n')).toBe(true)
    expect(JSON.parse(r.stdout)).toEqual(result)
  }, 60_000)

  it('takes a named tracer and a TraceConfig', async () => {
    const { params } = rpcCase('debug_traceTransaction/trace-contract-call.io')
    const calls = await crucible([
      'trace',
      '--datadir',
      datadir,
      params[0] as string,
      '--tracer',
      'callTracer',
    ])
    expect(calls.code, calls.stderr).toBe(0)
    expect(JSON.parse(calls.stdout)).toMatchObject({ type: 'CREATE' })
    const limited = await crucible([
      'trace',
      '--datadir',
      datadir,
      params[0] as string,
      '--config',
      '{"disableStack":true,"limit":2}',
    ])
    expect(limited.code, limited.stderr).toBe(0)
    const trace = JSON.parse(limited.stdout)
    expect(trace.structLogs.length).toBe(2)
    expect(trace.structLogs[0].stack).toBeUndefined()
  }, 60_000)

  it('refuses an unknown transaction, a bad hash and a bad config', async () => {
    const unknown = await crucible(['trace', '--datadir', datadir, `0x${'00'.repeat(31)}01`])
    expect(unknown.code).toBe(EXIT.NOT_FOUND)
    expect(unknown.stderr).toMatch(/^Fatal: transaction 0x0+1 not found/)
    expect((await crucible(['trace', '--datadir', datadir, '0x12'])).code).toBe(EXIT.USAGE)
    const tracer = await crucible(['trace', '--datadir', datadir, `0x${'00'.repeat(32)}`, '--tracer', 'nope'])
    expect(tracer.code).toBe(EXIT.USAGE)
    expect(tracer.stderr).toMatch(/nope/)
    expect(
      (await crucible(['trace', '--datadir', datadir, `0x${'00'.repeat(32)}`, '--config', '{'])).code,
    ).toBe(EXIT.USAGE)
  }, 60_000)
})
