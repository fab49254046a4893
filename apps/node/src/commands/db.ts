import { bytesToHex } from '@crucible/primitives'
import { flagValue, type ParsedArgs } from '../args.js'
import { datadirPaths, directorySize, openChain } from '../datadir.js'
import { NodeError } from '../errors.js'
import { size } from '../log.js'
import type { Io } from './io.js'

/** A table with a header row and right-aligned number columns, geth `db inspect` style. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  return [rule, line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1)!), rule].join(
    '\n',
  )
}

export async function dbCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [sub, extra] = args.positional
  if (sub !== 'stats' && sub !== 'inspect') throw new NodeError('USAGE', 'db needs stats or inspect')
  if (extra !== undefined) throw new NodeError('USAGE', `unexpected argument ${extra}`)
  const datadir = flagValue(args, 'datadir')
  const chain = await openChain(datadir, { create: false })
  try {
    const entries = await chain.inspect()
    const head = chain.head()
    const count = entries.reduce((n, e) => n + e.count, 0)
    const bytes = entries.reduce((n, e) => n + e.bytes, 0)
    const onDisk = directorySize(datadirPaths(datadir).chaindata)
    if (sub === 'inspect') {
      const rows = [
        ['Kind', 'Items', 'Size'],
        ...entries.map((e) => [e.kind, String(e.count), size(e.bytes)]),
        ['Total', String(count), size(bytes)],
      ]
      io.out(`${table(rows)}\n`)
    }
    io.out(
      [
        `head:         #${head.number} ${bytesToHex(head.hash)}`,
        `genesis:      ${bytesToHex(chain.genesisHash)}`,
        `entries:      ${count} (${size(bytes)} of keys and values)`,
        `size on disk: ${size(onDisk)}`,
        '',
      ].join('\n'),
    )
    return 0
  } finally {
    await chain.close()
  }
}
