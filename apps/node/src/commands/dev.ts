import type { ParsedArgs } from '../args.js'
import { NodeError } from '../errors.js'
import type { Io } from './io.js'

/**
 * `crucible node --dev`: the hook `node.ts` hands over to. Engineer devnode (issue 17) owns
 * this file and replaces this body (a development chain: funded accounts, automining, the
 * anvil/hardhat methods); its flags go into the `node` command's spec in args.ts, and
 * `serve()` in node.ts starts the servers with extra methods.
 */
export async function devCommand(_args: ParsedArgs, _io: Io): Promise<number> {
  throw new NodeError('USAGE', 'crucible node --dev is not available yet')
}
