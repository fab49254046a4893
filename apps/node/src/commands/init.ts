import { bytesToHex } from '@crucible/primitives'
import { flagValue, type ParsedArgs } from '../args.js'
import { datadirPaths, openChain } from '../datadir.js'
import { NodeError } from '../errors.js'
import { formatLine } from '../log.js'
import { genesisFromFlags } from './import.js'
import type { Io } from './io.js'

export async function initCommand(args: ParsedArgs, io: Io): Promise<number> {
  // geth takes the genesis file as an argument: accept that form too.
  if (args.positional.length === 1 && !args.flags.has('genesis'))
    args.flags.set('genesis', args.positional[0]!)
  else if (args.positional.length > 0)
    throw new NodeError('USAGE', `unexpected argument ${args.positional[0]}`)
  const genesis = genesisFromFlags(args)
  if (!genesis) throw new NodeError('USAGE', 'init needs --genesis FILE or --network mainnet|sepolia|dev')
  const datadir = flagValue(args, 'datadir')
  const chain = await openChain(datadir, { genesis, create: true })
  const head = chain.head()
  await chain.close()
  io.out(
    `${formatLine('INFO', 'Successfully wrote genesis state', {
      database: datadirPaths(datadir).chaindata,
      hash: bytesToHex(genesis.hash),
      chainid: genesis.chain.chainId,
      head: head.number,
    })}\n`,
  )
  return 0
}
