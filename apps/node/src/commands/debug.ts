import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import {
  bytecodeCase,
  capsuleCase,
  DebugSession,
  DebugSessionError,
  type SourcesJson,
  stateTestCase,
  type TransactionCase,
} from '@crucible/debug-session'
import type { Alloc } from '@crucible/state'
import { flagValue, type ParsedArgs } from '../args.js'
import { HELP_LINES } from '../debug-tui/commands.js'
import { DebugController } from '../debug-tui/controller.js'
import { type RpcTransaction, rpcCase } from '../debug-tui/rpc-case.js'
import { renderScreen, screenText } from '../debug-tui/screen.js'
import { debugWebCommand } from '../debug-web/command.js'
import { EXIT, NodeError } from '../errors.js'
import type { Io } from './io.js'

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new NodeError('FILE_UNREADABLE', `cannot read the ${what}`, { file }, { cause: error })
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new NodeError('USAGE', `${what} is not valid JSON`, {}, { cause: error })
  }
}

function integerFlag(args: ParsedArgs, name: string): number | undefined {
  const text = flagValue(args, name)
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new NodeError('USAGE', `--${name} takes a non-negative integer`)
  return Number(text)
}

/** The case the flags name, and for a transaction fetched by hash what its receipt says. */
async function buildCase(args: ParsedArgs): Promise<{ input: TransactionCase } | { rpc: RpcTransaction }> {
  const rpc = flagValue(args, 'rpc')
  const stateTest = flagValue(args, 'state-test')
  const code = flagValue(args, 'code')
  const chosen = [rpc, stateTest, code, args.positional.length > 0 && !rpc ? 'file' : undefined].filter(
    Boolean,
  )
  if (chosen.length !== 1)
    throw new NodeError(
      'USAGE',
      'name one input: FILE.capsule, --rpc URL TXHASH, --state-test FILE or --code HEX',
    )
  const fork = flagValue(args, 'fork')
  const index = integerFlag(args, 'index')
  if (rpc !== undefined) {
    const hash = args.positional[0]
    if (hash === undefined || args.positional.length > 1)
      throw new NodeError('USAGE', '--rpc URL takes one TXHASH')
    return { rpc: await rpcCase(rpc, hash, fork) }
  }
  if (stateTest !== undefined) {
    if (fork === undefined) throw new NodeError('USAGE', '--state-test needs --fork (e.g. Cancun)')
    const json = parseJson(readText(stateTest, 'state test file'), stateTest)
    const name = flagValue(args, 'name')
    return {
      input: stateTestCase(json, {
        fork,
        ...(name ? { name } : {}),
        ...(index !== undefined ? { index } : {}),
      }),
    }
  }
  if (code !== undefined) {
    const prestateText = flagValue(args, 'prestate')
    const prestate =
      prestateText === undefined
        ? undefined
        : (parseJson(
            prestateText.trimStart().startsWith('{') ? prestateText : readText(prestateText, 'prestate file'),
            '--prestate',
          ) as Alloc)
    const calldata = flagValue(args, 'calldata')
    return {
      input: bytecodeCase({
        code,
        ...(calldata ? { calldata } : {}),
        ...(prestate ? { prestate } : {}),
        ...(fork ? { fork } : {}),
      }),
    }
  }
  const file = args.positional[0]!
  if (args.positional.length > 1) throw new NodeError('USAGE', 'one capsule file at a time')
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(readFileSync(file === '-' ? 0 : file))
  } catch (error) {
    throw new NodeError('FILE_UNREADABLE', 'cannot read the capsule file', { file }, { cause: error })
  }
  const tx = flagValue(args, 'tx')
  return {
    input: await capsuleCase(bytes, {
      ...(index !== undefined ? { index } : {}),
      ...(tx ? { hash: tx } : {}),
    }),
  }
}

function parseSize(text: string | undefined): { columns: number; rows: number } {
  if (text === undefined) return { columns: 80, rows: 24 }
  const m = /^(\d+)x(\d+)$/.exec(text)
  if (!m) throw new NodeError('USAGE', `--size takes COLUMNSxROWS (got ${text})`)
  return { columns: Number(m[1]), rows: Number(m[2]) }
}

/**
 * Line mode: one command per line of standard input, one answer per command — the screen as
 * text for navigation, the text of info / breakpoints / json answers, `! message` for errors.
 */
async function lineMode(
  session: DebugSession,
  io: Io,
  size: { columns: number; rows: number },
): Promise<number> {
  const controller = new DebugController(session)
  const show = () => io.out(`${screenText(renderScreen(controller.model(), size.columns, size.rows))}\n`)
  show()
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of lines) {
    const answer = controller.run(line)
    if (answer.quit) break
    if (answer.help) io.out(`${HELP_LINES.join('\n')}\n`)
    else if (answer.text !== undefined) io.out(`${answer.text}\n`)
    else if (answer.message?.error) io.out(`! ${answer.message.text}\n`)
    else {
      if (answer.message) io.out(`${answer.message.text}\n`)
      if (answer.moved) show()
    }
  }
  lines.close()
  return EXIT.OK
}

/**
 * A session on a fetched transaction under the first candidate fork whose re-execution gives
 * the receipt's gas and status; a warning (and the first candidate) when none does.
 */
function openFetched(fetched: RpcTransaction, io: Io): DebugSession {
  let first: DebugSession | undefined
  let firstError: unknown
  for (const rules of fetched.candidates) {
    let session: DebugSession
    try {
      session = new DebugSession(fetched.build(rules))
    } catch (error) {
      firstError ??= error
      continue
    }
    const r = session.info().result
    if (BigInt(r.gasUsed) === fetched.expected.gasUsed && r.status === fetched.expected.status) return session
    first ??= session
  }
  if (first === undefined) throw firstError
  const r = first.info().result
  io.err(
    `Warning: the re-execution differs from the receipt under ${fetched.candidates.map((c) => c.name).join(', ')} (gas ${BigInt(r.gasUsed)} vs ${fetched.expected.gasUsed}, status ${r.status} vs ${fetched.expected.status}): try --fork\n`,
  )
  return first
}

/** `--sources FILE`: source level for the session. */
function sourcesOption(args: ParsedArgs): { sources?: SourcesJson } {
  const file = flagValue(args, 'sources')
  return file === undefined ? {} : { sources: parseJson(readText(file, 'sources file'), file) as SourcesJson }
}

/** `crucible debug …`: the terminal debugger (line mode when standard output is not a terminal). */
export async function debugCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.flags.has('web')) return debugWebCommand(args, io)
  const size = parseSize(flagValue(args, 'size'))
  let session: DebugSession
  try {
    const built = await buildCase(args)
    session = 'rpc' in built ? openFetched(built.rpc, io) : new DebugSession(built.input, sourcesOption(args))
  } catch (error) {
    if (error instanceof DebugSessionError)
      throw new NodeError('INVALID_DEBUG_INPUT', `${error.shortMessage} ${JSON.stringify(error.details)}`)
    if (error instanceof NodeError) throw error
    const code = (error as { code?: unknown }).code
    if (code === 'OUTSIDE_CAPSULE')
      throw new NodeError('INVALID_CAPSULE', `${(error as Error).message}`, {}, { cause: error })
    throw error
  }
  const tty = process.stdout.isTTY === true && process.stdin.isTTY === true && !args.flags.has('lines')
  if (!tty) return lineMode(session, io, size)
  const { runTui } = await import('../debug-tui/tui.js')
  await runTui(session)
  return EXIT.OK
}
