import { encodeCapsule, recordCall } from '@crucible/capsule'
import { chainAtFork, getForkRules } from '@crucible/forks'
import { getPrecompile, kzgToVersionedHash } from '@crucible/precompiles'
import { bytesToHex, hexToBytes, KECCAK256_RLP_EMPTY } from '@crucible/primitives'
import { chainFromFiles } from '@crucible/rpc'
import { type RunningServer, startServer } from '@crucible/rpc-server'
import { MemoryStateDatabase, WorldState } from '@crucible/state'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sandbox, type SandboxJob, type SandboxLimits, type SandboxResult } from '../src/index.js'
import { asm, word } from './asm.js'

// Hostile input against one sandbox, while the main thread serves JSON-RPC: every run must end
// with the right typed result within its limit (plus the grace and a tolerance for a loaded
// machine), eth_blockNumber must keep answering, and the process must not grow past budget.
const LIMITS = {
  gasCap: 10n ** 15n,
  timeoutMs: 1000,
  graceMs: 250,
  memoryBytes: 32 << 20,
  outputBytes: 16 << 20,
  logBytes: 4 << 20,
  heapMb: 128,
} satisfies SandboxLimits
const TOLERANCE_MS = 750
const HUGE_GAS = 10n ** 15n
const A = 0xaaaan
const B = 0xbbbbn
const alloc = (accounts: Record<string, Uint8Array>) =>
  Object.fromEntries(Object.entries(accounts).map(([a, code]) => [a, { code: bytesToHex(code) }]))
const at = (address: bigint) => `0x${address.toString(16).padStart(40, '0')}`

let sandbox: Sandbox
let server: RunningServer
let rssBefore = 0
/** The slowest eth_blockNumber answer seen while hostile runs went on. */
let slowestAnswerMs = 0

beforeAll(async () => {
  const config: Record<string, unknown> = { chainId: 1337, terminalTotalDifficulty: 0, shanghaiTime: 0 }
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
  server = await startServer({
    chain: chainFromFiles({ config, gasLimit: '0x1c9c380', difficulty: '0x0', alloc: {} }),
    http: { port: 0 },
  })
  sandbox = new Sandbox({ concurrency: 1, limits: LIMITS })
  // The first run waits for the worker to load; that is not what the suite measures.
  await sandbox.run({ kind: 'evm', code: asm('STOP') })
  rssBefore = process.memoryUsage().rss
}, 60_000)

/** Each case's result (`SANDBOX_REPORT=1` prints them: the figures of record come from here). */
const seen: Array<{ name: string; status: string; reason?: string; elapsedMs: number; rssGrowthMb: number }> =
  []

afterAll(async () => {
  if (process.env.SANDBOX_REPORT) {
    for (const s of seen) console.info(JSON.stringify(s))
    console.info(JSON.stringify({ slowestAnswerMs, stats: sandbox.stats }))
  }
  await sandbox?.close()
  await server?.close()
})

/** Runs a job while asking the main thread's server for eth_blockNumber every 20 ms. */
async function hostile(job: SandboxJob, limits: SandboxLimits = {}): Promise<SandboxResult> {
  let running = true
  const probe = (async () => {
    while (running) {
      const sent = performance.now()
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
      })
      expect(((await response.json()) as { result: string }).result).toBe('0x0')
      slowestAnswerMs = Math.max(slowestAnswerMs, performance.now() - sent)
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  let result: SandboxResult | undefined
  try {
    result = await sandbox.run(job, limits)
    return result
  } finally {
    running = false
    await probe
    // Worker heap and EVM memory are in this process too: the whole must stay within budget.
    const growth = process.memoryUsage().rss - rssBefore
    seen.push({
      name: expect.getState().currentTestName ?? '',
      status: result?.status ?? 'none',
      ...(result?.status === 'aborted' ? { reason: result.reason } : {}),
      elapsedMs: Math.round(result?.elapsedMs ?? 0),
      rssGrowthMb: Math.round(growth / 2 ** 20),
    })
    expect(growth).toBeLessThan(768 << 20)
  }
}

function expectAborted(result: SandboxResult, reasons: string[]) {
  if (result.status !== 'aborted') throw new Error(`expected an abort, got ${JSON.stringify(result.status)}`)
  expect(reasons).toContain(result.reason)
  expect(result.elapsedMs).toBeLessThan(LIMITS.timeoutMs + LIMITS.graceMs + TOLERANCE_MS)
  return result
}

/** A contract that copies its call data to memory and calls `precompile` with it forever. */
const precompileLoop = (precompile: bigint) =>
  asm(
    'CALLDATASIZE',
    0n,
    0n,
    'CALLDATACOPY',
    { label: 'loop' },
    0n,
    0n,
    'CALLDATASIZE',
    0n,
    precompile,
    'GAS',
    'STATICCALL',
    'POP',
    { to: 'loop' },
    'JUMP',
  )

const loopJob = (precompile: bigint, input: string): SandboxJob => ({
  kind: 'evm',
  alloc: alloc({ [at(A)]: precompileLoop(precompile) }),
  to: A,
  data: hexToBytes(`0x${input}`),
  gas: HUGE_GAS,
})

describe('sandbox: hostile bytecode ends in a typed abort, the host stays up', () => {
  it('an endless loop under a huge gas cap: timeout, stopped by the interpreter itself', async () => {
    const r = expectAborted(
      await hostile({ kind: 'evm', code: asm({ label: 'l' }, { to: 'l' }, 'JUMP'), gas: HUGE_GAS }),
      ['timeout'],
    )
    expect(r.terminated).toBeUndefined()
    expect(r.pc).toBe(0)
  })

  it('memory expansion under huge gas: memory, before the allocation', async () => {
    const one = expectAborted(
      await hostile({ kind: 'evm', code: asm(0n, 0x0fffffe0n, 'MSTORE'), gas: HUGE_GAS }),
      ['memory'],
    )
    expect(one.bytes).toBeGreaterThan(LIMITS.memoryBytes)
    // 64 KiB more each turn.
    const growing = asm({ label: 'l' }, 0n, 0xffe0n, 'MSIZE', 'ADD', 'MSTORE', { to: 'l' }, 'JUMP')
    expectAborted(await hostile({ kind: 'evm', code: growing, gas: HUGE_GAS }), ['memory'])
  })

  it('1,024-deep recursion with 1 MiB of memory in every frame: memory, counted across frames', async () => {
    const code = asm(0n, 0xfffe0n, 'MSTORE', 0n, 0n, 0n, 0n, 0n, 'ADDRESS', 'GAS', 'CALL', 'STOP')
    const r = expectAborted(
      await hostile({ kind: 'evm', alloc: alloc({ [at(A)]: code }), to: A, gas: HUGE_GAS }),
      ['memory'],
    )
    expect(r.depth).toBeGreaterThan(10)
    expect(r.depth).toBeLessThan(40)
    // The same recursion with a word of memory per frame reaches the depth limit and completes.
    const small = asm(0n, 0n, 'MSTORE', 0n, 0n, 0n, 0n, 0n, 'ADDRESS', 'GAS', 'CALL', 'STOP')
    const done = await hostile({ kind: 'evm', alloc: alloc({ [at(A)]: small }), to: A, gas: HUGE_GAS })
    expect(done.status).toBe('completed')
  })

  it('return-data amplification: every frame holds 1 MiB of return data, counted', async () => {
    const big = asm(0x100000n, 0n, 'RETURN')
    const code = asm(
      0n,
      0n,
      0n,
      0n,
      0n,
      B,
      'GAS',
      'CALL',
      'POP',
      0n,
      0n,
      0n,
      0n,
      0n,
      'ADDRESS',
      'GAS',
      'CALL',
      'STOP',
    )
    const r = expectAborted(
      await hostile({ kind: 'evm', alloc: alloc({ [at(A)]: code, [at(B)]: big }), to: A, gas: HUGE_GAS }),
      ['memory'],
    )
    expect(r.depth).toBeLessThan(40)
    expectAborted(await hostile({ kind: 'evm', code: big, gas: HUGE_GAS }, { outputBytes: 1 << 16 }), [
      'output',
    ])
  })

  it('LOG spam: logs', async () => {
    const code = asm({ label: 'l' }, 0x8000n, 0n, 'LOG0', { to: 'l' }, 'JUMP')
    const r = expectAborted(await hostile({ kind: 'evm', code, gas: HUGE_GAS }), ['logs'])
    expect(r.limit).toBe(LIMITS.logBytes)
  })

  it('KECCAK256 over (almost) all the memory allowed, in a loop: timeout', async () => {
    const code = asm({ label: 'l' }, 0x01e00000n, 0n, 'KECCAK256', 'POP', { to: 'l' }, 'JUMP')
    expectAborted(await hostile({ kind: 'evm', code, gas: HUGE_GAS }), ['timeout'])
  })

  it('CREATE2 in a loop: timeout (or the heap, whichever comes first)', async () => {
    const code = asm({ label: 'l' }, 'GAS', 0n, 0n, 0n, 'CREATE2', 'POP', { to: 'l' }, 'JUMP')
    expectAborted(await hostile({ kind: 'evm', code, gas: HUGE_GAS }), ['timeout', 'heap'])
  })

  it('worst-case MODEXP (1,024-byte operands, all-ones exponent) in a loop: timeout', async () => {
    const ones = 'ff'.repeat(1024)
    const input = `${word(1024n)}${word(1024n)}${word(1024n)}${ones}${ones}${'ff'.repeat(1023)}fd`
    expectAborted(await hostile(loopJob(5n, input)), ['timeout'])
  })

  it('BN254 pairing over many pairs in a loop: timeout', async () => {
    // G1 and G2 generators (EIP-197 order: imaginary part first).
    const g1 = `${word(1n)}${word(2n)}`
    const g2 = [
      0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2n,
      0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6edn,
      0x090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975bn,
      0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daan,
    ]
      .map(word)
      .join('')
    const input = `${g1}${g2}`.repeat(32)
    const pairing = getPrecompile(8, getForkRules('Osaka'))!
    expect(pairing(hexToBytes(`0x${input}`), 10_000_000, getForkRules('Osaka')).ok).toBe(true)
    expectAborted(await hostile(loopJob(8n, input)), ['timeout'])
  })

  it('BLS12-381 G1 MSM and pairing in a loop: timeout', async () => {
    const fp = (hex: string) => hex.padStart(128, '0')
    const g1 =
      fp('17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb') +
      fp('08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1')
    const g2 =
      fp('024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8') +
      fp('13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e') +
      fp('0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801') +
      fp('0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be')
    const rules = getForkRules('Osaka')
    const msm = `${g1}${'ff'.repeat(32)}`.repeat(64)
    const pairs = `${g1}${g2}`.repeat(16)
    expect(getPrecompile(0x0c, rules)!(hexToBytes(`0x${msm}`), 10_000_000, rules).ok).toBe(true)
    expect(getPrecompile(0x0f, rules)!(hexToBytes(`0x${pairs}`), 10_000_000, rules).ok).toBe(true)
    expectAborted(await hostile(loopJob(0x0cn, msm)), ['timeout'])
    expectAborted(await hostile(loopJob(0x0fn, pairs)), ['timeout'])
  })

  it('KZG point evaluation in a loop: timeout', async () => {
    // The zero polynomial: commitment and proof are the point at infinity, y = 0 at any z.
    const infinity = `c0${'00'.repeat(47)}`
    const versioned = bytesToHex(kzgToVersionedHash(hexToBytes(`0x${infinity}`))).slice(2)
    const input = `${versioned}${word(5n)}${word(0n)}${infinity}${infinity}`
    const rules = getForkRules('Osaka')
    expect(getPrecompile(0x0a, rules)!(hexToBytes(`0x${input}`), 1_000_000, rules).ok).toBe(true)
    expectAborted(await hostile(loopJob(0x0an, input)), ['timeout'])
  })

  it('100 runaway runs in a row: every one aborted, no leak, the host still answers', async () => {
    const loop = asm({ label: 'l' }, { to: 'l' }, 'JUMP')
    const rss: number[] = []
    for (let i = 0; i < 100; i++) {
      const r = await sandbox.run({ kind: 'evm', code: loop, gas: HUGE_GAS }, { timeoutMs: 20 })
      expect(r).toMatchObject({ status: 'aborted', reason: 'timeout' })
      if (i % 25 === 24) rss.push(process.memoryUsage().rss)
    }
    expect(Math.max(...rss) - Math.min(...rss)).toBeLessThan(128 << 20)
    expect(slowestAnswerMs).toBeLessThan(1000)
  }, 120_000)
})

describe('sandbox: malformed capsules fail typed', () => {
  it('names what is wrong: magic, content hash, truncation', async () => {
    const db = new MemoryStateDatabase()
    const state = WorldState.open(db, KECCAK256_RLP_EMPTY)
    state.loadAlloc({ [at(A)]: { code: bytesToHex(asm(1n, 0n, 'MSTORE', 32n, 0n, 'RETURN')) } })
    const changes = state.persistChanges()
    db.apply(changes)
    const capsule = encodeCapsule(
      recordCall({
        database: db,
        getHeader: () => undefined,
        chain: chainAtFork('Cancun'),
        rules: getForkRules('Cancun'),
        header: {
          parentHash: new Uint8Array(32),
          ommersHash: new Uint8Array(32),
          coinbase: new Uint8Array(20),
          stateRoot: changes.root,
          transactionsRoot: KECCAK256_RLP_EMPTY,
          receiptsRoot: KECCAK256_RLP_EMPTY,
          logsBloom: new Uint8Array(256),
          difficulty: 0n,
          number: 0n,
          gasLimit: 30_000_000n,
          gasUsed: 0n,
          timestamp: 0n,
          extraData: new Uint8Array(0),
          mixHash: new Uint8Array(32),
          nonce: new Uint8Array(8),
        },
        env: {
          number: 1n,
          coinbase: 0n,
          timestamp: 12n,
          gasLimit: 30_000_000n,
          difficulty: 0n,
          prevRandao: 0n,
          baseFee: 0n,
          blobBaseFee: 0n,
          chainId: 1n,
        },
        tx: {
          type: 0,
          sender: 0xcafen,
          to: A,
          nonce: 0n,
          value: 0n,
          data: new Uint8Array(0),
          gasLimit: 100_000n,
          gasPrice: 0n,
        },
      }),
    )
    const ok = await sandbox.run({ kind: 'capsule', capsule })
    expect(ok.status === 'completed' && ok.result.kind === 'capsule' && ok.result.report.ok).toBe(true)
    const flipped = capsule.slice()
    flipped[40] = flipped[40]! ^ 1
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array([1, 2, 3]), 'BAD_MAGIC'],
      [flipped, 'BAD_CONTENT_HASH'],
      [capsule.subarray(0, capsule.length - 40), 'BAD_CONTENT_HASH'],
    ]
    for (const [bytes, code] of cases) {
      const r = await sandbox.run({ kind: 'capsule', capsule: bytes })
      expect(r).toMatchObject({ status: 'failed', error: { name: 'CapsuleError', code } })
    }
  })
})
