import { hexToBytes } from '@crucible/primitives'
import { DatabaseChain, isStreamed, traceConfig, traceTransactionAt } from '@crucible/rpc'
import { flagValue, type ParsedArgs } from '../args.js'
import { openChain } from '../datadir.js'
import { NodeError, oneLine } from '../errors.js'
import type { Io } from './io.js'

/** `--config JSON` and `--tracer NAME` as one `TraceConfig` (the flag wins over the JSON). */
function config(args: ParsedArgs): ReturnType<typeof traceConfig> {
  const text = flagValue(args, 'config')
  let value: Record<string, unknown> = {}
  if (text !== undefined) {
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new NodeError('USAGE', `--config is not JSON: ${oneLine(error)}`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new NodeError('USAGE', '--config must be a JSON object (a TraceConfig)')
  }
  const tracer = flagValue(args, 'tracer')
  if (tracer !== undefined) value = { ...value, tracer }
  try {
    return traceConfig(value, 1)
  } catch (error) {
    throw new NodeError('USAGE', oneLine(error).replace(/^invalid argument 1: /, '--config: '))
  }
}

/**
 * `crucible trace TXHASH`: the transaction's trace as `debug_traceTransaction` answers it,
 * on standard output. Struct logs are written as they are made (standard output is
 * synchronous for files and pipes), never held whole.
 */
export async function traceCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [hashText, extra] = args.positional
  if (hashText === undefined) throw new NodeError('USAGE', 'trace needs a TXHASH')
  if (extra !== undefined) throw new NodeError('USAGE', `unexpected argument ${extra}`)
  if (!/^0x[0-9a-fA-F]{64}$/.test(hashText))
    throw new NodeError('USAGE', `TXHASH must be 0x and 64 hex digits (got ${hashText})`)
  const options = config(args)
  const chain = await openChain(flagValue(args, 'datadir'), { create: false })
  try {
    const reader = new DatabaseChain(chain.blockchain, chain.db)
    const found = reader.transaction(hexToBytes(hashText))
    if (!found) throw new NodeError('NOT_FOUND', `transaction ${hashText} not found`)
    const result = traceTransactionAt(reader, found.block, found.index, options)
    if (isStreamed(result)) result.write(io.out)
    else io.out(JSON.stringify(result))
    io.out('\n')
    return 0
  } finally {
    await chain.close()
  }
}
