import type { InputResult, Summary } from './runner.js'
import { mgasPerSecond } from './stats.js'
import type { BenchTable } from './types.js'

/** Renders rows as a fixed-width text table; numeric-looking cells are right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const numeric = (s: string) => /^[-+]?[\d,.]+[x%]?$|^n\/a$|^—$/.test(s)
  // a column whose cells are all numbers is right-aligned, header included
  const right = header.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => numeric(r[i] ?? '')))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '—'
  if (ms >= 100) return ms.toFixed(1)
  if (ms >= 1) return ms.toFixed(3)
  return ms.toPrecision(3)
}

export function fmtX(x: number | undefined): string {
  return x === undefined ? '—' : `${x.toFixed(2)}x`
}

export function fmtGas(gas: bigint | number): string {
  return Number(gas).toLocaleString('en-US')
}

export const EVM_HEADER = [
  'benchmark/input',
  'gas',
  'crucible ms',
  'ethjs ms',
  'crucible Mgas/s',
  'ethjs Mgas/s',
  'speedup',
]

export function evmRow(r: InputResult): string[] {
  const c = r.timings.find((t) => t.engine === 'crucible')
  const e = r.timings.find((t) => t.engine === 'ethereumjs')
  const mgas = (ms: number | undefined) => (ms === undefined ? '—' : mgasPerSecond(r.gas, ms).toFixed(1))
  const flag = r.timings.some((t) => t.problems.length > 0) ? ' !' : ''
  return [
    `${r.benchmark}/${r.input}${flag}`,
    fmtGas(r.gas),
    fmtMs(c?.ms),
    fmtMs(e?.ms),
    mgas(c?.ms),
    mgas(e?.ms),
    fmtX(r.speedup),
  ]
}

export function evmTable(results: InputResult[], summary: Summary): string {
  const lines = [textTable(EVM_HEADER, results.map(evmRow)), '']
  lines.push(`geometric-mean speedup (ethereumjs ms / crucible ms): ${fmtX(summary.geomean_speedup)}`)
  const agg = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(1)} Mgas/s`)
  lines.push(`aggregate crucible: ${agg(summary.aggregate_mgas_s)} (total exec gas / total median time)`)
  lines.push(`aggregate ethereumjs: ${agg(summary.reference_aggregate_mgas_s)}`)
  lines.push(`peak RSS: ${summary.peak_rss_mb.toFixed(0)} MiB`)
  const failed = results.flatMap((r) =>
    r.timings
      .filter((t) => t.problems.length > 0)
      .map((t) => `  ${r.benchmark}/${r.input} [${t.engine}]: ${t.problems[0].split('\n')[0]}`),
  )
  if (failed.length > 0) lines.push(`FAILED (${failed.length}), not timed / excluded:`, ...failed)
  return lines.join('\n')
}

/** Markdown version of the EVM table (for docs/performance.md). */
export function evmMarkdown(results: InputResult[]): string {
  const rows = results.map(evmRow)
  return [
    `| ${EVM_HEADER.join(' | ')} |`,
    `|${EVM_HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}

export function suiteTable(table: BenchTable): string {
  const rows = table.rows.map((r) => [
    r.name,
    fmtMs(r.crucible_ms),
    fmtMs(r.reference_ms),
    r.reference,
    fmtX(r.speedup),
    r.note ?? '',
  ])
  return `${table.title}\n${textTable(['name', 'crucible ms', 'ref ms', 'reference', 'speedup', 'note'], rows)}`
}
