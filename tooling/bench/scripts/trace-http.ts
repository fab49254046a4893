/**
 * Memory bound of a struct-log trace over HTTP (issue 15): a chain whose block 1 holds one
 * transaction running the snailtracer benchmark of ../shared/bench (166M gas, at Cancun: Prague's genesis would need the EIP-7002/7251 system contracts), served by
 * `startServer`; `curl` (another process, as a client is) asks `debug_traceTransaction` with
 * the default opcode logger and writes the answer to OUT (default /dev/null; curl prints its
 * size). Reports the time and this (the server's) process's peak RSS before and after the
 * trace. Not a test: run it by hand.
 *
 * Beside the repository, or with $CRUCIBLE_BENCH_DATA:
 *   node --conditions=@crucible/source --import tsx tooling/bench/scripts/trace-http.ts [OUT]
 */
import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { buildBlock, chainFromFiles } from '@crucible/rpc'
import { startServer } from '@crucible/rpc-server'
import { encodeTransaction, privateKeyToAddress, signTransaction, transactionHash } from '@crucible/tx'

const out = process.argv[2] ?? '/dev/null'
const bench = process.env.CRUCIBLE_BENCH_DATA ?? resolve(import.meta.dirname, '../../../../shared/bench')
const read = (p: string) => readFileSync(join(bench, p), 'utf8').trim()

const key = hexToBytes(`0x${'42'.repeat(32)}`)
const to = 0xbe7c43a580000000000000000000000000000001n
const config: Record<string, unknown> = {
  chainId: 1337,
  terminalTotalDifficulty: 0,
  shanghaiTime: 0,
  cancunTime: 0,
  blobSchedule: {
    cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 },
  },
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
const tx = signTransaction(
  {
    type: 2,
    chainId: 1337n,
    nonce: 0n,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 0n,
    gasLimit: 200_000_000n,
    to,
    value: 0n,
    data: hexToBytes(`0x${read('snailtracer/benchmark.calldata.hex')}`),
    accessList: [],
  },
  key,
)
const sender = privateKeyToAddress(key)
const chain = chainFromFiles({
  config,
  gasLimit: '0x20000000',
  difficulty: '0x0',
  baseFeePerGas: '0x7',
  alloc: {
    [`0x${sender.toString(16).padStart(40, '0')}`]: { balance: '0xffffffffffffffffffffffffffff' },
    [`0x${to.toString(16)}`]: { code: `0x${read('snailtracer/code.hex')}` },
  },
})
const built = buildBlock(chain, chain.head(), [encodeTransaction(tx)], {
  timestamp: 12n,
  feeRecipient: new Uint8Array(20),
  prevRandao: new Uint8Array(32),
  targetGasLimit: 0x20000000n,
  withdrawals: [],
  parentBeaconBlockRoot: new Uint8Array(32),
})
const imported = chain.importBlock(built.block)
if (!imported.ok) throw new Error(`block 1 refused: ${imported.error}`)
const hash = bytesToHex(transactionHash(tx))

const server = await startServer({ chain, http: { port: 0, ws: false } })
const mb = (kb: number) => Math.round(kb / 1024)
const peakBefore = mb(process.resourceUsage().maxRSS)
const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'debug_traceTransaction',
  params: [hash, { timeout: '1h' }],
})
const started = performance.now()
const code = await new Promise<number>((done) => {
  const curl = spawn(
    'curl',
    [
      '-sS',
      '-o',
      out,
      '-w',
      '%{size_download} bytes\n',
      '-X',
      'POST',
      '-H',
      'content-type: application/json',
      '--data',
      body,
      server.url,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  )
  curl.on('exit', (c) => done(c ?? 1))
})
const seconds = (performance.now() - started) / 1000
const peakAfter = mb(process.resourceUsage().maxRSS)
await server.close()

console.log(
  JSON.stringify({
    curl: code,
    bytes: out === '/dev/null' ? undefined : statSync(out).size,
    seconds: Number(seconds.toFixed(1)),
    serverPeakRssMbBeforeTrace: peakBefore,
    serverPeakRssMb: peakAfter,
  }),
)
