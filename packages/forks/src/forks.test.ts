import { describe, expect, it } from 'vitest'
import { chainAtFork, forkAt, mainnet, rulesAt } from './chain.js'
import { MAX_NONCE } from './eip2681.js'
import {
  DELEGATION_LENGTH,
  DELEGATION_PREFIX,
  delegationDesignator,
  delegationTarget,
  SET_CODE_MAGIC,
} from './eip7702.js'
import { chainFromFixtureNetwork, forkFromFixtureName } from './fixtures.js'
import { FORK_NAMES, Fork } from './fork.js'
import { ForkError, getForkRules } from './rules.js'

describe('forks', () => {
  it('orders every fork and builds immutable rules once', () => {
    expect(FORK_NAMES.length).toBe(24)
    expect(FORK_NAMES.map((name) => Fork[name])).toEqual(FORK_NAMES.map((_, id) => id))
    const cancun: 16 = Fork.Cancun
    expect(cancun).toBe(16)
    expect(Object.isFrozen(Fork)).toBe(true)
    expect(getForkRules('Berlin')).toBe(getForkRules(Fork.Berlin))
    const berlin = getForkRules('Berlin')
    expect(berlin.isActive(2929)).toBe(true)
    expect(berlin.isActive(1559)).toBe(false)
    expect(berlin.gte(Fork.Istanbul)).toBe(true)
    expect(Object.isFrozen(berlin.params)).toBe(true)
    expect(() => {
      ;(berlin.params as { sloadGas: number }).sloadGas = 1
    }).toThrow()
    expect(() => getForkRules('Nope' as never)).toThrow(ForkError)
  })
  it('carries the per-fork parameters', () => {
    expect(getForkRules('Frontier').params.txCreateGas).toBe(21000)
    expect(getForkRules('Homestead').params.txCreateGas).toBe(53000)
    expect(getForkRules('Istanbul').params.sloadGas).toBe(800)
    expect(getForkRules('Istanbul').params.txDataNonZeroGas).toBe(16)
    expect(getForkRules('London').params.maxRefundQuotient).toBe(5)
    expect(getForkRules('Petersburg').isActive(1283)).toBe(false)
    expect(getForkRules('Constantinople').isActive(1283)).toBe(true)
    expect(getForkRules('Cancun').params.blob?.max).toBe(6)
    expect(getForkRules('Prague').params.blob?.max).toBe(9)
    expect(getForkRules('BPO2').params.blob?.target).toBe(14)
    expect(getForkRules('Osaka').params.txGasLimitCap).toBe(16777216n)
    expect(getForkRules('Osaka').params.precompiles).toContain(0x100)
    expect(getForkRules('Prague').params.precompiles).not.toContain(0x100)
  })
  it('finds the fork in force on mainnet', () => {
    expect(forkAt(mainnet, 0n, 0n)).toBe(Fork.Frontier)
    expect(forkAt(mainnet, 1_150_000n, 0n)).toBe(Fork.Homestead)
    expect(forkAt(mainnet, 7_280_000n, 0n)).toBe(Fork.Petersburg)
    expect(forkAt(mainnet, 15_537_394n, 1_663_224_179n)).toBe(Fork.Paris)
    expect(forkAt(mainnet, 17_034_870n, 1_681_338_455n)).toBe(Fork.Shanghai)
    expect(forkAt(mainnet, 22_431_084n, 1_746_612_311n)).toBe(Fork.Prague)
    expect(rulesAt(mainnet, 24_000_000n, 1_767_747_671n).name).toBe('BPO2')
  })
  it('reads the fixture names', () => {
    expect(forkFromFixtureName('ConstantinopleFix')).toBe('Petersburg')
    expect(forkFromFixtureName('EIP150')).toBe('TangerineWhistle')
    expect(forkFromFixtureName('EIP158')).toBe('SpuriousDragon')
    expect(forkFromFixtureName('Merge')).toBe('Paris')
    const berlinToLondon = chainFromFixtureNetwork('BerlinToLondonAt5')
    expect(forkAt(berlinToLondon, 4n, 0n)).toBe(Fork.Berlin)
    expect(forkAt(berlinToLondon, 5n, 0n)).toBe(Fork.London)
    const pragueToOsaka = chainFromFixtureNetwork('PragueToOsakaAtTime15k')
    expect(forkAt(pragueToOsaka, 100n, 14_999n)).toBe(Fork.Prague)
    expect(forkAt(pragueToOsaka, 100n, 15_000n)).toBe(Fork.Osaka)
    const merge = chainFromFixtureNetwork('ArrowGlacierToParisAtDiffC0000')
    expect(merge.terminalTotalDifficulty).toBe(0xc0000n)
    expect(forkAt(merge, 3n, 0n)).toBe(Fork.ArrowGlacier)
    expect(forkAt(merge, 3n, 0n, true)).toBe(Fork.Paris)
    const dao = chainFromFixtureNetwork('HomesteadToDaoAt5')
    expect(dao.daoForkBlock).toBe(5n)
    expect(chainFromFixtureNetwork('HomesteadToEIP150At5').daoForkBlock).toBeUndefined()
    expect(forkAt(chainAtFork('Cancun'), 0n, 0n)).toBe(Fork.Cancun)
    expect(forkAt(chainFromFixtureNetwork('OsakaToBPO1AtTime15k'), 1n, 15_000n)).toBe(Fork.BPO1)
  })
})

describe('constants by EIP', () => {
  it('EIP-7702: designators round-trip, other code is no designator', () => {
    const target = 0x096fec08774bc2a36c61daa00d11da4a0395f4bbn
    const designator = delegationDesignator(target)
    expect(designator.length).toBe(DELEGATION_LENGTH)
    expect([...designator.subarray(0, 3)]).toEqual([...DELEGATION_PREFIX])
    expect(delegationTarget(designator)).toBe(target)
    expect(delegationTarget(designator.subarray(0, 22))).toBeUndefined()
    expect(delegationTarget(Uint8Array.of(0xef, 0x01, 0x01, ...designator.subarray(3)))).toBeUndefined()
    expect(SET_CODE_MAGIC).toBe(5)
  })
  it('EIP-2681: the nonce limit', () => {
    expect(MAX_NONCE).toBe(2n ** 64n - 1n)
  })
})
