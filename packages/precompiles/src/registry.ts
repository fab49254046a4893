import type { ForkRules } from '@crucible/forks'
import { blake2f } from './blake2f.js'
import {
  bls12G1Add,
  bls12G1Msm,
  bls12G2Add,
  bls12G2Msm,
  bls12MapFp2ToG2,
  bls12MapFpToG1,
  bls12Pairing,
} from './bls12-381.js'
import { bn254Add, bn254Mul, bn254Pairing } from './bn254.js'
import { ecrecover } from './ecrecover.js'
import { identity, ripemd160, sha256 } from './hashes.js'
import { pointEvaluation } from './kzg.js'
import { modexp } from './modexp.js'
import { p256verify } from './p256.js'
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
  [0x0a, pointEvaluation],
  [0x0b, bls12G1Add],
  [0x0c, bls12G1Msm],
  [0x0d, bls12G2Add],
  [0x0e, bls12G2Msm],
  [0x0f, bls12Pairing],
  [0x10, bls12MapFpToG1],
  [0x11, bls12MapFp2ToG2],
  [0x100, p256verify],
])

/** The precompile at this address under these rules, or undefined (address as a number: 1..0x11, 0x100). */
export function getPrecompile(address: number, rules: ForkRules): Precompile | undefined {
  return activeFor(rules).get(address)
}

/** The table of each rules object, built on first use: the EVM asks on every call. */
const ACTIVE = /* @__PURE__ */ new WeakMap<ForkRules, ReadonlyMap<number, Precompile>>()

function activeFor(rules: ForkRules): ReadonlyMap<number, Precompile> {
  let table = ACTIVE.get(rules)
  if (table === undefined) {
    const map = new Map<number, Precompile>()
    for (const address of rules.params.precompiles) {
      const precompile = ALL.get(address)
      if (precompile !== undefined) map.set(address, precompile)
    }
    table = map
    ACTIVE.set(rules, table)
  }
  return table
}

/** Names of the precompiles by address, as the EIPs and execution-specs call them (for traces and tables). */
export const PRECOMPILE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: 'ECRECOVER',
  2: 'SHA256',
  3: 'RIPEMD160',
  4: 'IDENTITY',
  5: 'MODEXP',
  6: 'BN254_ADD',
  7: 'BN254_MUL',
  8: 'BN254_PAIRING',
  9: 'BLAKE2F',
  10: 'POINT_EVALUATION',
  11: 'BLS12_G1ADD',
  12: 'BLS12_G1MSM',
  13: 'BLS12_G2ADD',
  14: 'BLS12_G2MSM',
  15: 'BLS12_PAIRING_CHECK',
  16: 'BLS12_MAP_FP_TO_G1',
  17: 'BLS12_MAP_FP2_TO_G2',
  256: 'P256VERIFY',
})
