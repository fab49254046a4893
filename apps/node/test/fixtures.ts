import { resolve } from 'node:path'

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

/** The official fixtures: `$CRUCIBLE_FIXTURES`, else `../shared/fixtures` beside the repository. */
export const FIXTURES_ROOT = process.env.CRUCIBLE_FIXTURES
  ? resolve(process.env.CRUCIBLE_FIXTURES)
  : resolve(REPO_ROOT, '../shared/fixtures')

/** The execution-apis test chain: a genesis and 54 blocks. */
export const EXECUTION_APIS = {
  genesis: resolve(FIXTURES_ROOT, 'execution-apis/tests/genesis.json'),
  chain: resolve(FIXTURES_ROOT, 'execution-apis/tests/chain.rlp'),
  headNumber: 54n,
  headHash: '0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7',
}

/** The benchmark contracts (../shared/bench beside the repository, or `$CRUCIBLE_BENCH_DATA`). */
export const BENCH_DATA = process.env.CRUCIBLE_BENCH_DATA
  ? resolve(process.env.CRUCIBLE_BENCH_DATA)
  : resolve(REPO_ROOT, '../shared/bench')
