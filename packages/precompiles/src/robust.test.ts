import { FORK_NAMES, getForkRules } from '@crucible/forks'
import { seededRandom } from '@crucible/test-support'
import { describe, expect, it } from 'vitest'
import { getPrecompile, PRECOMPILE_NAMES } from './registry.js'

// Lengths each precompile treats specially, and their neighbours.
const LENGTHS = [
  0, 1, 31, 32, 33, 63, 64, 96, 127, 128, 159, 160, 161, 191, 192, 193, 213, 256, 288, 384, 512, 577,
]

describe('never throws', () => {
  it('random and adversarial inputs give a well-formed result under every fork', () => {
    const r = seededRandom(42)
    const addresses = Object.keys(PRECOMPILE_NAMES).map(Number)
    for (const fork of FORK_NAMES) {
      const rules = getForkRules(fork)
      for (const address of addresses) {
        const precompile = getPrecompile(address, rules)
        if (precompile === undefined) continue
        for (const length of LENGTHS) {
          for (const fill of ['random', 'ff', 'zero'] as const) {
            const input = new Uint8Array(length)
            for (let i = 0; i < length; i++)
              input[i] = fill === 'random' ? r.int(256) : fill === 'ff' ? 0xff : 0
            // Field-element padding mostly zero so that the curve code is reached, not only the
            // encoding checks.
            if (fill === 'random' && address >= 0x0b && address <= 0x11)
              for (let i = 0; i < length; i += 64) input.fill(0, i, Math.min(length, i + 16))
            const gasLimit = [0, 100, 1_000_000][(r() * 3) | 0]!
            const result = precompile(input, gasLimit, rules)
            if (result.ok) {
              expect(result.gasUsed).toBeLessThanOrEqual(gasLimit)
              expect(result.output).toBeInstanceOf(Uint8Array)
            } else {
              expect(result.gasUsed).toBe(gasLimit)
              expect(['OutOfGas', 'InvalidInput']).toContain(result.error)
            }
          }
        }
      }
    }
  })
})
