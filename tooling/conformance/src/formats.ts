/**
 * Which official test format a fixture is, told by its content, never by its path: the same
 * folder names (`GeneralStateTests`, `state_tests`) hold state tests in one release and their
 * blockchain form in another. Every fixture file maps test names to test objects; each object
 * is recognised by the fields its format requires.
 */

/** The formats the runner can tell apart. `unknown` is everything else (BasicTests, …). */
export const FIXTURE_FORMATS = [
  'blockchain',
  'blockchain-engine',
  'state',
  'tx',
  'rlp',
  'trie',
  'rpc',
  'geth-tracer',
  'unknown',
] as const
export type FixtureFormat = (typeof FIXTURE_FORMATS)[number]

/** Plural words for reports ("909 set aside (state tests)"). */
export const FORMAT_LABELS: Record<FixtureFormat, string> = {
  blockchain: 'blockchain tests',
  'blockchain-engine': 'engine blockchain tests',
  state: 'state tests',
  tx: 'transaction tests',
  rlp: 'RLP tests',
  trie: 'trie tests',
  rpc: 'RPC test chains',
  'geth-tracer': 'geth tracer cases',
  unknown: 'other formats',
}

const has = (test: Record<string, unknown>, ...keys: string[]) => keys.every((k) => k in test)

/** The format of one test object (a value of a fixture file's top-level map). */
export function testFormat(test: unknown): FixtureFormat {
  if (typeof test !== 'object' || test === null || Array.isArray(test)) return 'unknown'
  const t = test as Record<string, unknown>
  if (Array.isArray(t.engineNewPayloads)) return 'blockchain-engine'
  if (Array.isArray(t.blocks) && has(t, 'genesisBlockHeader')) return 'blockchain'
  if (has(t, 'env', 'pre', 'transaction', 'post')) return 'state'
  if (has(t, 'txbytes', 'result')) return 'tx'
  if (has(t, 'in', 'out')) return 'rlp'
  if (has(t, 'in') && (has(t, 'root') || Array.isArray(t.tests))) return 'trie'
  return 'unknown'
}

/** A fixture file split by format: the test names of each format it holds. */
export type FileFormats = Partial<Record<FixtureFormat, string[]>>

export function fileFormats(content: unknown): FileFormats {
  const out: FileFormats = {}
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return { unknown: [''] }
  // A geth genesis (`config` and `alloc`) is not a map of tests: it is the root of a hive
  // rpc-compat chain (genesis.json beside chain.rlp and the .io cases), one RPC test chain.
  if (isGethGenesis(content)) return { rpc: ['genesis'] }
  // A geth tracer case (eth/tracers/internal/tracetest): one case per file, its genesis,
  // block context, raw transaction and the tracer's expected result.
  if (isGethTracerCase(content)) return { 'geth-tracer': ['case'] }
  for (const [name, test] of Object.entries(content)) {
    const format = testFormat(test)
    const list = out[format]
    if (list) list.push(name)
    else out[format] = [name]
  }
  if (Object.keys(out).length === 0) out.unknown = ['']
  return out
}

function isGethTracerCase(content: object): boolean {
  const c = content as Record<string, unknown>
  return (
    typeof c.genesis === 'object' &&
    typeof c.context === 'object' &&
    typeof c.input === 'string' &&
    'result' in c
  )
}

function isGethGenesis(content: object): boolean {
  const c = content as Record<string, unknown>
  return typeof c.config === 'object' && c.config !== null && typeof c.alloc === 'object' && c.alloc !== null
}

/** The format most of a file's tests have (what a file set aside is counted as). */
export function mainFormat(formats: FileFormats): FixtureFormat {
  let best: FixtureFormat = 'unknown'
  let count = -1
  for (const [format, names] of Object.entries(formats) as [FixtureFormat, string[]][]) {
    if (names.length > count) {
      best = format
      count = names.length
    }
  }
  return best
}
