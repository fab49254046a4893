import { accessSync, constants, type Dirent, mkdirSync, readdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { MemoryChain, type NodeChain } from './chain.js'
import { NodeError } from './errors.js'
import type { Genesis } from './genesis.js'

/**
 * The datadir layout, after geth's: `DIR/crucible/chaindata` holds the chain database (LevelDB),
 * `DIR/crucible/LOCK` is LevelDB's lock while a process has it open.
 */
export function datadirPaths(datadir: string | undefined) {
  const root = resolve(datadir ?? join(homedir(), '.crucible'))
  const instance = join(root, 'crucible')
  return { root, instance, chaindata: join(instance, 'chaindata') }
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

export interface OpenOptions {
  /** The genesis the caller expects; required to create a new chain. */
  genesis?: Genesis
  /** Whether a missing chain may be created from `genesis`. */
  create: boolean
}

/**
 * Opens the chain in a datadir. A new datadir is initialized from `options.genesis`; an existing
 * one must have been made from the same genesis (`GENESIS_MISMATCH` otherwise).
 */
export async function openChain(datadir: string | undefined, options: OpenOptions): Promise<NodeChain> {
  const { root } = datadirPaths(datadir)
  if (!options.genesis)
    throw new NodeError('NOT_INITIALIZED', 'datadir has no chain (run crucible init, or give --genesis)', {
      datadir: root,
    })
  ensureWritable(datadir)
  return new MemoryChain(options.genesis)
}
