export { BLAKE2F_INPUT_LENGTH, blake2bCompress, blake2f, blake2fGas } from './blake2f.js'
export { BYTES_PER_BLOB, verifyBlobKzgProof, verifyBlobKzgProofBatch } from './blob.js'
export {
  BLS12_G1ADD_GAS,
  BLS12_G1MUL_GAS,
  BLS12_G2ADD_GAS,
  BLS12_G2MUL_GAS,
  BLS12_MAP_FP_TO_G1_GAS,
  BLS12_MAP_FP2_TO_G2_GAS,
  BLS12_PAIRING_BASE_GAS,
  BLS12_PAIRING_PER_PAIR_GAS,
  bls12G1Add,
  bls12G1Msm,
  bls12G1MsmGas,
  bls12G2Add,
  bls12G2Msm,
  bls12G2MsmGas,
  bls12MapFp2ToG2,
  bls12MapFpToG1,
  bls12Pairing,
  bls12PairingGas,
} from './bls12-381.js'
export { bn254Add, bn254AddGas, bn254Mul, bn254MulGas, bn254Pairing, bn254PairingGas } from './bn254.js'
export { clearPrecompileCaches } from './cache.js'
export { ECRECOVER_GAS, ecrecover } from './ecrecover.js'
export { identity, identityGas, ripemd160, ripemd160Gas, sha256, sha256Gas } from './hashes.js'
export {
  BLS_MODULUS,
  FIELD_ELEMENTS_PER_BLOB,
  KZG_SETUP_G2_TAU,
  type KzgBackend,
  kzgToVersionedHash,
  POINT_EVALUATION_GAS,
  pointEvaluation,
  setKzgBackend,
  VERSIONED_HASH_VERSION_KZG,
  verifyKzgProof,
} from './kzg.js'
export {
  MODEXP_MAX_LENGTH,
  type ModexpHeader,
  modexp,
  modexpGas,
  modPow,
  readModexpHeader,
} from './modexp.js'
export { P256VERIFY_GAS, p256Verify, p256verify } from './p256.js'
export { getPrecompile, PRECOMPILE_NAMES } from './registry.js'
export type { Precompile, PrecompileResult } from './types.js'
