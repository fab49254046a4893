/**
 * The contract between the runner and one fixture format. A suite module
 * (`src/suites/<name>.ts`) default-exports a {@link Suite}; the runner finds fixture files,
 * hands each file to a worker thread, and the worker calls {@link Suite.runFile}.
 */

/** The outcome of one case. */
export interface CaseResult {
  /** Fixture file, relative to the fixtures root (archive members as `archive.tar.gz:member`). */
  file: string
  test: string
  /** Fork name as the fixture spells it; empty where the format has none. */
  fork: string
  /** Post-state index (state tests); 0 where the format has none. */
  index: number
  ok: boolean
  /** True when the case was not run (filtered by --fork, or a format the suite does not handle). */
  skipped?: boolean
  reason?: string
}

/** Options from the command line that suites may honour. */
export interface SuiteOptions {
  /** Only cases of this fork (fixture spelling or canonical name). */
  fork?: string
  /** Only cases whose file or test name contains this text. */
  filter?: string
  /** Write an EIP-3155 trace of the matching cases to this file (state suite). */
  trace?: string
}

/** What a suite sees while running one file. */
export interface FileContext {
  /** Absolute path of the JSON file on disk. */
  path: string
  /** Display name of the file for results (see {@link CaseResult.file}). */
  file: string
  options: SuiteOptions
  /**
   * Call before running each case, with the case's identity: returns false when the case must
   * not run (already reported before a worker restart, or filtered out). The runner's time
   * bound starts here.
   */
  begin(test: string, fork: string, index: number): boolean
  /** Report a case's outcome (after {@link begin} returned true). */
  report(result: Omit<CaseResult, 'file'>): void
}

export interface Suite {
  name: string
  /** Default locations, relative to the fixtures root (`../shared/fixtures`). */
  defaultPaths: string[]
  /** Whether a `.json` file found while walking a folder belongs to this suite. */
  accepts(relativePath: string): boolean
  /** Runs every case of one file. Throwing fails the current case, not the run. */
  runFile(context: FileContext): void | Promise<void>
}

/** True when the case passes the --fork and --filter options. */
export function selected(
  options: SuiteOptions,
  file: string,
  test: string,
  fork: string,
  canonicalFork?: string,
): boolean {
  if (options.fork && options.fork !== fork && options.fork !== canonicalFork) return false
  if (options.filter && !file.includes(options.filter) && !test.includes(options.filter)) return false
  return true
}
