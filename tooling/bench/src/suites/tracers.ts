import { processTransaction, type TransactionInput } from '@crucible/evm'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { type TraceConfig, TraceTimeoutError, traceTransaction } from '@crucible/tracers'
import { DEFAULT_MANIFEST_DIR } from '../cli.js'
import { SENDER } from '../engine.js'
import { crucibleEngine } from '../engines/crucible.js'
import { loadManifest } from '../manifest.js'
import { median } from '../stats.js'
import type { BenchRow, BenchTable, SuiteOptions } from '../types.js'

/**
 * What tracing costs: each ../shared/bench contract's first case run as a transaction
 * (processTransaction at Prague, from the post-deploy state) untraced, then with callTracer,
 * prestateTracer, and the opcode logger without and with memory (streamed to a sink that only
 * counts). The goal is callTracer and prestateTracer under 1.5× the untraced time. Struct logs
 * are timed only where an untraced run takes under 250 ms (snailtracer's trace is 18 GB of
 * JSON: scripts/trace-http.ts measures it), and with memory only within a time cap (each step
 * copies the whole memory: memory_grow's would take many minutes); a skipped row is printed
 * with its reason. Last, the struct-log trace of the largest contract Hardhat EDR can hold
 * (EDR builds the whole trace in memory: see EDR_MAX_GAS) against EDR's
 * `debug_traceTransaction` on the same code and calldata.
 */

const BLOCK = {
  number: 1n,
  coinbase: 0n,
  timestamp: 1n,
  gasLimit: 10_000_000_000n,
  difficulty: 0n,
  prevRandao: 0n,
  baseFee: 0n,
  blobBaseFee: 1n,
  chainId: 1n,
}

/** Longest a struct-log trace with memory may run before its row is skipped. */
const MEMORY_CAP_S = 20

const TRACERS: [string, TraceConfig][] = [
  ['callTracer', { tracer: 'callTracer' }],
  ['prestateTracer', { tracer: 'prestateTracer' }],
  ['struct logs', {}],
  ['struct logs + memory', { enableMemory: true }],
]

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const runs = options.quick ? 1 : 3
  const engine = crucibleEngine()
  const rows: BenchRow[] = []
  for (const benchmark of loadManifest(DEFAULT_MANIFEST_DIR)) {
    const input = benchmark.inputs[0]
    if (input === undefined) continue
    const p = await engine.prepare(benchmark)
    const rules = p.rules
    const tx: TransactionInput = {
      type: 0,
      sender: SENDER,
      to: p.to,
      nonce: p.state.getNonce(SENDER),
      value: 0n,
      data: input.calldata,
      gasLimit: benchmark.gasLimit,
      gasPrice: 0n,
    }
    const time = (fn: () => void) => {
      const samples: number[] = []
      for (let i = 0; i < runs; i++) {
        p.state.restore(p.snapshot)
        const start = performance.now()
        fn()
        samples.push(performance.now() - start)
      }
      return median(samples)
    }
    const untraced = time(() => processTransaction(p.state, tx, BLOCK, rules))
    for (const [name, config] of TRACERS) {
      const structLogs = config.tracer === undefined
      const row = `${benchmark.name}/${input.label} ${name}`
      if (structLogs && untraced > 250) {
        console.log(
          `skipped ${row}: the untraced run takes ${untraced.toFixed(0)} ms, over 250 ms (its struct logs would take minutes; scripts/trace-http.ts traces snailtracer)`,
        )
        continue
      }
      let chars = 0
      let traced: number
      try {
        traced = time(() =>
          traceTransaction({
            host: p.state,
            tx,
            block: BLOCK,
            rules,
            config: { ...config, timeout: config.enableMemory ? `${MEMORY_CAP_S}s` : '1h' },
            sink: (chunk) => {
              chars += chunk.length
            },
          }),
        )
      } catch (error) {
        if (!(error instanceof TraceTimeoutError)) throw error
        console.log(`skipped ${row}: past the ${MEMORY_CAP_S} s cap (every step copies the whole memory)`)
        continue
      }
      const ratio = traced / untraced
      rows.push({
        name: `${benchmark.name}/${input.label} ${name}`,
        crucible_ms: traced,
        reference_ms: untraced,
        reference: 'untraced',
        speedup: untraced / traced,
        note: `${ratio.toFixed(2)}× untraced${structLogs ? `, ${(chars / runs / 2 ** 20).toFixed(1)} MB JSON` : ''}`,
      })
    }
  }
  rows.push(...(await againstEdr(options)))
  return { title: 'Tracing cost against untraced execution (processTransaction, Prague)', rows }
}

/**
 * The most gas a contract traced against EDR may use: EDR builds the whole trace in memory
 * (erc20_transfer, 14M gas: 239 MB of JSON, 2.5 GB RSS, 68 s; blake2b_shifts, 12M gas of cheap
 * opcodes, exhausted this 24 GB machine), so the row takes the largest contract under it.
 */
const EDR_MAX_GAS = 2_000_000n

/** The struct-log trace (default options) of {@link EDR_BENCHMARK}: ours streamed, EDR's whole. */
async function againstEdr(options: SuiteOptions): Promise<BenchRow[]> {
  // The largest contract under the cap that needs no constructor (EDR gets the runtime code).
  const benchmark = loadManifest(DEFAULT_MANIFEST_DIR)
    .filter((b) => b.init === undefined && (b.inputs[0]?.execGas ?? EDR_MAX_GAS) < EDR_MAX_GAS)
    .sort((a, b) => Number(b.inputs[0]!.execGas - a.inputs[0]!.execGas))[0]
  const input = benchmark?.inputs[0]
  if (benchmark === undefined || input === undefined) return []
  console.log(
    `contracts over ${EDR_MAX_GAS} gas against EDR: skipped (EDR holds the whole trace: 2.5 GB RSS for erc20_transfer's 239 MB, about 190 GB for snailtracer's 18 GB)`,
  )
  const edr = await edrTrace(benchmark.code, benchmark.to, input.calldata, benchmark.gasLimit)
  const engine = crucibleEngine()
  const p = await engine.prepare(benchmark)
  const runs = options.quick ? 1 : 3
  const samples: number[] = []
  let chars = 0
  for (let i = 0; i < runs; i++) {
    p.state.restore(p.snapshot)
    chars = 0
    const start = performance.now()
    traceTransaction({
      host: p.state,
      tx: {
        type: 0,
        sender: SENDER,
        to: p.to,
        nonce: p.state.getNonce(SENDER),
        value: 0n,
        data: input.calldata,
        gasLimit: benchmark.gasLimit,
        gasPrice: 0n,
      },
      block: BLOCK,
      rules: p.rules,
      config: { timeout: '1h' },
      sink: (chunk) => {
        chars += chunk.length
      },
    })
    samples.push(performance.now() - start)
  }
  const ours = median(samples)
  return [
    {
      name: `${benchmark.name}/${input.label} struct logs vs EDR debug_traceTransaction`,
      crucible_ms: ours,
      reference_ms: edr.ms,
      reference: 'EDR 0.13.0',
      speedup: edr.ms / ours,
      note: `ours ${(chars / 2 ** 20).toFixed(0)} MB streamed; EDR ${(edr.chars / 2 ** 20).toFixed(0)} MB, peak RSS ${edr.rssMb} MB`,
    },
  ]
}

/** EDR's `debug_traceTransaction` of one call of `code` (at `to`), timed: the request alone. */
async function edrTrace(
  code: Uint8Array,
  to: bigint,
  calldata: Uint8Array,
  gasLimit: bigint,
): Promise<{ ms: number; chars: number; rssMb: number }> {
  const edr = await import('@nomicfoundation/edr')
  const key = `0x${'42'.repeat(32)}`
  const sender = hexToBytes('0x17c5185167401ed00cf5f5b2fc97d9bbfdb7d025')
  const context = new edr.EdrContext()
  await context.registerProviderFactory(edr.L1_CHAIN_TYPE, edr.l1ProviderFactory())
  const address = `0x${to.toString(16).padStart(40, '0')}`
  const provider = await context.createProvider(
    edr.L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: false,
      allowUnlimitedContractSize: true,
      bailOnCallFailure: false,
      bailOnTransactionFailure: false,
      chainId: 31337n,
      coinbase: new Uint8Array(20),
      defaultTransactionGasLimit: gasLimit,
      genesisState: [
        ...edr.l1GenesisState(edr.SpecId.Prague),
        { address: hexToBytes(address), code, balance: 0n },
        { address: sender, balance: 10n ** 30n },
      ],
      hardfork: edr.PRAGUE,
      minGasPrice: 0n,
      mining: { autoMine: true, memPool: { order: edr.MineOrdering.Priority } },
      network: { genesisBlockGasLimit: 2_000_000_000n },
      networkId: 31337n,
      observability: {},
      ownedAccounts: [key],
      precompileOverrides: [],
      transactionGasCap: false,
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    { subscriptionCallback: () => {} },
    new edr.ContractDecoder(),
  )
  const request = async (method: string, params: unknown[]) => {
    const response = await provider.handleRequest(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))
    return typeof response.data === 'string' ? response.data : JSON.stringify(response.data)
  }
  const sent = JSON.parse(
    await request('eth_sendTransaction', [
      {
        from: bytesToHex(sender),
        to: address,
        data: bytesToHex(calldata),
        gas: `0x${gasLimit.toString(16)}`,
      },
    ]),
  ) as { result?: string; error?: { message: string } }
  if (sent.result === undefined) throw new Error(`EDR refused the transaction: ${sent.error?.message}`)
  const start = performance.now()
  const text = await request('debug_traceTransaction', [sent.result])
  const ms = performance.now() - start
  if (!text.includes('"structLogs"')) throw new Error(`EDR did not trace: ${text.slice(0, 200)}`)
  return { ms, chars: text.length, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }
}
