import { describe, expect, it } from 'vitest'
import { loadAllowList, matchDecoder } from '../src/allowlist.js'
import { corpusInput, loadCorpus } from '../src/decode/corpus.js'
import { runDecoderTarget } from '../src/decode/runner.js'
import { DECODER_TARGETS } from '../src/targets.js'

const allow = loadAllowList()

for (const target of ['rlp', 'tx', 'block', 'proof', 'rpc'] as const) {
  describe(`${target} corpus`, () => {
    for (const [file, entry] of loadCorpus(target)) {
      const open = allow.find(
        (e) => e.reproducer === `corpus/${target}/${file}` && e.status === 'open-crucible-bug',
      )
      const run = open ? it.skip : it
      run(`${file}${open ? ` (open Crucible bug: ${open.id})` : ''}`, async () => {
        const problem = await DECODER_TARGETS[target]!().check(corpusInput(entry))
        if (problem !== undefined) {
          const explained = matchDecoder(allow, target, problem.kind, problem.message)
          expect(explained, `${problem.kind}: ${problem.message}`).toBeDefined()
          expect(explained!.status, `${problem.kind}: ${problem.message}`).not.toBe('open-crucible-bug')
        }
      })
    }
  })
}

describe('decoder targets', () => {
  it('run deterministically from a seed with nothing unexplained', async () => {
    const options = {
      seed: 3,
      count: 40,
      time: Number.POSITIVE_INFINITY,
      out: '/tmp/crucible-fuzz-test',
      quiet: true,
      inputMs: 60_000,
    }
    for (const target of ['tx', 'proof', 'rpc'] as const) {
      const a = await runDecoderTarget(DECODER_TARGETS[target]!(), options, () => {})
      const b = await runDecoderTarget(DECODER_TARGETS[target]!(), options, () => {})
      expect(a.failures, target).toEqual([])
      expect(a.stats.findings).toEqual(b.stats.findings)
      expect({ ...a.stats, slowestMs: 0 }).toEqual({ ...b.stats, slowestMs: 0 })
    }
  })
})
