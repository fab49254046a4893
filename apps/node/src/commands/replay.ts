import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { type BlockHeader, headerHash } from '@crucible/block'
import { CapsuleError, decodeCapsule, encodeCapsule, replayCapsule } from '@crucible/capsule'
import { bytesToHex } from '@crucible/primitives'
import { Sandbox, type SandboxLimits, type SandboxResult } from '@crucible/sandbox'
import { flagValue, type ParsedArgs } from '../args.js'
import { openChain } from '../datadir.js'
import { EXIT, NodeError } from '../errors.js'
import { duration, formatLine, shortHash } from '../log.js'
import { blockCapsule, findBlock } from './capsule.js'
import type { Io } from './io.js'

function readCapsuleFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file === '-' ? 0 : file))
  } catch (error) {
    throw new NodeError('FILE_UNREADABLE', 'cannot read the capsule file', { file }, { cause: error })
  }
}

/** `crucible replay FILE`: no database; exit 0 only when everything recomputed matches. */
async function replayFile(file: string, io: Io): Promise<number> {
  const bytes = readCapsuleFile(file)
  let report: Awaited<ReturnType<typeof replayCapsule>>
  let capsule: ReturnType<typeof decodeCapsule>
  const started = performance.now()
  try {
    capsule = decodeCapsule(bytes)
    report = await replayCapsule(capsule)
  } catch (error) {
    if (error instanceof CapsuleError)
      throw new NodeError('INVALID_CAPSULE', `${error.shortMessage}: ${JSON.stringify(error.details)}`, {
        file,
      })
    throw error
  }
  const outcome = report.outcome
  const fields: Record<string, string | number | bigint> = { kind: capsule.input.kind, mode: capsule.mode }
  if (capsule.input.kind !== 'call') fields.number = capsule.input.block.header.number
  if (outcome.kind === 'block') {
    fields.hash = shortHash(bytesToHex(outcome.blockHash))
    if (capsule.mode === 'verified') fields.stateRoot = bytesToHex(outcome.stateRoot)
    fields.receiptsRoot = bytesToHex(outcome.receiptsRoot)
  } else {
    fields.status = ['success', 'revert', 'halt'][outcome.status] ?? outcome.status
    fields.output = bytesToHex(outcome.output)
    if (outcome.stateRoot) fields.stateRoot = bytesToHex(outcome.stateRoot)
  }
  fields.gasUsed = outcome.gasUsed
  fields.elapsed = duration(performance.now() - started)
  if (report.unchecked.length > 0) fields.unchecked = report.unchecked.join(',')
  for (const m of report.mismatches)
    io.err(`${formatLine('ERROR', 'Mismatch', { field: m.field, expected: m.expected, actual: m.actual })}\n`)
  io.out(
    `${formatLine(report.ok ? 'INFO' : 'ERROR', report.ok ? 'Replay matches' : 'Replay differs', fields)}\n`,
  )
  return report.ok ? 0 : EXIT.REPLAY_MISMATCH
}

function parseRange(text: string): [bigint, bigint] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text)
  if (!m) throw new NodeError('USAGE', `--range takes A..B (got ${text})`)
  const [a, b] = [BigInt(m[1]!), BigInt(m[2]!)]
  if (a < 1n || a > b) throw new NodeError('USAGE', `--range ${text}: need 1 <= A <= B`)
  return [a, b]
}

/**
 * Limits of a range replay: its capsules are cut here from our own database, so only a
 * runaway (a bug, a damaged database) is stopped; a block of 30M gas takes well under this.
 */
const RANGE_LIMITS: SandboxLimits = { timeoutMs: 600_000, memoryBytes: 1 << 30, heapMb: 1024 }

/** Why a block's replay is not a match of its header, or undefined when it is. */
function replayProblem(r: SandboxResult, header: BlockHeader): string | undefined {
  if (r.status === 'aborted') return `aborted: ${r.reason}`
  if (r.status === 'failed') return `${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.details)}`
  if (r.result.kind !== 'capsule') return 'not a capsule result'
  const report = r.result.report
  const outcome = report.outcome
  if (!report.ok)
    return report.mismatches.map((m) => `${m.field}: ${m.actual} (expected ${m.expected})`).join('; ')
  if (
    outcome.kind !== 'block' ||
    bytesToHex(outcome.stateRoot) !== bytesToHex(header.stateRoot) ||
    bytesToHex(outcome.receiptsRoot) !== bytesToHex(header.receiptsRoot)
  )
    return 'roots differ from the header'
  return undefined
}

/**
 * `crucible replay --range A..B --datadir DIR`: each block's capsule is cut here (the only
 * reader of the database) and replayed statelessly by the worker threads of a
 * `@crucible/sandbox`, which get nothing but the capsule's bytes.
 */
async function replayRange(args: ParsedArgs, io: Io): Promise<number> {
  const [first, last] = parseRange(flagValue(args, 'range')!)
  const workersText = flagValue(args, 'workers')
  const workers = workersText === undefined ? Math.max(1, availableParallelism() - 1) : Number(workersText)
  if (!Number.isInteger(workers) || workers < 1)
    throw new NodeError('USAGE', '--workers takes a positive integer')
  const chain = await openChain(flagValue(args, 'datadir'), { create: false })
  const sandbox = new Sandbox({ concurrency: workers, limits: RANGE_LIMITS })
  // --cut-first: every capsule is cut before any is replayed, so the replay rate is measured
  // alone (pipelined, the single cutting thread bounds the rate).
  const cutFirst = args.flags.has('cut-first')
  const started = performance.now()
  let replayStarted = started
  let cutMs = 0
  let replayMs = 0
  let bytes = 0
  let failures = 0
  const results: Array<Promise<void>> = []
  const pending = new Set<Promise<void>>()
  try {
    if (last > chain.head().number) throw new NodeError('NOT_FOUND', `block ${last} is past the head`)
    io.out(`${formatLine('INFO', 'Replaying blocks', { first, last, workers })}\n`)
    const submit = async (capsule: Uint8Array, header: BlockHeader) => {
      const result = sandbox.run({ kind: 'capsule', capsule }).then((r) => {
        replayMs += r.elapsedMs
        const reason = replayProblem(r, header)
        if (reason === undefined) return
        failures++
        io.err(
          `${formatLine('ERROR', 'Replay differs', {
            number: header.number,
            hash: shortHash(bytesToHex(headerHash(header))),
            reason,
          })}\n`,
        )
      })
      results.push(result)
      pending.add(result)
      result.finally(() => pending.delete(result)).catch(() => {})
      // Keep the workers fed without holding every capsule in memory.
      while (pending.size >= workers * 4) await Promise.race(pending)
    }
    const cut: Array<[Uint8Array, BlockHeader]> = []
    for (let n = first; n <= last; n++) {
      const cutStarted = performance.now()
      const block = findBlock(chain, n.toString())
      const capsule = encodeCapsule(blockCapsule(chain, block, 'verified'))
      cutMs += performance.now() - cutStarted
      bytes += capsule.length
      if (cutFirst) cut.push([capsule, block.header])
      else await submit(capsule, block.header)
    }
    if (cutFirst) {
      replayStarted = performance.now()
      for (const [capsule, header] of cut) await submit(capsule, header)
    }
    await Promise.all(results)
  } finally {
    await sandbox.close()
    await chain.close()
  }
  const blocks = Number(last - first + 1n)
  const ended = performance.now()
  const seconds = (ended - started) / 1000
  io.out(
    `${formatLine(failures === 0 ? 'INFO' : 'ERROR', 'Replayed blocks', {
      blocks,
      failed: failures,
      workers,
      elapsed: duration(seconds * 1000),
      'blocks/s': (blocks / seconds).toFixed(1),
      ...(cutFirst ? { 'replay blocks/s': (blocks / ((ended - replayStarted) / 1000)).toFixed(1) } : {}),
      cut: duration(cutMs),
      replay: duration(replayMs),
      capsules: `${(bytes / 1024 / 1024).toFixed(1)}MiB`,
    })}\n`,
  )
  return failures === 0 ? 0 : EXIT.REPLAY_MISMATCH
}

export async function replayCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [file, extra] = args.positional
  if (flagValue(args, 'range') !== undefined) {
    if (file !== undefined) throw new NodeError('USAGE', 'replay takes a FILE or --range, not both')
    return replayRange(args, io)
  }
  if (file === undefined)
    throw new NodeError('USAGE', 'replay needs a capsule FILE (or - for standard input)')
  if (extra !== undefined) throw new NodeError('USAGE', `unexpected argument ${extra}`)
  return replayFile(file, io)
}
