import {
  chainFromFiles,
  createDispatch,
  type Dispatch,
  handleText,
  METHODS,
  RpcErrorCode,
  TxPool,
} from '@crucible/rpc'
import type { Random } from '../random.js'
import { mutateBytes, toHex } from './inputs.js'
import type { DecoderTarget, Problem } from './runner.js'
import { randomTransaction } from './tx.js'

/**
 * `rpc`: JSON-RPC text through `@crucible/rpc`'s `handleText` over a small in-memory chain.
 * Every request gets a well-formed JSON-RPC 2.0 response (or none, for a notification) that
 * serialises to JSON; a handler never fails with -32603 (an internal error is an untyped throw
 * the framing caught: bad input must be -32602 or another typed code). No reference engine:
 * this target checks robustness, not answers.
 */

const CONTRACT = '0x00000000000000000000000000000000000000aa'
const EOA = '0x00000000000000000000000000000000000000bb'

function genesis() {
  const config: Record<string, unknown> = {
    chainId: 1337,
    terminalTotalDifficulty: 0,
    shanghaiTime: 0,
    cancunTime: 0,
    pragueTime: 0,
  }
  for (const fork of [
    'homestead',
    'eip150',
    'eip155',
    'eip158',
    'byzantium',
    'constantinople',
    'petersburg',
    'istanbul',
    'berlin',
    'london',
  ])
    config[`${fork}Block`] = 0
  return {
    config,
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    alloc: {
      // Returns 42, stores its call data's first word, logs.
      [CONTRACT]: {
        balance: '0x64',
        code: '0x5f35600155602a5f5260205fa060205ff3',
        storage: { '0x01': '0x05' },
      },
      [EOA]: { balance: '0xde0b6b3a7640000' },
    },
  }
}

/** A JSON value of the kinds RPC parameters take, edge-biased. */
function param(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 9 : 12)) {
    case 0:
      return r.pick(['latest', 'earliest', 'pending', 'safe', 'finalized', 'LATEST', ''])
    case 1:
      return `0x${r.word().toString(16)}`
    case 2:
      return r.pick(['0x', '0x0', '0x00', '0x1', '0x01', '0xg', '1', '-0x1', `0x${'f'.repeat(65)}`])
    case 3:
      return r.pick([
        CONTRACT,
        EOA,
        '0x0000000000000000000000000000000000000000',
        `0x0x${'a'.repeat(38)}`,
        `0x${'a'.repeat(39)}`,
      ])
    case 4:
      return toHex(r.bytes(r.pick([0, 1, 4, 32, 100])))
    case 5:
      return r.pick([null, true, false, 0, -1, 1.5, 2 ** 53, 1e308, '', {}])
    case 6:
      return toHex(randomTransaction(r))
    case 7:
      return `0x${r.bigint(256).toString(16).padStart(64, '0')}`
    case 8:
      return r.pick(['x'.repeat(r.int(5000)), '\u0000', '🦀'])
    case 9:
      return {
        from: r.chance(0.7) ? EOA : param(r, depth + 1),
        to: r.chance(0.7) ? CONTRACT : param(r, depth + 1),
        data: r.chance(0.7) ? toHex(r.bytes(r.int(64))) : param(r, depth + 1),
        ...(r.chance(0.5) ? { gas: param(r, depth + 1) } : {}),
        ...(r.chance(0.3) ? { value: param(r, depth + 1) } : {}),
        ...(r.chance(0.2) ? { blockHash: param(r, depth + 1), blockNumber: param(r, depth + 1) } : {}),
      }
    case 10:
      return Array.from({ length: r.int(4) }, () => param(r, depth + 1))
    default:
      return {
        address: r.chance(0.5) ? CONTRACT : param(r, depth + 1),
        topics: [param(r, depth + 1)],
        fromBlock: param(r, depth + 1),
        toBlock: param(r, depth + 1),
      }
  }
}

const METHOD_NAMES = Object.keys(METHODS)

function request(r: Random): unknown {
  const req: Record<string, unknown> = {
    jsonrpc: r.chance(0.97) ? '2.0' : r.pick(['1.0', 2, null]),
    method: r.chance(0.95)
      ? r.pick(METHOD_NAMES)
      : r.pick(['eth_nope', '', 'constructor', '__proto__', 'toString']),
  }
  if (r.chance(0.95)) req.id = r.chance(0.8) ? r.int(1000) : r.pick(['a', null, 1.5, {}, []])
  if (r.chance(0.95)) req.params = Array.from({ length: r.int(4) }, () => param(r))
  else req.params = param(r)
  return req
}

export function rpcInput(r: Random): Uint8Array {
  const body = r.chance(0.85) ? request(r) : Array.from({ length: r.int(5) }, () => request(r))
  const text = new TextEncoder().encode(JSON.stringify(body))
  return r.chance(0.15) ? mutateBytes(r, text) : text
}

function wellFormed(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null) return 'response is not an object'
  const x = response as Record<string, unknown>
  if (x.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"'
  if (!('id' in x)) return 'no id'
  if ('error' in x === 'result' in x) return 'needs exactly one of result and error'
  if ('error' in x) {
    const e = x.error as { code?: unknown; message?: unknown }
    if (!Number.isInteger(e?.code) || typeof e?.message !== 'string') return 'malformed error object'
    if (e.code === RpcErrorCode.Internal)
      return `internal error (an untyped throw): ${String(e.message).slice(0, 160)}`
  }
  return undefined
}

export function rpcTarget(): DecoderTarget {
  let dispatch: Dispatch | undefined
  const counts = { results: 0, errors: 0, notifications: 0 }
  return {
    name: 'rpc',
    prepare() {
      dispatch = createDispatch({
        chain: chainFromFiles(genesis() as never),
        pool: new TxPool(),
        limits: { timeoutMs: 2000 },
      })
    },
    input: rpcInput,
    async check(input): Promise<Problem | undefined> {
      dispatch ??= createDispatch({ chain: chainFromFiles(genesis() as never), pool: new TxPool() })
      const text = new TextDecoder().decode(input)
      let response: Awaited<ReturnType<typeof handleText>>
      try {
        response = await handleText(text, dispatch)
      } catch (error) {
        return { kind: 'crash', message: `handleText threw ${String(error).slice(0, 200)}` }
      }
      if (response === undefined) {
        counts.notifications++
        return undefined
      }
      try {
        JSON.stringify(response)
      } catch (error) {
        return {
          kind: 'serialise',
          message: `the response does not serialise: ${String(error).slice(0, 120)}`,
        }
      }
      for (const one of Array.isArray(response) ? response : [response]) {
        const bad = wellFormed(one)
        if (bad !== undefined) {
          let method = '?'
          try {
            const parsed = JSON.parse(text)
            method = Array.isArray(parsed) ? 'batch' : String(parsed?.method)
          } catch {}
          return { kind: bad.startsWith('internal') ? 'internal' : 'malformed', message: `${method}: ${bad}` }
        }
        if ('error' in one) counts.errors++
        else counts.results++
      }
      return undefined
    },
    stats: () => ({ methods: METHOD_NAMES.length, ...counts }),
  }
}
