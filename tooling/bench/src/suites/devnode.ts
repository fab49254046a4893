import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { compileContract, TOKEN_SOURCE } from '@crucible/test-support/solc'
import { type Abi, createPublicClient, createWalletClient, http } from 'viem'
import { foundry } from 'viem/chains'
import type { BenchRow, BenchTable, SuiteOptions } from '../types.js'

/**
 * The dev node against ganache 7.9.2 and Hardhat EDR 0.13.0 (its in-process provider, behind
 * a node:http server as Hardhat's node has it), side by side in one run, each engine alone in
 * its own child process (its peak RSS is its own: VmHWM), driven the same way through viem
 * over HTTP: deploy the ERC-20 (packages/devnode/test/contracts/Token.sol, compiled once for
 * Shanghai, the newest fork ganache runs), 1,000 automined `transfer`s from an unlocked dev
 * account (eth_sendTransaction, one after the other, each with its gas limit given: the same
 * work on every engine, no estimation), then 10,000 `balanceOf` eth_calls with 16 in flight. Crucible runs as users start it: `crucible node --dev` on a LevelDB datadir
 * (persistent, every answer on disk), and `--in-memory`.
 */

const REPO = resolve(import.meta.dirname, '../../../..')
const CLI = join(REPO, 'apps/node/src/cli.ts')
const ENGINE_SCRIPT = join(REPO, 'tooling/bench/scripts/devnode-engine.ts')
const TSX = ['--conditions=@crucible/source', '--import', 'tsx']
const A0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' as const
const CONCURRENCY = 16

interface Engine {
  name: string
  args: string[]
}

interface Figures {
  name: string
  transfersMs: number
  transfers: number
  callsMs: number
  calls: number
  peakRssMb: number
}

/** Peak resident set of a live process (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return Math.round(kb / 1024)
}

function startEngine(engine: Engine): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...TSX, ...engine.args], {
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return new Promise((resolvePromise, reject) => {
    const seen = (d: Buffer) => {
      out += d.toString()
      const m = /(?:LISTENING|Listening on) (\S+)/.exec(out)
      if (m) resolvePromise({ child, url: m[1]!.startsWith('http') ? m[1]! : `http://${m[1]}` })
    }
    child.stdout!.on('data', seen)
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.once('exit', (code) => reject(new Error(`${engine.name} exited ${code}: ${out.slice(-2000)}`)))
  })
}

function stopEngine(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done()
    child.once('exit', () => done())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref()
  })
}

async function drive(
  engine: Engine,
  token: { abi: Abi; bytecode: `0x${string}` },
  transfers: number,
  calls: number,
) {
  const { child, url } = await startEngine(engine)
  try {
    const transport = http(url, { timeout: 120_000 })
    const wallet = createWalletClient({ chain: foundry, transport, account: A0 })
    const client = createPublicClient({ chain: foundry, transport, cacheTime: 0 })
    const started = performance.now()
    const deploy = await wallet.deployContract({
      abi: token.abi,
      bytecode: token.bytecode,
      args: [10n ** 27n],
      gas: 2_000_000n,
    })
    const receipt = await client.getTransactionReceipt({ hash: deploy })
    const address = receipt.contractAddress!
    for (let i = 0; i < transfers; i++) {
      const to = `0x${(0x1000 + i).toString(16).padStart(40, '0')}` as const
      await wallet.writeContract({
        address,
        abi: token.abi,
        functionName: 'transfer',
        args: [to, 1n],
        gas: 100_000n,
      })
    }
    const transfersMs = performance.now() - started
    const last = `0x${(0x1000 + transfers - 1).toString(16).padStart(40, '0')}` as const
    const balance = await client.readContract({
      address,
      abi: token.abi,
      functionName: 'balanceOf',
      args: [last],
    })
    if (balance !== 1n) throw new Error(`${engine.name}: the last transfer did not land (balance ${balance})`)
    const callsStarted = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < calls) {
          const i = next++
          const who = `0x${(0x1000 + (i % transfers)).toString(16).padStart(40, '0')}` as const
          const got = await client.readContract({
            address,
            abi: token.abi,
            functionName: 'balanceOf',
            args: [who],
          })
          if (got !== 1n) throw new Error(`${engine.name}: balanceOf(${who}) is ${got}`)
        }
      }),
    )
    const callsMs = performance.now() - callsStarted
    return { name: engine.name, transfersMs, transfers, callsMs, calls, peakRssMb: peakRssMb(child.pid!) }
  } finally {
    await stopEngine(child)
  }
}

const rate = (n: number, ms: number) => (n / ms) * 1000

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const transfers = options.quick ? 100 : Number(process.env.DEVNODE_TRANSFERS ?? 1000)
  const calls = options.quick ? 1000 : Number(process.env.DEVNODE_CALLS ?? 10_000)
  const compiled = compileContract(TOKEN_SOURCE, 'Token', 'shanghai')
  const token = { abi: compiled.abi as Abi, bytecode: compiled.bytecode }
  const dir = mkdtempSync(join(tmpdir(), 'crucible-devnode-bench-'))
  const engines: Engine[] = [
    {
      name: 'crucible (LevelDB)',
      args: [
        CLI,
        'node',
        '--dev',
        '--port',
        '0',
        '--silent',
        '--hardfork',
        'shanghai',
        '--datadir',
        join(dir, 'dev'),
      ],
    },
    {
      name: 'crucible (in memory)',
      args: [CLI, 'node', '--dev', '--port', '0', '--silent', '--hardfork', 'shanghai', '--in-memory'],
    },
    { name: 'ganache 7.9.2', args: [ENGINE_SCRIPT, 'ganache'] },
    { name: 'EDR 0.13.0', args: [ENGINE_SCRIPT, 'edr'] },
  ]
  const figures: Figures[] = []
  try {
    for (const engine of engines) {
      const f = await drive(engine, token, transfers, calls)
      figures.push(f)
      console.log(
        `  ${f.name}: deploy + ${transfers} transfers ${(f.transfersMs / 1000).toFixed(2)} s (${rate(transfers + 1, f.transfersMs).toFixed(0)} tx/s), ${calls} eth_calls ${(f.callsMs / 1000).toFixed(2)} s (${rate(calls, f.callsMs).toFixed(0)} req/s), peak RSS ${f.peakRssMb} MB`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const rows: BenchRow[] = []
  const ours = figures.filter((f) => f.name.startsWith('crucible'))
  const others = figures.filter((f) => !f.name.startsWith('crucible'))
  for (const o of ours)
    for (const r of others) {
      rows.push({
        name: `${o.name}: deploy + ${transfers} transfers`,
        crucible_ms: o.transfersMs,
        reference_ms: r.transfersMs,
        reference: r.name,
        speedup: r.transfersMs / o.transfersMs,
        note: `${rate(transfers + 1, o.transfersMs).toFixed(0)} vs ${rate(transfers + 1, r.transfersMs).toFixed(0)} tx/s; peak RSS ${o.peakRssMb} vs ${r.peakRssMb} MB`,
      })
      rows.push({
        name: `${o.name}: ${calls} eth_calls (${CONCURRENCY} in flight)`,
        crucible_ms: o.callsMs,
        reference_ms: r.callsMs,
        reference: r.name,
        speedup: r.callsMs / o.callsMs,
        note: `${rate(calls, o.callsMs).toFixed(0)} vs ${rate(calls, r.callsMs).toFixed(0)} req/s`,
      })
    }
  return {
    title: `Dev node through viem over HTTP (each engine its own process; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)})`,
    rows,
  }
}
