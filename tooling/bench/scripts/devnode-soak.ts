/**
 * The dev node's soak: `crucible node --dev --block-time 1` on a LevelDB datadir (a child
 * process, as users run it) takes 20 transactions a second for 10 minutes (`SOAK_SECONDS`,
 * `SOAK_RATE`), half ERC-20 transfers and half ether transfers from the unlocked accounts,
 * through viem over HTTP, while its resident set is sampled every 10 s. Prints the samples,
 * the growth after the first minute's warm-up (goal: under 100 MB) and checks that every
 * transaction was mined. Not part of CI:
 *
 *   node --conditions=@crucible/source --import tsx tooling/bench/scripts/devnode-soak.ts
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { compileContract, TOKEN_SOURCE } from '@crucible/test-support/solc'
import { type Abi, createPublicClient, createWalletClient, type Hex, http } from 'viem'
import { foundry } from 'viem/chains'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600)
const RATE = Number(process.env.SOAK_RATE ?? 20)
const WARMUP_S = Math.min(60, SECONDS / 5)
const CLI = resolve(import.meta.dirname, '../../../apps/node/src/cli.ts')
const SENDERS = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
] as const

const rssMb = (pid: number, field = 'VmRSS') =>
  Math.round(
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024,
  )

const dir = mkdtempSync(join(tmpdir(), 'crucible-soak-'))
const child = spawn(
  process.execPath,
  [
    '--conditions=@crucible/source',
    '--import',
    'tsx',
    CLI,
    'node',
    '--dev',
    '--block-time',
    '1',
    '--silent',
    '--port',
    '0',
    '--datadir',
    join(dir, 'dev'),
  ],
  { env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
)
try {
  const url = await new Promise<string>((done, fail) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Listening on (\S+)/.exec(out)
      if (m) done(`http://${m[1]}`)
    })
    child.once('exit', (code) => fail(new Error(`the dev node exited with ${code}`)))
  })
  const transport = http(url, { timeout: 60_000 })
  const client = createPublicClient({ chain: foundry, transport, cacheTime: 0 })
  const wallets = SENDERS.map((account) => createWalletClient({ chain: foundry, transport, account }))
  const token = compileContract(TOKEN_SOURCE, 'Token')
  const abi = token.abi as Abi
  const deploy = await wallets[0]!.deployContract({
    abi,
    bytecode: token.bytecode,
    args: [10n ** 27n],
    gas: 2_000_000n,
  })
  const address = (await client.waitForTransactionReceipt({ hash: deploy, pollingInterval: 200 }))
    .contractAddress!
  for (const w of wallets.slice(1))
    await wallets[0]!.writeContract({
      address,
      abi,
      functionName: 'transfer',
      args: [w.account.address, 10n ** 24n],
      gas: 100_000n,
    })

  const samples: { s: number; rss: number }[] = []
  const started = performance.now()
  const elapsed = () => (performance.now() - started) / 1000
  const sampler = setInterval(
    () => samples.push({ s: Math.round(elapsed()), rss: rssMb(child.pid!) }),
    10_000,
  )
  samples.push({ s: 0, rss: rssMb(child.pid!) })
  let sent = 0
  let failed = 0
  let last: Hex | undefined
  const inFlight = new Set<Promise<void>>()
  while (elapsed() < SECONDS) {
    const due = Math.floor(elapsed() * RATE)
    while (sent < due) {
      const i = sent++
      const w = wallets[i % wallets.length]!
      const to = `0x${(0x5000 + (i % 5000)).toString(16).padStart(40, '0')}` as const
      const p = (
        i % 2 === 0
          ? w.writeContract({ address, abi, functionName: 'transfer', args: [to, 1n], gas: 100_000n })
          : w.sendTransaction({ to, value: 1n, gas: 21_000n })
      )
        .then((hash) => {
          last = hash
        })
        .catch(() => {
          failed++
        })
        .finally(() => inFlight.delete(p))
      inFlight.add(p)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  await Promise.all(inFlight)
  clearInterval(sampler)
  samples.push({ s: Math.round(elapsed()), rss: rssMb(child.pid!) })
  const receipt =
    last && (await client.waitForTransactionReceipt({ hash: last, pollingInterval: 250, timeout: 30_000 }))
  const blocks = await client.getBlockNumber()
  const warm = samples.find((x) => x.s >= WARMUP_S) ?? samples[0]!
  const end = samples.at(-1)!
  for (const x of samples) console.log(`  t=${String(x.s).padStart(4)} s  RSS ${x.rss} MB`)
  console.log(
    `soak: ${sent} transactions in ${SECONDS} s (${(sent / SECONDS).toFixed(1)}/s), ${failed} refused, ${blocks} blocks, last mined: ${receipt?.status ?? 'none'}`,
  )
  console.log(
    `RSS: ${samples[0]!.rss} MB at start, ${warm.rss} MB after ${warm.s} s, ${end.rss} MB at the end, peak ${rssMb(child.pid!, 'VmHWM')} MB; growth after warm-up ${end.rss - warm.rss} MB (goal < 100 MB)`,
  )
} finally {
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  rmSync(dir, { recursive: true, force: true })
}
