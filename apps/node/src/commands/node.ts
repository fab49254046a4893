import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { headerHash } from '@crucible/block'
import { bytesToHex } from '@crucible/primitives'
import { type ChainWriter, DatabaseChain, type Handler, type ImportEvent, TxPool } from '@crucible/rpc'
import { parseJwtSecret, type RunningServer, startServer } from '@crucible/rpc-server'
import { flagValue, type ParsedArgs } from '../args.js'
import { datadirPaths, openChain } from '../datadir.js'
import { NodeError } from '../errors.js'
import { duration, type Fields, formatLine, type Level, shortHash } from '../log.js'
import { mgas } from '../progress.js'
import { devCommand } from './dev.js'
import { type Io, shutdownRequested } from './io.js'

/** Everything `crucible node` is told by its flags, with geth's defaults. */
export interface NodeSettings {
  http: { addr: string; port: number; corsDomains: string[]; api: string[] }
  authrpc: { addr: string; port: number; jwtSecretFile: string | undefined }
  limits: { gasCap: bigint; timeoutMs: number }
  maxBatch: number
  maxRequestBytes: number
  maxLogBlocks: number
  maxLogs: number
  verbosity: number
}

/** Namespaces `--http.api` may name. */
export const NAMESPACES = ['eth', 'net', 'web3', 'debug', 'txpool', 'testing'] as const

function integer(args: ParsedArgs, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = flagValue(args, name)
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new NodeError('USAGE', `--${name} must be a whole number up to ${max} (got ${text})`)
  return Number(text)
}

function list(args: ParsedArgs, name: string): string[] | undefined {
  const text = flagValue(args, name)
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
}

/** A Go-style duration (`5s`, `500ms`, `1m30s`, `0`) in milliseconds. */
export function parseDuration(text: string): number {
  if (text === '0') return 0
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new NodeError('USAGE', `not a duration: ${text} (e.g. 5s, 500ms, 1m30s)`)
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0)
}

/** A size in bytes: a number, or with a KB/KiB/MB/MiB suffix. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(text)
  if (!m) throw new NodeError('USAGE', `not a size: ${text} (e.g. 5242880, 5MiB, 512KiB)`)
  const unit = (m[2] ?? 'B').toLowerCase()
  const factor: Record<string, number> = {
    b: 1,
    kb: 1e3,
    kib: 1024,
    mb: 1e6,
    mib: 1 << 20,
    gb: 1e9,
    gib: 1 << 30,
  }
  return Math.floor(Number(m[1]) * factor[unit]!)
}

/** The settings of `crucible node`, checked before anything is opened. */
export function nodeSettings(args: ParsedArgs): NodeSettings {
  const api = list(args, 'http.api') ?? ['eth', 'net', 'web3']
  for (const ns of api)
    if (!(NAMESPACES as readonly string[]).includes(ns))
      throw new NodeError('USAGE', `--http.api: unknown namespace ${ns} (known: ${NAMESPACES.join(', ')})`)
  const gasCap = flagValue(args, 'rpc.gascap')
  if (gasCap !== undefined && !/^\d+$/.test(gasCap))
    throw new NodeError('USAGE', `--rpc.gascap must be a whole number (got ${gasCap})`)
  const timeout = flagValue(args, 'rpc.evmtimeout')
  const timeoutMs = timeout === undefined ? 5000 : parseDuration(timeout)
  const size = flagValue(args, 'rpc.max-request-size')
  return {
    http: {
      addr: flagValue(args, 'http.addr') ?? '127.0.0.1',
      port: integer(args, 'http.port', 8545, 65535),
      corsDomains: list(args, 'http.corsdomain') ?? [],
      api,
    },
    authrpc: {
      addr: flagValue(args, 'authrpc.addr') ?? '127.0.0.1',
      port: integer(args, 'authrpc.port', 8551, 65535),
      jwtSecretFile: flagValue(args, 'authrpc.jwtsecret'),
    },
    // geth: a gas cap of 0 means no cap; a timeout of 0 none.
    limits: {
      gasCap: gasCap === undefined ? 50_000_000n : gasCap === '0' ? 2n ** 64n - 1n : BigInt(gasCap),
      timeoutMs: timeoutMs === 0 ? 2 ** 31 - 1 : timeoutMs,
    },
    maxBatch: integer(args, 'rpc.batch-request-limit', 1000),
    maxRequestBytes: size === undefined ? 5 << 20 : parseSize(size),
    maxLogBlocks: integer(args, 'rpc.max-blocks-per-filter', 10_000),
    maxLogs: integer(args, 'rpc.max-logs-per-response', 20_000),
    verbosity: integer(args, 'verbosity', 3, 5),
  }
}

/** geth-style log lines on standard error, filtered by `--verbosity`. */
export class NodeLog {
  constructor(
    private readonly io: Io,
    private readonly verbosity = 3,
  ) {}
  private write(level: Level, rank: number, message: string, fields?: Fields): void {
    if (rank <= this.verbosity) this.io.err(`${formatLine(level, message, fields)}\n`)
  }
  error(message: string, fields?: Fields): void {
    this.write('ERROR', 1, message, fields)
  }
  warn(message: string, fields?: Fields): void {
    this.write('WARN', 2, message, fields)
  }
  info(message: string, fields?: Fields): void {
    this.write('INFO', 3, message, fields)
  }
}

/**
 * The Engine API secret, as geth obtains it: read from the file (32 bytes of hex); a missing
 * file is generated (random, `0x`-hex, mode 0600) and its path logged.
 */
export function obtainJwtSecret(file: string, log: NodeLog): Uint8Array {
  if (existsSync(file)) {
    let secret: Uint8Array
    try {
      secret = parseJwtSecret(readFileSync(file, 'utf8'))
    } catch (error) {
      throw new NodeError(
        'INVALID_JWT_SECRET',
        'the JWT secret file is not 32 bytes of hex',
        { path: file },
        { cause: error },
      )
    }
    log.info('Loaded JWT secret file', { path: file })
    return secret
  }
  const secret = new Uint8Array(randomBytes(32))
  try {
    writeFileSync(file, bytesToHex(secret), { mode: 0o600 })
  } catch (error) {
    throw new NodeError(
      'INVALID_JWT_SECRET',
      'cannot write the JWT secret file',
      { path: file },
      { cause: error },
    )
  }
  log.info('Generated JWT secret', { path: file })
  return secret
}

/** geth's block age: `5m12s`, `3h4m`, `2d3h`. */
export function age(timestampSeconds: bigint, nowMs = Date.now()): string {
  let s = Math.max(0, Math.floor(nowMs / 1000) - Number(timestampSeconds))
  const d = Math.floor(s / 86_400)
  s -= d * 86_400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  if (d > 0) return `${d}d${h}h`
  if (h > 0) return `${h}h${m}m`
  return m > 0 ? `${m}m${s}s` : `${s}s`
}

/** Logs a block taken through the Engine API as geth does. */
function importLogger(log: NodeLog): (event: ImportEvent) => void {
  return ({ block, outcome, elapsedMs }) => {
    const { header } = block
    const hash = shortHash(bytesToHex(headerHash(header)))
    if (!outcome.ok) {
      log.warn('Refused invalid block', { number: header.number, hash, reason: outcome.error })
      return
    }
    log.info('Imported new potential chain segment', {
      number: header.number,
      hash,
      blocks: 1,
      txs: block.transactions.length,
      mgas: mgas(header.gasUsed).toFixed(3),
      elapsed: duration(elapsedMs),
      mgasps: (mgas(header.gasUsed) / Math.max(elapsedMs / 1000, 1e-9)).toFixed(3),
      age: age(header.timestamp),
    })
  }
}

export interface ServeOptions {
  chain: ChainWriter
  settings: NodeSettings
  jwtSecret: Uint8Array
  log: NodeLog
  pool?: TxPool
  /** More methods on the JSON-RPC endpoint (a dev node's). */
  extra?: Readonly<Record<string, Handler>>
}

/** Starts the JSON-RPC and Engine API servers of a node and logs where they listen. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { settings, log } = options
  let server: RunningServer
  try {
    server = await startServer({
      chain: options.chain,
      pool: options.pool ?? new TxPool(),
      http: {
        addr: settings.http.addr,
        port: settings.http.port,
        corsDomains: settings.http.corsDomains,
        api: settings.http.api,
        maxBodyBytes: settings.maxRequestBytes,
        maxBatch: settings.maxBatch,
      },
      authrpc: { addr: settings.authrpc.addr, port: settings.authrpc.port, jwtSecret: options.jwtSecret },
      limits: settings.limits,
      maxLogBlocks: settings.maxLogBlocks,
      maxLogs: settings.maxLogs,
      ...(options.extra ? { extra: options.extra } : {}),
    })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES')
      throw new NodeError(
        'ADDRESS_IN_USE',
        `cannot listen: ${String((error as Error).message)}`,
        { code: String(code) },
        { cause: error },
      )
    throw error
  }
  const endpoint = server.url.replace(/^http:\/\//, '')
  log.info('HTTP server started', {
    endpoint,
    auth: 'false',
    cors: settings.http.corsDomains.join(','),
    api: settings.http.api.join(','),
  })
  log.info('WebSocket enabled', { url: `ws://${endpoint}` })
  log.info('HTTP server started', { endpoint: server.engineUrl!.replace(/^http:\/\//, ''), auth: 'true' })
  return server
}

/** `crucible node`: serves a datadir's chain until SIGINT or SIGTERM. */
export async function nodeCommand(args: ParsedArgs, io: Io): Promise<number> {
  // `--dev` is another kind of node (funded accounts, mining): commands/dev.ts.
  if (args.flags.has('dev')) return devCommand(args, io)
  const settings = nodeSettings(args)
  const log = new NodeLog(io, settings.verbosity)
  const datadir = flagValue(args, 'datadir')
  const paths = datadirPaths(datadir)
  const node = await openChain(datadir, { create: false })
  let server: RunningServer | undefined
  try {
    log.info('Starting Crucible node', { datadir: paths.root })
    const chain = new DatabaseChain(node.blockchain, node.db, {
      ...(node.mergeNetsplitBlock !== undefined ? { mergeNetsplitBlock: node.mergeNetsplitBlock } : {}),
      onImport: importLogger(log),
    })
    const head = chain.head()
    log.info('Loaded most recent local block', {
      number: head.block.header.number,
      hash: shortHash(head.key),
      age: age(head.block.header.timestamp),
    })
    const finalized = chain.finalized()
    if (finalized)
      log.info('Loaded most recent local finalized block', {
        number: finalized.block.header.number,
        hash: shortHash(finalized.key),
      })
    const jwtSecret = obtainJwtSecret(
      settings.authrpc.jwtSecretFile ?? join(paths.instance, 'jwtsecret'),
      log,
    )
    server = await serve({ chain, settings, jwtSecret, log })
    const signal = await shutdownRequested(io)
    log.info('Got interrupt, shutting down...', { signal })
  } finally {
    await server?.close()
    if (server) log.info('HTTP server stopped')
    const head = node.head()
    await node.close()
    log.info('Blockchain stopped', { number: head.number, hash: shortHash(bytesToHex(head.hash)) })
  }
  return 0
}
