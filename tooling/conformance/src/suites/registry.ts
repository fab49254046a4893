import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The suites the runner knows, by name; a suite whose module does not exist yet is "not implemented". */
export const SUITE_NAMES = ['rlp', 'trie', 'tx', 'state', 'blockchain', 'rpc', 'tracers', 'capsule'] as const
export type SuiteName = (typeof SUITE_NAMES)[number]

/**
 * Suites whose full run is measured by hand (`pnpm conformance <name>`): `all`, the CI job,
 * leaves them to the slice their unit test runs. `capsule` re-executes every blockchain
 * fixture block twice more (verified and flat replay) on top of importing it.
 */
export const SLICED_SUITES: readonly SuiteName[] = ['capsule']

/** URL of a suite's module. */
export function suiteModuleUrl(name: string): URL {
  // A path to a module is accepted too, so tests (and out-of-tree formats) can bring a suite.
  if (name.endsWith('.ts') || name.endsWith('.js')) return pathToFileURL(resolve(name))
  return new URL(`./${name}.ts`, import.meta.url)
}
