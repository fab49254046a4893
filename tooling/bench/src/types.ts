/**
 * Shared result shape for every benchmark suite hosted by `pnpm bench --suite <name>`.
 *
 * Each suite module (`src/suites/<name>.ts`) exports
 * `run(options: { quick?: boolean }): Promise<BenchTable>`.
 */
export type BenchRow = {
  name: string
  crucible_ms: number
  /** Absent when there is nothing to compare with (rpc-load). */
  reference_ms?: number
  reference: string
  speedup?: number
  note?: string
}

export type BenchTable = {
  title: string
  rows: Array<BenchRow>
}

export type SuiteOptions = { quick?: boolean }

export type SuiteModule = { run(options: SuiteOptions): Promise<BenchTable> }
