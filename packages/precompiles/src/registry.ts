import type { ForkRules } from '@crucible/forks'
import { blake2f } from './blake2f.js'
import { bn254Add, bn254Mul, bn254Pairing } from './bn254.js'
import { ecrecover } from './ecrecover.js'
import { identity, ripemd160, sha256 } from './hashes.js'
import { modexp } from './modexp.js'
import type { Precompile } from './types.js'

/** Every precompile by address; which are in force is the fork's business (`params.precompiles`). */
const ALL: ReadonlyMap<number, Precompile> = /* @__PURE__ */ new Map<number, Precompile>([
  [0x01, ecrecover],
  [0x02, sha256],
  [0x03, ripemd160],
  [0x04, identity],
  [0x05, modexp],
  [0x06, bn254Add],
  [0x07, bn254Mul],
  [0x08, bn254Pairing],
  [0x09, blake2f],
])

/** The precompile at this address under these rules, or undefined (address as a number: 1..0x11, 0x100). */
export function getPrecompile(address: number, rules: ForkRules): Precompile | undefined {
  if (!rules.params.precompiles.includes(address)) return undefined
  return ALL.get(address)
}
