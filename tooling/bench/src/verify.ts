import type { RunResult } from './engine.js'
import { type BenchInput, toHex } from './manifest.js'

/** Checks one run against the manifest; returns the problems found (empty when it matches). */
export function verifyRun(result: RunResult, input: BenchInput): string[] {
  const problems: string[] = []
  if (result.error !== undefined) problems.push(`call failed: ${result.error}`)
  const out = result.output
  const exp = input.expected
  let same = out.length === exp.length
  for (let i = 0; same && i < out.length; i++) if (out[i] !== exp[i]) same = false
  if (!same) {
    const show = (b: Uint8Array) =>
      b.length > 40 ? `${toHex(b.subarray(0, 40))}… (${b.length} B)` : toHex(b)
    problems.push(`output 0x${show(out)} != expected 0x${show(exp)}`)
  }
  if (BigInt(result.gasUsed) !== input.execGas)
    problems.push(`gas ${result.gasUsed} != exec_gas ${input.execGas}`)
  return problems
}
