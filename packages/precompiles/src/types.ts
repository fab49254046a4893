import type { ForkRules } from '@crucible/forks'

/**
 * What a precompile call returns. A failure consumes all the gas given (`gasUsed` is the
 * limit), as the EVM does for an exceptional halt; it never throws.
 */
export type PrecompileResult =
  | { ok: true; gasUsed: number; output: Uint8Array }
  | { ok: false; gasUsed: number; error: 'OutOfGas' | 'InvalidInput' }

/** A precompiled contract: input bytes, gas available, the fork's rules. */
export type Precompile = (input: Uint8Array, gasLimit: number, rules: ForkRules) => PrecompileResult

/**
 * Charges `gas` then computes the output: out-of-gas when the limit does not cover it, invalid
 * input when `output` returns undefined or throws. The gas check comes first so no work is
 * done for a call that cannot pay.
 */
export function charge(
  gas: number | bigint,
  gasLimit: number,
  output: () => Uint8Array | undefined,
): PrecompileResult {
  if (gas > gasLimit) return outOfGas(gasLimit)
  let out: Uint8Array | undefined
  try {
    out = output()
  } catch {
    // Curve libraries throw on points they reject; to the EVM that is just bad input.
    out = undefined
  }
  if (out === undefined) return invalidInput(gasLimit)
  return { ok: true, gasUsed: Number(gas), output: out }
}

export function outOfGas(gasLimit: number): PrecompileResult {
  return { ok: false, gasUsed: gasLimit, error: 'OutOfGas' }
}

export function invalidInput(gasLimit: number): PrecompileResult {
  return { ok: false, gasUsed: gasLimit, error: 'InvalidInput' }
}

/** Number of 32-byte words covering `length` bytes, as the per-word prices count them. */
export function words(length: number): number {
  return Math.ceil(length / 32)
}

/**
 * `length` bytes of `input` from `offset`, zero-filled past its end: the EVM reads call data as
 * if it were followed by infinitely many zeros. Returns a view when no padding is needed.
 */
export function readPadded(input: Uint8Array, offset: number, length: number): Uint8Array {
  if (offset + length <= input.length) return input.subarray(offset, offset + length)
  const out = new Uint8Array(length)
  if (offset < input.length) out.set(input.subarray(offset), 0)
  return out
}
