export { BLAKE2F_INPUT_LENGTH, blake2bCompress, blake2f, blake2fGas } from './blake2f.js'
export { bn254Add, bn254AddGas, bn254Mul, bn254MulGas, bn254Pairing, bn254PairingGas } from './bn254.js'
export { ECRECOVER_GAS, ecrecover } from './ecrecover.js'
export { identity, identityGas, ripemd160, ripemd160Gas, sha256, sha256Gas } from './hashes.js'
export {
  MODEXP_MAX_LENGTH,
  type ModexpHeader,
  modexp,
  modexpGas,
  modPow,
  readModexpHeader,
} from './modexp.js'
export { getPrecompile } from './registry.js'
export type { Precompile, PrecompileResult } from './types.js'
