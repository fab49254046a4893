import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { decodeBlock, type GethGenesis } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import { chainFromFiles, createDispatch, importChain, newPayloadRequest, splitBlocks } from '@crucible/rpc'
import { parseJwtSecret, signJwt } from '@crucible/rpc-server'
import { CRUCIBLE_CLI, type RunningNode, startCrucibleNode } from '@crucible/test-support/node'
import { DEFAULT_SHAPE } from '../import/chain.js'
import type { BenchTable, SuiteOptions } from '../types.js'
import { chainFiles } from './import.js'

/**
 * JSON-RPC under load: the real `crucible node` (a child process, LevelDB datadir) serving
 * 200 concurrent HTTP clients (keep-alive, one request in flight each) that issue `eth_call`,
 * `eth_getBalance` at past blocks and `eth_getLogs` over block ranges. Every answer is compared
 * with the in-process handlers' answer over the same chain held in memory: a wrong or failed
 * answer counts as an error. Two runs:
 * 1. reads alone, against the imported execution-apis chain (genesis + 54 blocks);
 * 2. reads while a synthetic chain of full 30M-gas blocks is being imported through the Engine
 *    API (newPayload + forkchoiceUpdated, one block after the other) into the same node.
 * Client and server share the machine: the figures are the pair's.
 */

const REPO = resolve(import.meta.dirname, '../../../..')
const FIXTURES = process.env.CRUCIBLE_FIXTURES ?? resolve(REPO, '../shared/fixtures')
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
const TSX = ['--conditions=@crucible/source', '--import', 'tsx']
const CLIENTS = Number(process.env.RPC_LOAD_CLIENTS ?? 200)
const EMITTER = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
/** A contract of the execution-apis chain that answers 0xff01 with 0xffee. */
const CALLEE = '0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667'

interface Request {
  body: string
  /** JSON of the expected `result`, or a test of it (for reads of a moving head). */
  expected: string | ((result: unknown) => boolean)
}

interface Tally {
  latencies: number[]
  errors: number
  firstErrors: string[]
}

function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`
}

/** The request mix, with the answers the in-memory handlers give over the same chain. */
async function requestSet(dispatch: ReturnType<typeof createDispatch>, head: number): Promise<Request[]> {
  const calls: { method: string; params: unknown[] }[] = []
  for (let i = 0; i < 32; i++) {
    const block = hex(1 + ((i * 7) % head))
    calls.push({ method: 'eth_call', params: [{ to: CALLEE, data: '0xff01' }, block] })
    calls.push({ method: 'eth_getBalance', params: [EMITTER, block] })
    const from = 1 + ((i * 5) % (head - 8))
    calls.push({
      method: 'eth_getLogs',
      params: [{ address: EMITTER, fromBlock: hex(from), toBlock: hex(from + 8) }],
    })
  }
  const out: Request[] = []
  for (const [id, c] of calls.entries()) {
    let expected: string
    try {
      expected = JSON.stringify(await dispatch(c.method, c.params))
    } catch {
      continue // before the contract exists: not a read of the mix
    }
    out.push({ body: JSON.stringify({ jsonrpc: '2.0', id, method: c.method, params: c.params }), expected })
  }
  return out
}

/** A client with one request in flight at a time, until `stop()` says so. */
async function client(url: string, requests: Request[], stop: () => boolean, tally: Tally, seed: number) {
  let i = seed
  while (!stop()) {
    const r = requests[(i = (i * 1103515245 + 12345) & 0x7fffffff) % requests.length]!
    const started = performance.now()
    let problem: string | undefined
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: r.body,
      })
      const body = (await res.json()) as { result?: unknown; error?: { message: string } }
      if (body.error) problem = `error ${body.error.message}`
      else if (
        typeof r.expected === 'string' ? JSON.stringify(body.result) !== r.expected : !r.expected(body.result)
      )
        problem = `wrong answer to ${r.body.slice(0, 80)}`
    } catch (error) {
      problem = `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`
    }
    tally.latencies.push(performance.now() - started)
    if (problem !== undefined) {
      tally.errors++
      if (tally.firstErrors.length < 5) tally.firstErrors.push(problem)
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
}

function summary(tally: Tally, seconds: number) {
  const sorted = [...tally.latencies].sort((a, b) => a - b)
  return {
    requests: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    errors: tally.errors,
  }
}

function describeRun(name: string, s: ReturnType<typeof summary>): string {
  return (
    `${name}: ${s.requests} requests, ${s.rps.toFixed(0)} req/s, p50 ${s.p50.toFixed(1)} ms, ` +
    `p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(0)} ms, ${s.errors} errors`
  )
}

function crucible(args: string[]): void {
  execFileSync(process.execPath, [...TSX, CRUCIBLE_CLI, ...args], {
    cwd: REPO,
    stdio: 'pipe',
    maxBuffer: 1 << 26,
  })
}

async function engineCall(node: RunningNode, secret: Uint8Array, method: string, params: unknown[]) {
  const res = await fetch(node.engineUrl, {
    signal: AbortSignal.timeout(600_000),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(secret)}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: Record<string, unknown>; error?: { message: string } }
  if (!body.result) throw new Error(`${method}: ${body.error?.message}`)
  return body.result
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const log = (line: string) => console.log(line)
  const seconds = options.quick ? 5 : Number(process.env.RPC_LOAD_SECONDS ?? 60)
  log(
    `rpc-load: ${CLIENTS} clients; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`,
  )
  const root = mkdtempSync(join(tmpdir(), 'crucible-rpc-load-'))
  const rows: BenchTable['rows'] = []
  try {
    // 1. Reads alone.
    const genesis = JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis
    const memory = chainFromFiles(genesis)
    importChain(memory, new Uint8Array(readFileSync(join(TESTS, 'chain.rlp'))))
    const requests = await requestSet(createDispatch({ chain: memory }), 54)
    const datadir = join(root, 'apis')
    crucible([
      'import',
      '--datadir',
      datadir,
      '--genesis',
      join(TESTS, 'genesis.json'),
      join(TESTS, 'chain.rlp'),
    ])
    let node = await startCrucibleNode(['--datadir', datadir])
    const tally: Tally = { latencies: [], errors: 0, firstErrors: [] }
    let started = performance.now()
    const until = started + seconds * 1000
    await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        client(node.url, requests, () => performance.now() > until, tally, i),
      ),
    )
    const reads = summary(tally, (performance.now() - started) / 1000)
    await node.stop()
    log(describeRun(`reads alone (${seconds} s)`, reads))
    if (tally.firstErrors.length > 0) log(`  first errors: ${tally.firstErrors.join('; ')}`)
    rows.push({
      name: `${CLIENTS} clients, eth_call/getBalance/getLogs, ${seconds} s`,
      crucible_ms: reads.p50,
      reference: '-',
      note: `${reads.rps.toFixed(0)} req/s, p99 ${reads.p99.toFixed(1)} ms, ${reads.errors} errors`,
    })

    // 2. Reads while blocks arrive through the Engine API.
    const shape = { ...DEFAULT_SHAPE, blocks: options.quick ? 4 : 20 }
    const built = chainFiles(shape, log)
    const synthetic = JSON.parse(readFileSync(built.genesis, 'utf8')) as GethGenesis
    const blocks = splitBlocks(new Uint8Array(readFileSync(built.chain))).map((rlp) => decodeBlock(rlp))
    const importDir = join(root, 'importing')
    crucible(['init', '--datadir', importDir, '--genesis', built.genesis])
    node = await startCrucibleNode(['--datadir', importDir])
    const secret = parseJwtSecret(readFileSync(join(importDir, 'crucible', 'jwtsecret'), 'utf8'))
    // What the clients read: a funded sender's balance at genesis (fixed) and at the head (it
    // only goes down), and the head block (whole: its transactions are all there).
    const sender = Object.keys(synthetic.alloc)[1]!
    const balance = BigInt(synthetic.alloc[sender]!.balance!)
    const body = (id: number, method: string, params: unknown[]) =>
      JSON.stringify({ jsonrpc: '2.0', id, method, params })
    const during: Request[] = [
      { body: body(1, 'eth_getBalance', [sender, '0x0']), expected: JSON.stringify(hex(balance)) },
      {
        body: body(2, 'eth_getBalance', [sender, 'latest']),
        expected: (r) => typeof r === 'string' && BigInt(r) <= balance,
      },
      {
        body: body(3, 'eth_getBlockByNumber', ['latest', false]),
        expected: (r) => {
          const b = r as { number?: string; transactions?: string[] }
          const n = Number(b.number)
          return n === 0 || (b.transactions?.length ?? 0) === blocks[n - 1]?.transactions.length
        },
      },
    ]
    const importTally: Tally = { latencies: [], errors: 0, firstErrors: [] }
    let importing = true
    started = performance.now()
    const readers = Array.from({ length: CLIENTS }, (_, i) =>
      client(node.url, during, () => !importing, importTally, i),
    )
    let gas = 0n
    try {
      for (const block of blocks) {
        const request = newPayloadRequest({ block })
        const status = await engineCall(node, secret, request.method, request.params)
        if (status.status !== 'VALID')
          throw new Error(`block ${block.header.number}: ${String(status.validationError)}`)
        const head = (request.params[0] as { blockHash: string }).blockHash
        await engineCall(node, secret, 'engine_forkchoiceUpdatedV2', [
          { headBlockHash: head, safeBlockHash: head, finalizedBlockHash: bytesToHex(new Uint8Array(32)) },
          null,
        ])
        gas += block.header.gasUsed
      }
    } finally {
      importing = false
      await Promise.all(readers)
    }
    const importSeconds = (performance.now() - started) / 1000
    await node.stop()
    const concurrent = summary(importTally, importSeconds)
    const mgasps = Number(gas) / 1e6 / importSeconds
    log(
      `import through the Engine API: ${blocks.length} blocks, ${(Number(gas) / 1e6).toFixed(0)} Mgas in ` +
        `${importSeconds.toFixed(1)} s (${mgasps.toFixed(1)} Mgas/s) while clients read`,
    )
    log(describeRun('reads during the import', concurrent))
    if (importTally.firstErrors.length > 0) log(`  first errors: ${importTally.firstErrors.join('; ')}`)
    rows.push({
      name: `${CLIENTS} clients reading while ${blocks.length} x 30M-gas blocks arrive (engine)`,
      crucible_ms: concurrent.p50,
      reference: '-',
      note:
        `${concurrent.rps.toFixed(0)} req/s, p99 ${concurrent.p99.toFixed(1)} ms, max ` +
        `${concurrent.max.toFixed(0)} ms, ${concurrent.errors} errors; import ${mgasps.toFixed(1)} Mgas/s`,
    })
    const errors = reads.errors + concurrent.errors
    if (errors > 0) throw new Error(`rpc-load: ${errors} errors`)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return { title: 'JSON-RPC under load: crucible node, LevelDB datadir (p50 latency in ms)', rows }
}
