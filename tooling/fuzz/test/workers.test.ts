import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PACKAGE_DIR } from '../src/allowlist.js'
import { evmSummary, runEvmShard } from '../src/evm/target.js'
import type { FuzzOptions, Summary } from '../src/options.js'

const options = (count: number, out: string): FuzzOptions => ({
  seed: 7,
  count,
  time: Number.POSITIVE_INFINITY,
  out,
  quiet: true,
  inputMs: 5000,
})

describe('evm runs split over shards', () => {
  it('two shards count exactly the programs of one run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fuzz-shard-'))
    const quiet = () => {}
    const whole = await runEvmShard(options(6, out), { index: 0, of: 1 }, quiet)
    const a = await runEvmShard(options(6, out), { index: 0, of: 2 }, quiet)
    const b = await runEvmShard(options(6, out), { index: 1, of: 2 }, quiet)
    expect(a.tally.programs + b.tally.programs).toBe(6)
    const one = evmSummary(options(6, out), [whole], 1)
    const two = evmSummary(options(6, out), [a, b], 1)
    expect(two.inputs).toBe(6)
    expect(two.stats.reachPercent).toEqual(one.stats.reachPercent)
    expect(two.stats.outcomes).toEqual(one.stats.outcomes)
    expect(two.stats.perFork).toEqual({ Cancun: 2, Prague: 2, Osaka: 2 })
    expect(two.stats.opcodesPerProgram).toBe(one.stats.opcodesPerProgram)
    expect(two.stats.indexes).toEqual({ start: 0, through: 6 })
  })

  it('--start goes on where a run stopped', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fuzz-start-'))
    const later = { ...options(2, out), start: 4 }
    const r = await runEvmShard(later, { index: 0, of: 1 }, () => {})
    // Indexes 4 and 5: Prague and Osaka (index mod 3).
    expect(evmSummary(later, [r], 1).stats).toMatchObject({
      indexes: { start: 4, through: 6 },
      perFork: { Prague: 1, Osaka: 1 },
    })
  })

  it('pnpm fuzz evm --workers 2 runs them in two processes and merges the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-workers-'))
    const json = join(dir, 'summary.json')
    const args = ['--conditions=@crucible/source', '--import', 'tsx', join(PACKAGE_DIR, 'src/cli.ts')]
    const code = await new Promise<number>((done) => {
      execFile(
        process.execPath,
        [
          ...args,
          'evm',
          '--seed',
          '3',
          '--count',
          '4',
          '--workers',
          '2',
          '--quiet',
          '--out',
          dir,
          '--json',
          json,
        ],
        { cwd: PACKAGE_DIR, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
        (error) => done(error ? Number((error as { code?: number }).code ?? 1) : 0),
      )
    })
    expect(code).toBe(0)
    const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary
    expect(summary.inputs).toBe(4)
    expect(summary.failures).toEqual([])
    expect(summary.stats.workers).toBe(2)
    expect(summary.stats.indexes).toEqual({ start: 0, through: 4 })
    expect(summary.cpuSeconds).toBeGreaterThan(0)
  }, 180_000)
})
