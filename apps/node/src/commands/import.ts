import { statSync } from 'node:fs'
import { bytesToHex } from '@crucible/primitives'
import { flagValue, type ParsedArgs } from '../args.js'
import { readBlockFile } from '../blockfile.js'
import { datadirPaths, directorySize, openChain } from '../datadir.js'
import { NodeError } from '../errors.js'
import { type Genesis, loadGenesis } from '../genesis.js'
import { duration, formatLine, peakRss, shortHash, size } from '../log.js'
import { ImportProgress, mgas, type ProgressMode } from '../progress.js'
import type { Io } from './io.js'

/** The genesis named on the command line, if any. */
export function genesisFromFlags(args: ParsedArgs): Genesis | undefined {
  const file = flagValue(args, 'genesis')
  const network =
    flagValue(args, 'network') ??
    (['mainnet', 'sepolia', 'dev'] as const).find((n) => args.flags.get(n) === true)
  if (file !== undefined && network !== undefined)
    throw new NodeError('USAGE', '--genesis and --network exclude each other')
  if (file === undefined && network === undefined) return undefined
  return loadGenesis(file !== undefined ? { file } : { network: network! })
}

function progressMode(args: ParsedArgs, io: Io): ProgressMode {
  const mode = flagValue(args, 'progress') ?? 'auto'
  if (mode === 'auto') return io.isTTY ? 'bar' : 'log'
  if (mode === 'bar' || mode === 'log' || mode === 'none') return mode
  throw new NodeError('USAGE', `--progress must be auto, bar, log or none (got ${mode})`)
}

export async function importCommand(args: ParsedArgs, io: Io): Promise<number> {
  const files = args.positional
  if (files.length === 0) throw new NodeError('USAGE', 'import needs at least one FILE')
  const mode = progressMode(args, io)
  let totalBytes = 0
  for (const file of files) {
    try {
      totalBytes += statSync(file).size
    } catch (error) {
      throw new NodeError('FILE_UNREADABLE', 'cannot read the block file', { file }, { cause: error })
    }
  }
  const datadir = flagValue(args, 'datadir')
  const genesis = genesisFromFlags(args)
  const chain = await openChain(datadir, { create: true, ...(genesis ? { genesis } : {}) })
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  const progress = new ImportProgress(mode, mode === 'bar' ? io.err : io.out, totalBytes)
  const startHead = chain.head()
  io.out(
    `${formatLine('INFO', 'Importing blockchain', { files: files.length, head: startHead.number, hash: shortHash(bytesToHex(startHead.hash)) })}\n`,
  )
  let failure: unknown
  let readBefore = 0
  try {
    for (const file of files) {
      const base = readBefore
      // Progress by bytes consumed (plain files) or read (gzip, where offsets are unpacked).
      const gz = file.endsWith('.gz')
      const onRead = gz ? (n: number) => progress.read(base + n) : undefined
      for await (const { rlp, offset } of readBlockFile(file, onRead)) {
        if (!gz) progress.read(base + offset + rlp.length)
        const result = await chain.importBlock(rlp)
        if (result.known) progress.skipped()
        else progress.imported(result.number, bytesToHex(result.hash), result.txs, result.gasUsed)
      }
      readBefore += statSync(file).size
    }
  } catch (error) {
    failure = error
  }
  progress.finish()
  const head = chain.head()
  await chain.close()
  const elapsedMs = performance.now() - started
  const seconds = Math.max(elapsedMs / 1000, 1e-9)
  const { totals } = progress
  io.out(
    `${formatLine('INFO', 'Import done', {
      head: head.number,
      hash: shortHash(bytesToHex(head.hash)),
      blocks: totals.blocks,
      skipped: totals.skipped,
      txs: totals.txs,
      mgas: mgas(totals.gas).toFixed(3),
      elapsed: duration(elapsedMs),
      cpu: duration(cpuMs(process.cpuUsage(cpuStarted))),
      'blocks/s': (totals.blocks / seconds).toFixed(1),
      mgasps: (mgas(totals.gas) / seconds).toFixed(3),
      peakrss: size(peakRss()),
      dbsize: size(directorySize(datadirPaths(datadir).chaindata)),
    })}\n`,
  )
  if (failure !== undefined) throw failure
  return 0
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000
}
