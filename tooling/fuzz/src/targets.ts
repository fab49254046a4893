import { runEvmTarget } from './evm/target.js'
import type { FuzzOptions, Summary, Target } from './options.js'

/** Runs one target. `rpc` waits for the RPC package (another engineer builds it). */
export async function runTarget(
  target: Target,
  options: FuzzOptions,
  log: (line: string) => void,
): Promise<Summary> {
  switch (target) {
    case 'evm':
      return runEvmTarget(options, log)
    case 'rpc':
      throw new Error(
        'fuzz rpc: not yet: needs the RPC package (@crucible/rpc), which is not in the workspace yet',
      )
    default:
      throw new Error(`fuzz ${target}: not yet implemented`)
  }
}
