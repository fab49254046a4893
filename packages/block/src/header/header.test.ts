import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { decodeBlock, encodeBlock } from '../body/block.js'
import { BlockError } from '../errors.js'
import { decodeHeader, encodeHeader, headerHash } from './header.js'
import { headerFromJson } from './json.js'

const ROOT = '/work/shared/fixtures/ethereum-tests/BlockchainTests'
const FILES = [
  'ValidBlocks/bcExample/basefeeExample.json',
  'ValidBlocks/bcEIP4844-blobtransactions/blockWithAllTransactionTypes.json',
  'TransitionTests/bcFrontierToHomestead/HomesteadOverrideFrontier.json',
  'TransitionTests/bcMergeToShanghai/shanghaiBeforeTransition.json',
]

interface FixtureBlock {
  rlp: string
  blockHeader?: Record<string, string>
}
interface Fixture {
  genesisBlockHeader: Record<string, string>
  genesisRLP: string
  blocks: FixtureBlock[]
}

function tests(file: string): Fixture[] {
  return Object.values(JSON.parse(readFileSync(join(ROOT, file), 'utf8')))
}

describe('headers', () => {
  it('round-trips fixture blocks and headers and hashes them', () => {
    let checked = 0
    for (const file of FILES) {
      for (const test of tests(file)) {
        const genesis = headerFromJson(test.genesisBlockHeader)
        expect(bytesToHex(headerHash(genesis))).toBe(test.genesisBlockHeader.hash)
        const fromRlp = decodeBlock(hexToBytes(test.genesisRLP)).header
        expect(fromRlp).toEqual(genesis)
        for (const block of test.blocks) {
          if (!block.blockHeader) continue
          const bytes = hexToBytes(block.rlp)
          const decoded = decodeBlock(bytes)
          expect(bytesToHex(encodeBlock(decoded))).toBe(block.rlp)
          expect(decoded.header).toEqual(headerFromJson(block.blockHeader))
          expect(bytesToHex(headerHash(decoded.header))).toBe(block.blockHeader.hash)
          expect(decodeHeader(encodeHeader(decoded.header))).toEqual(decoded.header)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(5)
  })

  it('rejects malformed RLP with a typed error', () => {
    expect(() => decodeHeader(Uint8Array.of(0xc1))).toThrow(BlockError)
    expect(() => decodeHeader(Uint8Array.of(0xc0))).toThrow(/expected 15 to 21 fields/)
  })

  it('rejects 65-bit gas limits', () => {
    const [test] = tests(FILES[0]!)
    const header = headerFromJson(test!.genesisBlockHeader)
    header.gasLimit = 1n << 64n
    expect(() => decodeHeader(encodeHeader(header))).toThrow(BlockError)
  })
})

it('reads every fixture folder', () => {
  expect(readdirSync(ROOT).length).toBeGreaterThan(0)
})
