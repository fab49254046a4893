import { readFileSync } from 'node:fs'
import { type ChainConfig, Fork, mainnet, rulesAt } from '@crucible/forks'
import { bytesToHex, KECCAK256_RLP_EMPTY_LIST } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { calcDifficulty } from './difficulty.js'

const BASIC = '/work/shared/fixtures/ethereum-tests/BasicTests'

function vectors(file: string): [string, Record<string, string>][] {
  return Object.entries(JSON.parse(readFileSync(`${BASIC}/${file}`, 'utf8')))
}

// The vectors were generated with mainnet's PoW schedule and no merge.
const POW_MAINNET: ChainConfig = { ...mainnet, forks: mainnet.forks.filter((f) => Fork[f.fork] < Fork.Paris) }

describe('difficulty', () => {
  // The mainnet schedule by block number: Frontier, Homestead, Byzantium, Constantinople...
  it.each(['difficultyMainNetwork.json', 'difficulty.json'])('matches %s', (file) => {
    let n = 0
    for (const [name, v] of vectors(file)) {
      const number = BigInt(v.currentBlockNumber!)
      const rules = rulesAt(POW_MAINNET, number, BigInt(v.currentTimestamp!))
      const uncles = v.parentUncles ?? '0x00'
      const got = calcDifficulty(
        number,
        BigInt(v.currentTimestamp!),
        {
          difficulty: BigInt(v.parentDifficulty!),
          timestamp: BigInt(v.parentTimestamp!),
          hasOmmers: uncles !== bytesToHex(KECCAK256_RLP_EMPTY_LIST) && uncles !== '0x00',
        },
        rules,
      )
      expect([name, got]).toEqual([name, BigInt(v.currentDifficulty!)])
      n++
    }
    expect(n).toBeGreaterThan(10)
  })
})
