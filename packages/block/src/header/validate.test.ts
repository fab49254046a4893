import { readFileSync } from 'node:fs'
import { chainFromFixtureNetwork, rulesAt } from '@crucible/forks'
import { bytesToHex, hexToBytes, utf8ToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { decodeBlock } from '../body/block.js'
import { BlockError, type BlockErrorReason } from '../errors.js'
import { type BlockHeader, headerHash } from './header.js'
import { type HeaderContext, validateHeader } from './validate.js'

const ROOT = '/work/shared/fixtures/ethereum-tests/BlockchainTests'

/** The valid headers of a fixture, genesis first. */
function headers(file: string): { network: string; headers: BlockHeader[] } {
  const test = Object.values(JSON.parse(readFileSync(`${ROOT}/${file}`, 'utf8')))[0] as {
    network: string
    genesisRLP: string
    blocks: { rlp: string; expectException?: string; blockHeader?: unknown }[]
  }
  const list = [decodeBlock(hexToBytes(test.genesisRLP)).header]
  for (const b of test.blocks)
    if (!b.expectException && b.blockHeader) list.push(decodeBlock(hexToBytes(b.rlp)).header)
  return { network: test.network, headers: list }
}

function context(network: string, header: BlockHeader, parent: BlockHeader): HeaderContext {
  const chain = chainFromFixtureNetwork(network)
  const ctx: HeaderContext = {
    rules: rulesAt(chain, header.number, header.timestamp),
    parentRules: rulesAt(chain, parent.number, parent.timestamp),
  }
  if (chain.daoForkBlock !== undefined) ctx.daoForkBlock = chain.daoForkBlock
  return ctx
}

function reason(fn: () => void): BlockErrorReason | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof BlockError) return error.reason
    throw error
  }
  return undefined
}

describe('validateHeader', () => {
  it('accepts every header of a London transition chain, including the fork block', () => {
    const { network, headers: list } = headers('TransitionTests/bcBerlinToLondon/initialVal.json')
    const byHash = new Map(list.map((h) => [bytesToHex(headerHash(h)), h]))
    for (const header of list.slice(1)) {
      const parent = byHash.get(bytesToHex(header.parentHash))!
      expect(reason(() => validateHeader(header, parent, context(network, header, parent)))).toBeUndefined()
    }
    expect(list.some((h) => h.number === 5n && h.baseFeePerGas === 1_000_000_000n)).toBe(true)
  })

  it('names the broken rule', () => {
    const { network, headers: list } = headers('TransitionTests/bcBerlinToLondon/initialVal.json')
    const header = list.find((h) => h.number === 7n)!
    const parent = list.find((h) => bytesToHex(headerHash(h)) === bytesToHex(header.parentHash))!
    const ctx = context(network, header, parent)
    const check = (change: Partial<BlockHeader>) =>
      reason(() => validateHeader({ ...header, ...change }, parent, ctx))
    expect(check({})).toBeUndefined()
    expect(check({ number: header.number + 1n })).toBe('INVALID_BLOCK_NUMBER')
    expect(check({ timestamp: parent.timestamp })).toBe('INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT')
    expect(check({ gasLimit: parent.gasLimit + parent.gasLimit / 1024n })).toBe('INVALID_GASLIMIT')
    expect(check({ gasUsed: header.gasLimit + 1n })).toBe('GAS_USED_OVERFLOW')
    expect(check({ baseFeePerGas: (header.baseFeePerGas ?? 0n) + 1n })).toBe('INVALID_BASEFEE_PER_GAS')
    expect(check({ extraData: new Uint8Array(33) })).toBe('EXTRA_DATA_TOO_BIG')
    expect(check({ difficulty: header.difficulty + 1n })).toBe('INVALID_DIFFICULTY')
    expect(check({ baseFeePerGas: undefined })).toBe('INVALID_HEADER_FIELDS')
    expect(check({ parentHash: new Uint8Array(32) })).toBe('INVALID_PARENT_HASH')
  })

  it('requires "dao-hard-fork" in the ten blocks from the DAO fork', () => {
    const { network, headers: list } = headers('TransitionTests/bcHomesteadToDao/DaoTransactions.json')
    const header = list.find((h) => h.number === 5n)!
    const parent = list.find((h) => bytesToHex(headerHash(h)) === bytesToHex(header.parentHash))!
    expect(header.extraData).toEqual(utf8ToBytes('dao-hard-fork'))
    const ctx = context(network, header, parent)
    expect(reason(() => validateHeader(header, parent, ctx))).toBeUndefined()
    expect(reason(() => validateHeader({ ...header, extraData: new Uint8Array(0) }, parent, ctx))).toBe(
      'EXTRA_DATA_INVALID_DAO',
    )
  })
})
