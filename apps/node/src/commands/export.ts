import { bytesToHex } from '@crucible/primitives'
import { flagValue, type ParsedArgs } from '../args.js'
import { BlockFileWriter } from '../blockfile.js'
import { openChain } from '../datadir.js'
import { NodeError } from '../errors.js'
import { duration, formatLine, shortHash, size } from '../log.js'
import type { Io } from './io.js'

function blockNumber(text: string, what: string): bigint {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(text))
    throw new NodeError('USAGE', `${what} must be a block number (got ${text})`)
  return BigInt(text)
}

export async function exportCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [file, firstText, lastText, extra] = args.positional
  if (file === undefined) throw new NodeError('USAGE', 'export needs a FILE')
  if (extra !== undefined) throw new NodeError('USAGE', `unexpected argument ${extra}`)
  const chain = await openChain(flagValue(args, 'datadir'), { create: false })
  try {
    const head = chain.head().number
    const first = firstText === undefined ? 0n : blockNumber(firstText, 'FIRST')
    const last = lastText === undefined ? head : blockNumber(lastText, 'LAST')
    if (first > last) throw new NodeError('USAGE', `FIRST (${first}) is after LAST (${last})`)
    if (last > head) throw new NodeError('NOT_FOUND', `block ${last} is past the head (${head})`)
    const started = performance.now()
    io.out(`${formatLine('INFO', 'Exporting blockchain', { file, first, last })}\n`)
    const writer = new BlockFileWriter(file)
    let bytes = 0
    try {
      for (let n = first; n <= last; n++) {
        const rlp = await chain.canonicalBlockRlp(n)
        if (!rlp) throw new NodeError('NOT_FOUND', `canonical block ${n} is missing`)
        await writer.write(rlp)
        bytes += rlp.length
      }
    } finally {
      await writer.close()
    }
    io.out(
      `${formatLine('INFO', 'Exported blockchain', {
        file,
        blocks: last - first + 1n,
        size: size(bytes),
        elapsed: duration(performance.now() - started),
        head: shortHash(bytesToHex(chain.head().hash)),
      })}\n`,
    )
    return 0
  } finally {
    await chain.close()
  }
}
