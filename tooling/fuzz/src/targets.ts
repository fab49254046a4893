import { blockTarget } from './decode/block.js'
import { proofTarget } from './decode/proof.js'
import { rlpTarget } from './decode/rlp.js'
import { rpcTarget } from './decode/rpc.js'
import { type DecoderTarget, runDecoderTarget } from './decode/runner.js'
import { txTarget } from './decode/tx.js'
import { runEvmTarget } from './evm/target.js'
import type { FuzzOptions, Summary, Target } from './options.js'

/** The decoder targets by name. */
export const DECODER_TARGETS: Record<string, () => DecoderTarget> = {
  rlp: rlpTarget,
  tx: txTarget,
  block: blockTarget,
  proof: proofTarget,
  rpc: rpcTarget,
}

/** Runs one target. */
export async function runTarget(
  target: Target,
  options: FuzzOptions,
  log: (line: string) => void,
): Promise<Summary> {
  if (target === 'evm') return runEvmTarget(options, log)
  const make = DECODER_TARGETS[target]
  if (make === undefined) throw new Error(`fuzz ${target}: not yet implemented`)
  return runDecoderTarget(make(), options, log)
}
