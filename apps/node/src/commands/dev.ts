import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DevNode, type DevNodeOptions, derivationPath, devMethods, parseHardfork } from '@crucible/devnode'
import { type KvStore, MemoryKv } from '@crucible/kv'
import { bigIntToBytes, bytesToHex, CrucibleError, toChecksumAddress } from '@crucible/primitives'
import { CLIENT_VERSION } from '@crucible/rpc'
import { type RunningServer, startServer } from '@crucible/rpc-server'
import { flagValue, type ParsedArgs } from '../args.js'
import { datadirPaths, openDatabase } from '../datadir.js'
import { NodeError } from '../errors.js'
import { formatLine } from '../log.js'
import { type Io, shutdownRequested } from './io.js'

/** Where `crucible node --dev` keeps its chain unless `--datadir` says otherwise. */
export const DEV_DATADIR = join('.crucible', 'dev')

const WEI = 10n ** 18n

function integer(args: ParsedArgs, name: string): bigint | undefined {
  const v = flagValue(args, name)
  if (v === undefined) return undefined
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(v))
    throw new NodeError('USAGE', `--${name} needs a non-negative integer`)
  return BigInt(v)
}

/** Ether with up to 18 decimals (`--balance 10000`, `--balance 0.5`) as wei. */
function ether(value: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(value)
  if (!m) throw new NodeError('USAGE', '--balance needs an amount of ether, e.g. 10000 or 0.5')
  return BigInt(m[1]!) * WEI + BigInt((m[2] ?? '').padEnd(18, '0'))
}

function formatEther(wei: bigint): string {
  return `${wei / WEI}.${(wei % WEI).toString().padStart(18, '0')}`
}

/** The dev node's options from the flags (they shape a new chain; an existing one keeps its own). */
export function devOptions(args: ParsedArgs): DevNodeOptions {
  const options: DevNodeOptions = {}
  const chainId = integer(args, 'chain-id')
  if (chainId !== undefined) options.chainId = chainId
  const hardfork = flagValue(args, 'hardfork')
  if (hardfork !== undefined) {
    try {
      options.hardfork = parseHardfork(hardfork)
    } catch (error) {
      throw new NodeError('USAGE', (error as CrucibleError).shortMessage)
    }
  }
  const mnemonic = flagValue(args, 'mnemonic')
  if (mnemonic !== undefined) options.mnemonic = mnemonic
  const accounts = integer(args, 'accounts')
  if (accounts !== undefined) options.accounts = Number(accounts)
  const balance = flagValue(args, 'balance')
  if (balance !== undefined) options.balance = ether(balance)
  const gasLimit = integer(args, 'gas-limit')
  if (gasLimit !== undefined) options.gasLimit = gasLimit
  const blockTime = integer(args, 'block-time')
  if (blockTime !== undefined && blockTime > 0n) options.blockTime = Number(blockTime)
  if (args.flags.has('no-mining')) options.automine = false
  const forkUrl = flagValue(args, 'fork-url')
  const forkBlock = integer(args, 'fork-block-number')
  if (forkBlock !== undefined && forkUrl === undefined)
    throw new NodeError('USAGE', '--fork-block-number needs --fork-url')
  if (forkUrl !== undefined) {
    if (!/^https?:\/\//.test(forkUrl))
      throw new NodeError('USAGE', '--fork-url needs an http:// or https:// URL')
    options.fork = { url: forkUrl, ...(forkBlock === undefined ? {} : { blockNumber: forkBlock }) }
  }
  return options
}

async function openStore(args: ParsedArgs): Promise<{ kv: KvStore; where: string }> {
  if (args.flags.has('in-memory')) return { kv: new MemoryKv(), where: 'memory' }
  const root = resolve(flagValue(args, 'datadir') ?? DEV_DATADIR)
  const { chaindata } = datadirPaths(root)
  try {
    mkdirSync(chaindata, { recursive: true })
  } catch (error) {
    throw new NodeError('DATADIR_UNUSABLE', 'datadir is not writable', { datadir: root }, { cause: error })
  }
  return { kv: await openDatabase(chaindata, root, true), where: root }
}

/** anvil's start-up banner: accounts, keys, wallet, chain id, base fee, gas limit, address. */
function banner(node: DevNode, created: boolean, where: string, listening: string): string {
  const state = node.chain.stateAt(node.chain.head())
  const lines: string[] = ['', 'crucible node --dev', '']
  lines.push('Available Accounts', '==================', '')
  node.accounts.forEach((a, i) => {
    const address = toChecksumAddress(bigIntToBytes(a.address, 20))
    lines.push(`(${i}) ${address} (${formatEther(state.getBalance(a.address))} ETH)`)
  })
  lines.push('', 'Private Keys', '==================', '')
  node.accounts.forEach((a, i) => {
    lines.push(`(${i}) ${bytesToHex(a.privateKey)}`)
  })
  const head = node.chain.head().block.header
  lines.push(
    '',
    'Wallet',
    '==================',
    `Mnemonic:          ${node.setup.mnemonic}`,
    `Derivation path:   ${derivationPath(0).replace(/0$/, '')}`,
    '',
    'Chain ID',
    '==================',
    '',
    node.setup.chainId,
    '',
    'Hardfork',
    '==================',
    '',
    node.setup.hardfork,
    '',
    'Gas Limit',
    '==================',
    '',
    node.record.gasLimit ?? node.setup.gasLimit,
    '',
    ...(node.setup.fork
      ? [
          'Fork',
          '==================',
          `Endpoint:       ${node.setup.fork.url}`,
          `Block number:   ${node.setup.fork.blockNumber}`,
          `Block hash:     ${node.setup.fork.blockHash}`,
          `Chain ID:       ${node.setup.fork.chainId}`,
          '',
        ]
      : []),
    'Chain',
    '==================',
    '',
    `${where === 'memory' ? 'in memory' : where} (${created ? 'new chain' : 'resumed'} at block ${head.number})`,
    '',
    `Listening on ${listening}`,
    '',
  )
  return lines.join('\n')
}

/**
 * `crucible node --dev`: a development chain on an embedded LevelDB datadir (default
 * ./.crucible/dev; `--in-memory` for a throwaway one) served on 127.0.0.1:8545 with the
 * anvil / Hardhat methods. Stopping it (SIGINT, SIGTERM) writes what is queued; every
 * answered request is already on disk, so a SIGKILL loses nothing acknowledged.
 */
export async function devCommand(args: ParsedArgs, io: Io): Promise<number> {
  const options = devOptions(args)
  const silent = args.flags.has('silent')
  if (options.fork && !silent)
    options.fork.onRequest = (calls, totals) =>
      io.out(
        `${formatLine('INFO', 'Fork upstream request', { calls, requests: totals.requests, totalCalls: totals.calls })}\n`,
      )
  const { kv, where } = await openStore(args)
  let node: DevNode
  let created: boolean
  try {
    ;({ node, created } = await DevNode.open(kv, options))
  } catch (error) {
    await kv.close().catch(() => undefined)
    if (error instanceof CrucibleError && !(error instanceof NodeError))
      throw new NodeError(
        'DATADIR_UNUSABLE',
        `cannot open the dev chain: ${error.shortMessage}`,
        { datadir: where },
        { cause: error },
      )
    throw error
  }
  let server: RunningServer | undefined
  try {
    const load = flagValue(args, 'load-state')
    if (load !== undefined) {
      let text: string
      try {
        text = readFileSync(load, 'utf8')
      } catch (error) {
        throw new NodeError('FILE_UNREADABLE', 'cannot read the state file', { path: load }, { cause: error })
      }
      await node.loadState(text)
    }
    if (!silent)
      node.onBlock((block) => {
        const h = block.block.header
        io.out(
          `${formatLine('INFO', 'Mined block', { number: h.number, hash: bytesToHex(block.hash), txs: block.block.transactions.length, gas: h.gasUsed, time: h.timestamp })}\n`,
        )
      })
    const port = integer(args, 'port') ?? integer(args, 'http.port') ?? 8545n
    const host = flagValue(args, 'host') ?? flagValue(args, 'http.addr') ?? '127.0.0.1'
    try {
      server = await startServer({
        chain: node.chain,
        pool: node.pool,
        http: { addr: host, port: Number(port) },
        clientVersion: CLIENT_VERSION,
        extra: devMethods(node),
      })
    } catch (error) {
      throw new NodeError(
        'DATADIR_UNUSABLE',
        `cannot listen on ${host}:${port}: ${String((error as Error).message)}`,
        {},
        { cause: error },
      )
    }
    const listening = server.url.replace(/^http:\/\//, '')
    if (!silent) io.out(banner(node, created, where, listening))
    else io.out(`Listening on ${listening}\n`)
    const signal = await shutdownRequested(io)
    if (!silent) io.out(`${formatLine('INFO', 'Shutting down', { signal })}\n`)
    const dump = flagValue(args, 'dump-state')
    if (dump !== undefined) writeFileSync(dump, `${JSON.stringify(node.dumpState(), null, 2)}\n`)
  } finally {
    await server?.close()
    await node.close()
  }
  return 0
}
