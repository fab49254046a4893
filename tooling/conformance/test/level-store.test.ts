import { describe, expect, it } from 'vitest'
import { parseArgs } from '../src/args.js'
import { runSuite } from '../src/run.js'

// CI's slice of `pnpm conformance blockchain --store level` (the full run is measured by hand,
// see docs/performance.md): each test imported into a LevelDB chain database, closed, reopened
// at the expected head. Fork transitions (DAO, the merge), reorganisations, invalid headers,
// uncles and withdrawals.
const SLICE = [
  'ethereum-tests/BlockchainTests/TransitionTests',
  'ethereum-tests/BlockchainTests/ValidBlocks/bcForkStressTest',
  'ethereum-tests/BlockchainTests/InvalidBlocks/bcInvalidHeaderTest',
  'ethereum-tests/BlockchainTests/InvalidBlocks/bcUncleHeaderValidity',
  'ethereum-tests/BlockchainTests/InvalidBlocks/bc4895-withdrawals',
  'ethereum-tests/BlockchainTests/ValidBlocks/bcValidBlockTest',
]

describe('blockchain tests on the persistent store', () => {
  it('pass on LevelDB as in memory', async () => {
    const run = (store: string) =>
      runSuite(parseArgs(['blockchain', ...SLICE, '--store', store, '--quiet', '--workers', '1']), () => {})
    const level = await run('level')
    expect(level!.failed, JSON.stringify(level!.cases.filter((c) => !c.ok).slice(0, 3))).toBe(0)
    const memory = await run('memory')
    expect(level!.passed).toBe(memory!.passed)
    expect(level!.passed).toBeGreaterThan(90)
  }, 300_000)
})
