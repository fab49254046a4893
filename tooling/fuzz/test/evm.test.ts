import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadAllowList, matchEvm, PACKAGE_DIR } from '../src/allowlist.js'
import { assemble } from '../src/evm/assemble.js'
import { buildCase } from '../src/evm/build.js'
import { runEthereumjs } from '../src/evm/ethereumjs.js'
import { generateEvmCase } from '../src/evm/generate.js'
import type { EvmCase } from '../src/evm/model.js'
import { keepsSender, runEvmCase, shrinkableLists, snippetKinds } from '../src/evm/target.js'
import { caseSeed } from '../src/random.js'
import { shrink } from '../src/shrink.js'

const corpusDir = join(PACKAGE_DIR, 'corpus', 'evm')
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, body: JSON.parse(readFileSync(join(corpusDir, f), 'utf8')) as { case: EvmCase } }))
const allow = loadAllowList()

describe('evm corpus (Crucible against @ethereumjs/vm)', () => {
  for (const { file, body } of corpus) {
    const c = body.case
    const entry = allow.find((e) => e.reproducer === `corpus/evm/${file}`)
    const run = entry?.status === 'open-crucible-bug' ? it.skip : it
    run(`${file} (${c.fork}, tx type ${c.tx.type})`, async () => {
      const r = await runEvmCase(c)
      if (r.fields.length > 0) {
        const explained = matchEvm(allow, {
          fork: c.fork,
          fields: r.fields,
          kinds: snippetKinds(c),
          txType: c.tx.type,
        })
        expect(explained, `diverges on ${r.fields.join(', ')}: ${JSON.stringify(r)}`).toBeDefined()
      }
    })
  }
})

describe('evm generator', () => {
  it('is a pure function of the seed', () => {
    expect(generateEvmCase(caseSeed(5, 3), 'Prague')).toEqual(generateEvmCase(caseSeed(5, 3), 'Prague'))
    expect(generateEvmCase(caseSeed(5, 3), 'Prague')).not.toEqual(generateEvmCase(caseSeed(5, 4), 'Prague'))
  })

  it('resolves each snippet label to its JUMPDEST', () => {
    const code = assemble([
      { k: 'jump', t: ['&a', '56', 'fe', '@a'] },
      { k: 'stop', t: ['00'] },
    ])
    // PUSH2 0x0005 JUMP INVALID JUMPDEST STOP
    expect(Array.from(code)).toEqual([0x61, 0x00, 0x05, 0x56, 0xfe, 0x5b, 0x00])
  })

  it('agrees with @ethereumjs/vm on fixed seeds at Cancun, Prague and Osaka', async () => {
    for (const fork of ['Cancun', 'Prague', 'Osaka'] as const) {
      for (let i = 0; i < 3; i++) {
        const c = generateEvmCase(caseSeed(2026, i), fork)
        const r = await runEvmCase(c)
        expect(r.fields, `${fork} case ${i}`).toEqual([])
      }
    }
  })
})

describe('the reference', () => {
  it('computes the same outcomes with its state caches as without (the root of every case)', async () => {
    for (let i = 0; i < 24; i++) {
      const fork = (['Cancun', 'Prague', 'Osaka'] as const)[i % 3]!
      const c = generateEvmCase(caseSeed(77, i), fork)
      const built = buildCase(c)
      const cached = await runEthereumjs(built, c.block, fork)
      const uncached = await runEthereumjs(built, c.block, fork, { caches: false })
      expect(cached, `case ${i}`).toEqual(uncached)
    }
  })
})

describe('shrinker', () => {
  it('cuts every list to the items the failure needs', async () => {
    const c = generateEvmCase(caseSeed(11, 0), 'Cancun')
    const contract = c.accounts.find((a) => a.code !== undefined && a.code.length > 2)!
    const needle = contract.code![Math.floor(contract.code!.length / 2)]!
    const holds = (v: EvmCase) =>
      JSON.stringify(v.accounts.find((a) => a.address === contract.address)?.code ?? []).includes(
        JSON.stringify(needle),
      )
    // A synthetic failure: "fails" while the needle snippet is still in that contract.
    const result = await shrink(c, { lists: shrinkableLists, keep: keepsSender, fails: holds })
    const kept = result.value.accounts.find((a) => a.address === contract.address)!
    expect(kept.code).toEqual([needle])
    expect(kept.storage).toEqual([])
    expect(result.value.accounts.map((a) => a.address)).toEqual([c.accounts[0]!.address, contract.address])
  })
})
