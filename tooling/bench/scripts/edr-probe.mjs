import { readFileSync } from 'node:fs'
import { EdrContext, L1_CHAIN_TYPE, l1ProviderFactory, l1GenesisState, SpecId, MineOrdering, ContractDecoder } from '@nomicfoundation/edr'
const bench = '/work/shared/bench'
const name = process.argv[2] ?? 'erc20_transfer'
const manifest = JSON.parse(readFileSync(`${bench}/manifest.json`, 'utf8'))
const b = (manifest.benchmarks ?? manifest).find((x) => x.name === name)
const hex = (p) => readFileSync(`${bench}/${p}`, 'utf8').trim()
const toBytes = (h) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'))
const key = '0x' + '42'.repeat(32)
const sender = '0x' // filled below
const ctx = new EdrContext()
await ctx.registerProviderFactory(L1_CHAIN_TYPE, l1ProviderFactory())
const to = b.to
const genesis = [...l1GenesisState(SpecId.Prague), { address: toBytes(to), code: toBytes(hex(b.code)), balance: 0n }, { address: toBytes('0x17c5185167401ed00cf5f5b2fc97d9bbfdb7d025'), balance: 10n ** 30n }]
const provider = await ctx.createProvider(L1_CHAIN_TYPE, {
  allowBlocksWithSameTimestamp: false, allowUnlimitedContractSize: true, bailOnCallFailure: false, bailOnTransactionFailure: false,
  chainId: 31337n, coinbase: new Uint8Array(20), defaultTransactionGasLimit: 30_000_000n, genesisState: genesis, hardfork: 'prague'.toUpperCase() === 'PRAGUE' ? (await import('@nomicfoundation/edr')).PRAGUE : 'prague',
  minGasPrice: 0n, mining: { autoMine: true, memPool: { order: MineOrdering.Priority } },
  network: { genesisBlockGasLimit: 2_000_000_000n }, networkId: 31337n, observability: {}, ownedAccounts: [key], precompileOverrides: [],
  transactionGasCap: false,
}, { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} }, { subscriptionCallback: () => {} }, new ContractDecoder())
const rpc = async (method, params) => {
  const r = await provider.handleRequest(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))
  return typeof r.data === 'string' ? JSON.parse(r.data) : r.data
}
const accounts = await rpc('eth_accounts', [])
console.log('accounts', accounts.result)
const input = b.inputs[0]
const sent = await rpc('eth_sendTransaction', [{ from: accounts.result[0], to, data: '0x' + hex(input.calldata), gas: '0x' + (b.gas_limit).toString(16) }])
console.log('sent', JSON.stringify(sent).slice(0, 200))
const t0 = performance.now()
const r = await provider.handleRequest(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'debug_traceTransaction', params: [sent.result] }))
const t1 = performance.now()
const data = r.data
const len = typeof data === 'string' ? data.length : JSON.stringify(data).length
console.log('trace ms', (t1 - t0).toFixed(0), 'chars', len, 'rss MB', Math.round(process.resourceUsage().maxRSS / 1024))
console.log(String(typeof data === 'string' ? data : JSON.stringify(data)).slice(0, 300))
