import { bytesToHex } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { loadGenesis } from '../src/genesis.js'
import { EXECUTION_APIS } from './fixtures.js'

describe('built-in genesis blocks', () => {
  it('mainnet has the well-known genesis hash', () => {
    const genesis = loadGenesis({ network: 'mainnet' })
    expect(bytesToHex(genesis.hash)).toBe(
      '0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3',
    )
    expect(genesis.chain.chainId).toBe(1n)
    expect(genesis.chain.forks.map((f) => f.fork)).toContain('BPO2')
    expect(genesis.chain.blobSchedule?.BPO2?.max).toBe(21)
    expect(genesis.chain.daoForkBlock).toBe(1_920_000n)
  })

  it('sepolia has the well-known genesis hash', () => {
    const genesis = loadGenesis({ network: 'sepolia' })
    expect(bytesToHex(genesis.hash)).toBe(
      '0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9',
    )
    expect(genesis.chain.chainId).toBe(11155111n)
  })

  it('dev is chain 31337 on the newest fork, with the system contracts deployed', () => {
    const genesis = loadGenesis({ network: 'dev' })
    expect(genesis.chain.chainId).toBe(31337n)
    expect(genesis.chain.forks.at(-1)).toEqual({ fork: 'Osaka', timestamp: 0n })
    expect(genesis.header.requestsHash).toBeDefined()
    // EIP-4788, EIP-2935, EIP-7002 and EIP-7251 contracts.
    for (const address of [
      0x000f3df6d732807ef1319fb7b8bb8522d0beac02n,
      0x0000f90827f1c53a10cb7a02335b175320002935n,
      0x00000961ef480eb55e80d19ad83579a64c007002n,
      0x0000bbddc7ce488642fb579f8b00f3a590007251n,
    ])
      expect(genesis.state.getCode(address).length).toBeGreaterThan(0)
  })

  it('reads a geth genesis file (the execution-apis chain)', () => {
    const genesis = loadGenesis({ file: EXECUTION_APIS.genesis })
    expect(bytesToHex(genesis.hash)).toMatch(/^0x[0-9a-f]{64}$/)
  })

  it('refuses an unknown network and a file that is not a genesis', () => {
    expect(() => loadGenesis({ network: 'holesky' })).toThrow(/unknown network/)
    expect(() => loadGenesis({ file: `${import.meta.dirname}/genesis.test.ts` })).toThrow(/not JSON/)
  })
})
