import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { chainFromFiles, importChain, METHODS, TxPool } from '@crucible/rpc'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../src/index.js'

const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
const REQUESTS = 10_000

/** mulberry32: a small seeded generator, so a failure replays. */
function generator(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!
  return { next, int, pick }
}

const KEYS = [
  'from',
  'to',
  'data',
  'input',
  'gas',
  'value',
  'blockHash',
  'fromBlock',
  'toBlock',
  'address',
  'topics',
  'blockStateCalls',
  'calls',
  'stateOverrides',
  'balance',
  'nonce',
  'code',
]

function randomValue(r: ReturnType<typeof generator>, depth: number): unknown {
  switch (r.int(depth > 2 ? 9 : 12)) {
    case 0:
      return null
    case 1:
      return r.next() < 0.5
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53, 1e308, -0, 42])
    case 3:
      return `0x${'f'.repeat(r.int(130))}`
    case 4:
      return `0x${Array.from({ length: r.int(70) }, () => r.pick([...'0123456789abcdefXYZ '])).join('')}`
    case 5:
      return r.pick([
        'latest',
        'earliest',
        'pending',
        'safe',
        'finalized',
        '0x0',
        '0x36',
        '0x37',
        '0x',
        '',
        'latest\u0000',
        '💥',
      ])
    case 6:
      return `0x${'00'.repeat(r.pick([1, 19, 20, 21, 31, 32, 33]))}`
    case 7:
      return '0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7'
    case 8:
      return '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
    case 9:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1))
    default: {
      const o: Record<string, unknown> = {}
      for (let i = r.int(5); i > 0; i--) o[r.pick(KEYS)] = randomValue(r, depth + 1)
      return o
    }
  }
}

const METHOD_NAMES = [
  ...Object.keys(METHODS),
  'eth_subscribe',
  'nope',
  '',
  'eth_',
  'engine_newPayloadV4',
  '__proto__',
  'constructor',
]

function randomRequest(r: ReturnType<typeof generator>): unknown {
  const request: Record<string, unknown> = {}
  if (r.next() < 0.95) request.jsonrpc = r.next() < 0.95 ? '2.0' : r.pick(['1.0', 2, null])
  if (r.next() < 0.9) request.id = r.pick([1, 'a', null, 0, -5, 1.5, { x: 1 }, [1], true])
  if (r.next() < 0.97) request.method = r.next() < 0.95 ? r.pick(METHOD_NAMES) : randomValue(r, 2)
  if (r.next() < 0.9)
    request.params =
      r.next() < 0.9 ? Array.from({ length: r.int(4) }, () => randomValue(r, 1)) : randomValue(r, 1)
  return request
}

function randomBody(r: ReturnType<typeof generator>): string {
  const roll = r.next()
  if (roll < 0.15) {
    const valid = JSON.stringify(randomRequest(r))
    return r.pick([
      valid.slice(0, r.int(valid.length)),
      '',
      '{',
      '[',
      ']',
      'null',
      '"x"',
      '123',
      '[[]]',
      '{"a":',
      '\u0000\u0001',
      `[${'['.repeat(200)}`,
    ])
  }
  if (roll < 0.25) return JSON.stringify(Array.from({ length: r.int(6) }, () => randomRequest(r)))
  return JSON.stringify(randomRequest(r))
}

function wellFormed(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return 'not an object'
  const o = item as Record<string, unknown>
  if (o.jsonrpc !== '2.0') return 'jsonrpc is not 2.0'
  if (!('id' in o) || !(o.id === null || typeof o.id === 'string' || typeof o.id === 'number'))
    return 'bad id'
  if ('result' in o === 'error' in o) return 'needs exactly one of result and error'
  if ('error' in o) {
    const e = o.error as Record<string, unknown>
    if (typeof e !== 'object' || e === null || !Number.isInteger(e.code) || typeof e.message !== 'string')
      return 'bad error'
  }
  return undefined
}

let server: RunningServer

beforeAll(async () => {
  const chain = chainFromFiles(JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis)
  importChain(chain, new Uint8Array(readFileSync(join(TESTS, 'chain.rlp'))))
  server = await startServer({ chain, pool: new TxPool(), http: { port: 0, maxBodyBytes: 256 * 1024 } })
})
afterAll(() => server?.close())

it(`answers ${REQUESTS} malformed or random requests with well-formed JSON-RPC and stays up`, async () => {
  const r = generator(20261201)
  const bodies = Array.from({ length: REQUESTS }, () => randomBody(r))
  const problems: string[] = []
  let next = 0
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const text = await res.text()
      if (text === '') {
        // Only notifications (no id) may go unanswered.
        if (res.status !== 200) problems.push(`${res.status} with an empty body for ${body.slice(0, 100)}`)
        continue
      }
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        problems.push(`not JSON: ${text.slice(0, 100)} for ${body.slice(0, 100)}`)
        continue
      }
      for (const item of Array.isArray(json) ? json : [json]) {
        const problem = wellFormed(item)
        if (problem) problems.push(`${problem}: ${text.slice(0, 160)} for ${body.slice(0, 100)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  expect(problems.slice(0, 10)).toEqual([])
  const alive = await fetch(server.url, {
    method: 'POST',
    body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}',
  })
  expect(await alive.json()).toEqual({ jsonrpc: '2.0', id: 1, result: '0x36' })
}, 300_000)
