import { EMPTY_BYTES, keccak256 } from '@crucible/primitives'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { charge, type PrecompileResult, readPadded } from './types.js'

/** Gas of ECRECOVER (0x01). */
export const ECRECOVER_GAS = 3000

const N = secp256k1.Point.Fn.ORDER

function word(bytes: Uint8Array, offset: number): bigint {
  let v = 0n
  for (let i = offset; i < offset + 32; i++) v = (v << 8n) | BigInt(bytes[i]!)
  return v
}

/**
 * 0x01: the address that signed a 32-byte hash. Input (zero-padded to 128 bytes) is
 * hash ‖ v ‖ r ‖ s, each a 32-byte word. A bad signature is not a failure: the call succeeds
 * with empty output, which is what contracts test for.
 */
export function ecrecover(input: Uint8Array, gasLimit: number): PrecompileResult {
  return charge(ECRECOVER_GAS, gasLimit, () => {
    const data = readPadded(input, 0, 128)
    // v is a whole word: 27 or 28 with 31 zero bytes before it.
    for (let i = 32; i < 63; i++) if (data[i] !== 0) return EMPTY_BYTES
    const v = data[63]!
    if (v !== 27 && v !== 28) return EMPTY_BYTES
    const r = word(data, 64)
    const s = word(data, 96)
    if (r === 0n || r >= N || s === 0n || s >= N) return EMPTY_BYTES
    let key: Uint8Array
    try {
      const sig = new secp256k1.Signature(r, s).addRecoveryBit(v - 27)
      key = sig.recoverPublicKey(data.subarray(0, 32)).toBytes(false)
    } catch {
      return EMPTY_BYTES
    }
    const out = new Uint8Array(32)
    out.set(keccak256(key.subarray(1)).subarray(12), 12)
    return out
  })
}
