import { describe, expect, it } from 'vitest'
import { evmMarkdown, evmTable, fmtMs, suiteTable, textTable } from '../src/format.js'
import type { InputResult, Summary } from '../src/runner.js'

const timing = (engine: string, ms: number | undefined, problems: string[] = []) => ({
  engine,
  ms,
  samples: ms === undefined ? [] : [ms],
  iterations: 1,
  problems,
})

const results: InputResult[] = [
  {
    benchmark: 'snailtracer',
    input: 'benchmark',
    gas: 165_962_868n,
    timings: [timing('crucible', 400), timing('ethereumjs', 6000)],
    speedup: 15,
  },
  {
    benchmark: 'swap_math',
    input: 'spent',
    gas: 3179n,
    timings: [timing('crucible', undefined, ['gas 1 != exec_gas 3179']), timing('ethereumjs', 0.3)],
    speedup: undefined,
  },
]
const summary: Summary = {
  geomean_speedup: 15,
  aggregate_mgas_s: 414.9,
  reference_aggregate_mgas_s: 27.7,
  peak_rss_mb: 200,
  failures: 1,
}

describe('format', () => {
  it('aligns a text table', () => {
    const t = textTable(
      ['a', 'n'],
      [
        ['x', '1.5'],
        ['longer', '10.25'],
      ],
    ).split('\n')
    expect(t[0]).toBe('a           n')
    expect(t[2]).toBe('x         1.5')
    expect(t[3]).toBe('longer  10.25')
  })

  it('prints the EVM table with Mgas/s, speedups, totals and failures', () => {
    const text = evmTable(results, summary)
    expect(text).toContain('snailtracer/benchmark')
    expect(text).toContain('165,962,868')
    expect(text).toContain('414.9') // 165,962,868 gas in 400 ms
    expect(text).toContain('15.00x')
    expect(text).toContain('swap_math/spent !')
    expect(text).toMatch(/FAILED \(1\)[\s\S]*swap_math\/spent \[crucible\]: gas 1 != exec_gas 3179/)
    expect(text).toContain('peak RSS: 200 MiB')
  })

  it('writes Markdown rows', () => {
    const md = evmMarkdown(results).split('\n')
    expect(md).toHaveLength(4)
    expect(md[1]).toBe('|---|---:|---:|---:|---:|---:|---:|')
    expect(md[2]).toBe('| snailtracer/benchmark | 165,962,868 | 400.0 | 6000.0 | 414.9 | 27.7 | 15.00x |')
  })

  it('formats times and suite tables', () => {
    expect(fmtMs(undefined)).toBe('—')
    expect(fmtMs(0.000123456)).toBe('0.000123')
    expect(fmtMs(12.3456)).toBe('12.346')
    const s = suiteTable({
      title: 'T',
      rows: [{ name: 'r', crucible_ms: 1, reference_ms: 2, reference: 'ref', speedup: 2 }],
    })
    expect(s.split('\n')[0]).toBe('T')
    expect(s).toContain('2.00x')
  })
})
