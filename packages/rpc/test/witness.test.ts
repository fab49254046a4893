import { capsuleFromWitness, replayVerifiedCapsule, witnessFromJson } from '@crucible/capsule'
import { compareBytes, equalBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { createDispatch, handleText } from '../src/index.js'
import { testChain } from './fixture.js'

const call = async (method: string, params: unknown[]) => {
  const dispatch = createDispatch({ chain: testChain() })
  return (await handleText(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), dispatch)) as {
    result?: unknown
    error?: { code: number; message: string }
  }
}

describe('debug_executionWitness', () => {
  it('answers the canonical witness of a block, which replays statelessly as a capsule', async () => {
    const chain = testChain()
    for (const number of [1n, 20n, 54n]) {
      const answer = await call('debug_executionWitness', [`0x${number.toString(16)}`])
      expect(answer.error).toBeUndefined()
      const witness = witnessFromJson(answer.result)
      for (const list of [witness.state, witness.codes])
        for (let i = 1; i < list.length; i++) expect(compareBytes(list[i - 1]!, list[i]!)).toBeLessThan(0)
      expect(witness.headers.length).toBeGreaterThan(0)
      const stored = chain.blockByNumber(number)!
      const capsule = capsuleFromWitness({
        witness,
        block: stored.block,
        chain: chain.config,
        rules: chain.rules(stored.block),
      })
      const report = replayVerifiedCapsule(capsule)
      expect(report.ok).toBe(true)
      if (report.outcome.kind !== 'block') throw new Error('a block outcome')
      expect(equalBytes(report.outcome.stateRoot, stored.block.header.stateRoot)).toBe(true)
      expect(equalBytes(report.outcome.receiptsRoot, stored.block.header.receiptsRoot)).toBe(true)
    }
  }, 120_000)

  it('has no witness for the genesis block or the pending one', async () => {
    expect((await call('debug_executionWitness', ['0x0'])).error?.message).toMatch(/genesis/)
    expect((await call('debug_executionWitness', ['pending'])).error?.message).toMatch(/pending/)
  })
})
