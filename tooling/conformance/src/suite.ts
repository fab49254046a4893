import type { FixtureFormat } from './formats.js'

/**
 * The contract between the runner and one fixture format. A suite module
 * (`src/suites/<name>.ts`, listed in `suites/registry.ts`) default-exports a {@link Suite};
 * the runner finds fixture files, hands each file to a worker thread, the worker tells the
 * file's format by its content (`formats.ts`) and calls {@link Suite.runFile} with the tests
 * of the suite's format. Files of another format are counted and reported as set aside.
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
  /** Where the blockchain and rpc suites keep a test's chain: in memory (default) or a LevelDB datadir. */
  store?: 'memory' | 'level'
}

/** What a suite sees while running one file. */
export interface FileContext {
  /** Absolute path of the fixture file on disk. */
  path: string
  /** Display name of the file for results (see {@link CaseResult.file}). */
  file: string
  /**
   * The file's tests of the suite's format, by name, parsed once by the runner (tests of
   * other formats in the same file are counted as set aside). Empty for a file that is not
   * JSON (a suite with other {@link Suite.extensions} reads {@link path} itself).
   */
  tests: Record<string, unknown>
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
  /** The format of the tests this suite runs, as {@link FixtureFormat} tells it from content. */
  format: FixtureFormat
  /**
   * Endings of the files taken while walking a folder (default `['.json']`). A file that is not
   * JSON is not inspected: its ending is its format.
   */
  extensions?: string[]
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
