import { readFileSync } from 'node:fs'
import type { GethGenesis } from '@crucible/block'
import { describe, expect, it } from 'vitest'
import { chainFromFiles, Filters, parseFilter, Subscriptions, splitBlocks } from '../src/index.js'
import { TESTS } from './fixture.js'

function partialChain(count: number) {
  const chain = chainFromFiles(JSON.parse(readFileSync(`${TESTS}/genesis.json`, 'utf8')) as GethGenesis)
  const blocks = splitBlocks(new Uint8Array(readFileSync(`${TESTS}/chain.rlp`)))
  for (const b of blocks.slice(0, count)) chain.blockchain.importBlock(b)
  return { chain, rest: blocks.slice(count) }
}

describe('filters', () => {
  it('report new blocks and matching logs once, then expire when not polled', () => {
    const { chain, rest } = partialChain(1)
    let now = 0
    const filters = new Filters(chain, 1000, () => now)
    const blocks = filters.newBlockFilter()
    const logs = filters.newLogFilter(
      parseFilter({ address: '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df' }, 0),
    )
    expect(filters.changes(blocks)).toEqual([])
    for (const b of rest.slice(0, 3)) chain.blockchain.importBlock(b)
    expect(filters.changes(blocks)).toHaveLength(3)
    expect(filters.changes(blocks)).toEqual([])
    const found = filters.changes(logs) as { blockNumber: string }[]
    // The fixture's eth_getLogs/contract-addr.io: the emitter logged in blocks 2 and 4.
    expect(found.map((l) => l.blockNumber)).toEqual(['0x2', '0x4'])
    expect(filters.changes(logs)).toEqual([])
    now = 500
    filters.changes(blocks) // polling keeps it alive
    now = 1400
    expect(filters.changes(blocks)).toEqual([])
    expect(() => filters.changes(logs)).toThrow('filter not found')
    expect(filters.uninstall(blocks)).toBe(true)
    expect(filters.size).toBe(0)
  })

  it('subscriptions push each new head once', () => {
    const { chain, rest } = partialChain(1)
    const subs = new Subscriptions(chain)
    const heads: string[] = []
    const id = subs.subscribe(['newHeads'], (h) => heads.push((h as { number: string }).number))
    for (const b of rest.slice(0, 2)) chain.blockchain.importBlock(b)
    subs.poll()
    subs.poll()
    expect(heads).toEqual(['0x2', '0x3'])
    expect(subs.unsubscribe(id)).toBe(true)
    expect(() => subs.subscribe(['nope'], () => {})).toThrow()
  })
})
