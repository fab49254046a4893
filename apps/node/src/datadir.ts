import {
  accessSync,
  constants,
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { chainFromGethConfig, type GethGenesis, genesisHeader, headerHash } from '@crucible/block'
import { ChainDb } from '@crucible/chaindb'
import { KvError, type KvStore } from '@crucible/kv'
import { openLevelKv } from '@crucible/kv-level'
import { bytesToHex, CrucibleError, hexToBytes } from '@crucible/primitives'
import { chainOver, type NodeChain } from './chain.js'
import { NodeError } from './errors.js'
import type { Genesis } from './genesis.js'

/**
 * The datadir layout, after geth's: `DIR/crucible/chaindata` is the chain database (LevelDB;
 * its `LOCK` file keeps a second process out), `DIR/crucible/genesis.json` records the genesis
 * the chain was made from (its config and header fields, hash and state root, not the alloc),
 * so later commands need no `--genesis`.
 */
export function datadirPaths(datadir: string | undefined) {
  const root = resolve(datadir ?? join(homedir(), '.crucible'))
  const instance = join(root, 'crucible')
  return { root, instance, chaindata: join(instance, 'chaindata'), genesis: join(instance, 'genesis.json') }
}

/** Creates the chaindata folder, or says why it cannot be (a typed error, nothing written). */
export function ensureWritable(datadir: string | undefined): string {
  const { root, chaindata } = datadirPaths(datadir)
  try {
    mkdirSync(chaindata, { recursive: true })
    accessSync(chaindata, constants.W_OK)
  } catch (error) {
    throw new NodeError('DATADIR_UNUSABLE', 'datadir is not writable', { datadir: root }, { cause: error })
  }
  return chaindata
}

/** Total size of the files under `path` (the database size on disk). */
export function directorySize(path: string): number {
  let total = 0
  let entries: Dirent[]
  try {
    entries = readdirSync(path, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    const p = join(path, entry.name)
    if (entry.isDirectory()) total += directorySize(p)
    else if (entry.isFile()) total += statSync(p).size
  }
  return total
}

/** What the datadir keeps of its genesis. */
interface GenesisRecord {
  source: string
  hash: string
  stateRoot: string
  /** The geth genesis without its `alloc` (config and header fields). */
  json: Omit<GethGenesis, 'alloc'>
}

function readRecord(path: string): GenesisRecord | undefined {
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GenesisRecord
  } catch (error) {
    throw new NodeError(
      'DATADIR_UNUSABLE',
      'the datadir genesis record is unreadable',
      { path },
      { cause: error },
    )
  }
}

function writeRecord(path: string, genesis: Genesis): void {
  const { alloc: _alloc, ...json } = genesis.json
  const record: GenesisRecord = {
    source: genesis.source,
    hash: bytesToHex(genesis.hash),
    stateRoot: bytesToHex(genesis.header.stateRoot),
    json,
  }
  const tmp = `${path}.tmp`
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`)
  renameSync(tmp, path)
}

/** Opens the LevelDB chain database of a datadir; a lock or an unusable directory is a typed NodeError. */
export async function openDatabase(chaindata: string, root: string, create: boolean): Promise<KvStore> {
  try {
    return await openLevelKv(chaindata, { createIfMissing: create })
  } catch (error) {
    if (error instanceof KvError && error.code === 'LOCKED')
      throw new NodeError(
        'DATADIR_LOCKED',
        'datadir is in use by another process',
        { datadir: root },
        { cause: error },
      )
    throw new NodeError(
      'DATADIR_UNUSABLE',
      'cannot open the chain database',
      { datadir: root },
      { cause: error },
    )
  }
}

export interface OpenOptions {
  /** The genesis the caller expects; needed to create a new chain, checked against an existing one. */
  genesis?: Genesis
  /** Whether a missing chain may be created from `genesis`. */
  create: boolean
}

/**
 * Opens the chain in a datadir. A new datadir is initialized from `options.genesis`; an existing
 * one resumes at its head and must have been made from the same genesis (`GENESIS_MISMATCH`).
 */
export async function openChain(datadir: string | undefined, options: OpenOptions): Promise<NodeChain> {
  const paths = datadirPaths(datadir)
  const record = readRecord(paths.genesis)
  const notInitialized = () =>
    new NodeError('NOT_INITIALIZED', 'datadir has no chain (run crucible init, or give --genesis)', {
      datadir: paths.root,
    })
  if (record && options.genesis && record.hash !== bytesToHex(options.genesis.hash))
    throw new NodeError('GENESIS_MISMATCH', 'the datadir holds a chain with another genesis', {
      datadir: paths.root,
      stored: record.hash,
      given: bytesToHex(options.genesis.hash),
    })
  if (!record && !(options.create && options.genesis)) throw notInitialized()
  if (options.create) ensureWritable(datadir)
  else if (!existsSync(paths.chaindata)) throw notInitialized()

  const kv = await openDatabase(paths.chaindata, paths.root, options.create)
  let db: ChainDb
  try {
    db = await ChainDb.open(kv)
  } catch (error) {
    await kv.close()
    throw new NodeError(
      'DATADIR_UNUSABLE',
      'not a Crucible chain database',
      { datadir: paths.root },
      { cause: error },
    )
  }
  try {
    if (options.genesis) {
      const g = options.genesis
      const chain = chainOver(db, { chain: g.chain, genesis: g.header, state: g.state }, g.json.config)
      await db.flush()
      if (!record) writeRecord(paths.genesis, g)
      return chain
    }
    // Reopen from the record: the genesis state is in the database already.
    const json = record!.json as GethGenesis
    const config = chainFromGethConfig(json.config, record!.source)
    const header = genesisHeader(json, config, hexToBytes(record!.stateRoot))
    if (bytesToHex(headerHash(header)) !== record!.hash)
      throw new NodeError('DATADIR_UNUSABLE', 'the datadir genesis record does not match its hash', {
        datadir: paths.root,
      })
    return chainOver(db, { chain: config, genesis: header }, json.config)
  } catch (error) {
    await db.close().catch(() => undefined)
    if (error instanceof CrucibleError && error.code === 'GENESIS_MISMATCH')
      throw new NodeError(
        'GENESIS_MISMATCH',
        'the datadir holds a chain with another genesis',
        { datadir: paths.root },
        { cause: error },
      )
    if (error instanceof CrucibleError && error.code === 'NO_GENESIS_STATE') throw notInitialized()
    throw error
  }
}
