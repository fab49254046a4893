import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
// @ts-expect-error: a plain script of the hive client definition, without types
import { mapGenesis } from '../hive/mapper.mjs'
import { EXECUTION_APIS, FIXTURES_ROOT } from './fixtures.js'

// hive's rpc-compat simulator starts the client with the variables of the fixtures'
// forkenv.json and their genesis.json: the mapped config must be the genesis's own.
it("maps hive's HIVE_* variables back to the execution-apis genesis config", () => {
  const genesis = JSON.parse(readFileSync(EXECUTION_APIS.genesis, 'utf8'))
  const env = JSON.parse(readFileSync(join(FIXTURES_ROOT, 'execution-apis/tests/forkenv.json'), 'utf8'))
  const mapped = mapGenesis(genesis, env) as typeof genesis
  const { ethash: _ethash, ...config } = genesis.config
  expect(mapped.config).toEqual(config)
  expect(mapped.alloc).toBe(genesis.alloc)
  // No merge named: geth's "never" terminal total difficulty.
  expect(mapGenesis(genesis, { HIVE_CHAIN_ID: '1337' }).config).toMatchObject({
    chainId: 1337,
    terminalTotalDifficulty: 9223372036854775807n,
  })
})
