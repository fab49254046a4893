/**
 * One dev-node engine of the devnode benchmark, alone in this process (so that its peak RSS is
 * its own), serving JSON-RPC over HTTP on 127.0.0.1: `ganache` (ganache 7.9.2's server) or
 * `edr` (Hardhat EDR's in-process provider behind a node:http server, as Hardhat's node puts
 * it). Both get the dev accounts of `test test ... junk` with 10,000 ether each, chain 31337,
 * automine. Prints `LISTENING <url>` once it listens; stops on SIGTERM.
 *
 *   node --import tsx tooling/bench/scripts/devnode-engine.ts ganache|edr
 */
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { DEFAULT_BALANCE, DEFAULT_MNEMONIC, devAccounts } from '@crucible/devnode'
import { bigIntToBytes, bytesToHex } from '@crucible/primitives'

const engine = process.argv[2]
const accounts = devAccounts(DEFAULT_MNEMONIC, 10)

async function ganache(): Promise<string> {
  const g = createRequire(import.meta.url)('ganache') as {
    server(options: unknown): {
      listen(port: number, host: string, cb: (e?: Error) => void): void
      address(): { port: number }
    }
  }
  const server = g.server({
    logging: { quiet: true },
    chain: { chainId: 31337, hardfork: 'shanghai' },
    wallet: { mnemonic: DEFAULT_MNEMONIC, totalAccounts: 10, defaultBalance: 10_000 },
    miner: { instamine: 'eager', blockGasLimit: 30_000_000 },
  })
  await new Promise<void>((resolve, reject) =>
    server.listen(0, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  )
  return `http://127.0.0.1:${server.address().port}`
}

async function edr(): Promise<string> {
  const edr = await import('@nomicfoundation/edr')
  const context = new edr.EdrContext()
  await context.registerProviderFactory(edr.L1_CHAIN_TYPE, edr.l1ProviderFactory())
  const provider = await context.createProvider(
    edr.L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: false,
      allowUnlimitedContractSize: false,
      bailOnCallFailure: false,
      bailOnTransactionFailure: false,
      chainId: 31337n,
      coinbase: new Uint8Array(20),
      // Hardhat's default for a transaction without a gas limit (the benchmark gives one).
      defaultTransactionGasLimit: 30_000_000n,
      genesisState: [
        ...edr.l1GenesisState(edr.SpecId.Prague),
        ...accounts.map((a) => ({ address: bigIntToBytes(a.address, 20), balance: DEFAULT_BALANCE })),
      ],
      hardfork: edr.PRAGUE,
      minGasPrice: 0n,
      mining: { autoMine: true, memPool: { order: edr.MineOrdering.Priority } },
      network: { genesisBlockGasLimit: 30_000_000n },
      networkId: 31337n,
      observability: {},
      ownedAccounts: accounts.map((a) => bytesToHex(a.privateKey)),
      precompileOverrides: [],
      transactionGasCap: false,
    } as never,
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} } as never,
    { subscriptionCallback: () => {} },
    new edr.ContractDecoder(),
  )
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      // EDR wants `params` present (viem leaves it out when empty); Hardhat's node adds it too.
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { params?: unknown[] }
      request.params ??= []
      const response = await provider.handleRequest(JSON.stringify(request))
      const body = typeof response.data === 'string' ? response.data : JSON.stringify(response.data)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    })
  })
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return `http://127.0.0.1:${address.port}`
}

const url = engine === 'ganache' ? await ganache() : engine === 'edr' ? await edr() : undefined
if (url === undefined) {
  console.error('usage: devnode-engine.ts ganache|edr')
  process.exit(2)
}
console.log(`LISTENING ${url}`)
process.on('SIGTERM', () => process.exit(0))
