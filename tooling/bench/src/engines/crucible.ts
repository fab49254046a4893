import type { Engine } from '../engine.js'

/**
 * PLACEHOLDER until `@crucible/evm` exports a way to run a call (packages/evm/src/index.ts).
 * The CLI catches this error and runs the other engines alone.
 */
export function crucibleEngine(): Engine {
  throw new Error('@crucible/evm does not export a call API yet')
}
