import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { flagValue, type ParsedArgs } from '../args.js'
import { type Io, shutdownRequested } from '../commands/io.js'
import { EXIT, NodeError } from '../errors.js'
import type { WebInput } from './page/messages.js'
import { type DebugWebOptions, serveDebugWeb } from './server.js'

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file)
  } catch (error) {
    throw new NodeError('FILE_UNREADABLE', `cannot read the ${what}`, { file }, { cause: error })
  }
}

/**
 * What the page opens at once. The engine runs in the page, so the input must travel there: a
 * capsule's bytes, or the bytecode / state-test descriptor (a transaction by hash: cut a
 * capsule of it first, `crucible capsule tx`).
 */
function inputOf(args: ParsedArgs): DebugWebOptions {
  if (flagValue(args, 'rpc') !== undefined)
    throw new NodeError(
      'USAGE',
      '--web opens a capsule, --code or --state-test (for --rpc: crucible capsule tx first)',
    )
  const fork = flagValue(args, 'fork')
  const code = flagValue(args, 'code')
  const stateTest = flagValue(args, 'state-test')
  const index = flagValue(args, 'index')
  if (index !== undefined && !/^\d+$/.test(index))
    throw new NodeError('USAGE', '--index takes a non-negative integer')
  let input: WebInput | undefined
  let name = 'input'
  if (code !== undefined) {
    const calldata = flagValue(args, 'calldata')
    input = {
      kind: 'bytecode',
      bytecode: { code, ...(calldata ? { calldata } : {}), ...(fork ? { fork } : {}) },
    }
    name = 'bytecode'
  } else if (stateTest !== undefined) {
    if (fork === undefined) throw new NodeError('USAGE', '--state-test needs --fork (e.g. Cancun)')
    const testName = flagValue(args, 'name')
    input = {
      kind: 'stateTest',
      json: read(stateTest, 'state test file').toString('utf8'),
      selector: { fork, ...(testName ? { name: testName } : {}), ...(index ? { index: Number(index) } : {}) },
    }
    name = basename(stateTest)
  }
  const options: DebugWebOptions = {}
  if (input !== undefined) options.input = { name, input }
  else if (args.positional[0] !== undefined) {
    const file = args.positional[0]
    const tx = flagValue(args, 'tx')
    options.capsule = {
      name: basename(file),
      bytes: new Uint8Array(read(file, 'capsule file')),
      select: { ...(index ? { index: Number(index) } : {}), ...(tx ? { hash: tx } : {}) },
    }
  }
  const sources = flagValue(args, 'sources')
  if (sources !== undefined)
    options.sources = { name: basename(sources), text: read(sources, 'sources file').toString('utf8') }
  const port = flagValue(args, 'port')
  if (port !== undefined) {
    if (!/^\d+$/.test(port) || Number(port) > 65535)
      throw new NodeError('USAGE', '--port takes a port number')
    options.port = Number(port)
  }
  return options
}

/** `crucible debug --web …`: serves the web debugger on 127.0.0.1 until interrupted. */
export async function debugWebCommand(args: ParsedArgs, io: Io): Promise<number> {
  const server = await serveDebugWeb(inputOf(args))
  io.out(`crucible debug: ${server.url} (the engine runs in the page; Ctrl-C stops the server)\n`)
  await shutdownRequested(io)
  await server.close()
  return EXIT.OK
}
