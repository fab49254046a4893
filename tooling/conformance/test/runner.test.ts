import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseArgs } from '../src/args.js'
import { fileFormats, testFormat } from '../src/formats.js'
import { passes, runSuite } from '../src/run.js'

const here = resolve(import.meta.dirname)
const suite = join(here, 'fake', 'suite.ts')
const fixtures = join(here, 'fake', 'fixtures')

describe('conformance runner', () => {
  it('survives throwing, hanging and exiting cases and runs the rest of the file', async () => {
    const lines: string[] = []
    const json = join(mkdtempSync(join(tmpdir(), 'conf-')), 'out.json')
    const summary = await runSuite(
      { ...parseArgs([suite, fixtures, '--timeout', '1', '--workers', '1', '--quiet']), json },
      (l) => lines.push(l),
    )
    expect(summary).toBeDefined()
    const byCase = new Map(summary!.cases.map((c) => [`${c.test}/${c.fork}`, c]))
    expect(byCase.get('a/Berlin')?.ok).toBe(true)
    expect(byCase.get('b/Berlin')?.reason).toBe('wrong')
    expect(byCase.get('c/Berlin')?.reason).toMatch(/threw: Error: boom/)
    expect(byCase.get('c/ConstantinopleFix')?.reason).toMatch(/threw/)
    expect(byCase.get('d/Berlin')?.reason).toMatch(/timed out/)
    expect(byCase.get('e/Berlin')?.reason).toMatch(/exited with code 3/)
    expect(byCase.get('f/ConstantinopleFix')?.ok).toBe(true)
    expect(summary!.passed).toBe(4)
    expect(summary!.failed).toBe(8)
    expect(lines.at(-1)).toBe(`${suite}: 4 passed, 8 failed, 0 skipped`)
    const written = JSON.parse(readFileSync(json, 'utf8'))
    expect(written).toMatchObject({ passed: 4, failed: 8, skipped: 0 })
    expect(written.cases[0]).toHaveProperty('reason')
  }, 60_000)

  it('filters by fork with fixture or canonical names, and honours a baseline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-'))
    const onlyPass = join(dir, 'fixtures')
    await import('node:fs').then((fs) => fs.mkdirSync(onlyPass))
    writeFileSync(join(onlyPass, 'x.json'), JSON.stringify({ a: 'pass', b: 'fail' }))
    const args = parseArgs([suite, onlyPass, '--fork', 'Petersburg', '--quiet'])
    const first = await runSuite(args, () => {})
    expect(first!.cases.map((c) => c.fork)).toEqual(['ConstantinopleFix', 'ConstantinopleFix'])
    const baseline = join(dir, 'baseline.json')
    writeFileSync(baseline, JSON.stringify([{ ...first!.cases.find((c) => !c.ok), reason: 'known' }]))
    const second = await runSuite({ ...args, baseline }, () => {})
    expect(second!.failed).toBe(1)
    expect(second!.unexpected).toBe(0)
    expect(passes({ baseline }, second!)).toBe(true)
  }, 60_000)

  it('tells each file by its content, whatever its folder, and reports what it set aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-'))
    // Folder names that used to decide the format: they must not.
    const folder = join(dir, 'BlockchainTests', 'GeneralStateTests')
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'rlp.json'), JSON.stringify({ one: { in: 1, out: '0x01' } }))
    const state = { env: {}, pre: {}, transaction: {}, post: {} }
    writeFileSync(join(folder, 'state.json'), JSON.stringify({ s1: state, s2: state }))
    const block = { blocks: [], genesisBlockHeader: {} }
    writeFileSync(join(folder, 'block.json'), JSON.stringify({ b: block }))
    writeFileSync(join(folder, 'mixed.json'), JSON.stringify({ two: { in: 'VALID', out: '0xc0' }, s: state }))
    writeFileSync(join(folder, 'crypto.json'), JSON.stringify({ aes: { key: '00', cipher: '00' } }))
    writeFileSync(join(folder, 'broken.json'), '{ not json')
    const lines: string[] = []
    const summary = await runSuite(parseArgs(['rlp', dir, '--workers', '1', '--quiet']), (l) => lines.push(l))
    expect(summary!.cases.filter((c) => c.test !== '(file)').map((c) => [c.test, c.ok])).toEqual([
      ['two', true],
      ['one', true],
    ])
    expect(summary!.files).toEqual({
      found: 6,
      run: 2,
      setAside: { state: 1, blockchain: 1, unknown: 1 },
      testsSetAside: 1,
    })
    expect(summary!.cases.find((c) => c.test === '(file)')?.reason).toMatch(/not a JSON fixture/)
    expect(lines).toContain(
      'rlp: 6 files, 2 run, 3 set aside (1 blockchain tests, 1 state tests, 1 other formats), 1 unreadable; 1 tests of other formats in them set aside',
    )
  }, 60_000)

  it('recognises every official format by its fields', () => {
    expect(testFormat({ blocks: [], genesisBlockHeader: {}, network: 'Cancun' })).toBe('blockchain')
    expect(testFormat({ engineNewPayloads: [], network: 'Cancun' })).toBe('blockchain-engine')
    expect(testFormat({ env: {}, pre: {}, transaction: {}, post: {} })).toBe('state')
    expect(testFormat({ txbytes: '0x', result: {} })).toBe('tx')
    expect(testFormat({ in: [], out: '0xc0' })).toBe('rlp')
    expect(testFormat({ in: {}, root: '0x' })).toBe('trie')
    expect(testFormat({ in: ['a'], tests: [] })).toBe('trie')
    expect(testFormat('pass')).toBe('unknown')
    expect(fileFormats({ config: { chainId: 1 }, alloc: {}, difficulty: '0x0' })).toEqual({
      rpc: ['genesis'],
    })
    expect(fileFormats([1, 2])).toEqual({ unknown: [''] })
    expect(fileFormats({ a: { in: 1, out: '0x01' }, b: 'x' })).toEqual({ rlp: ['a'], unknown: ['b'] })
  })
})

describe('baselines only shrink', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-'))
    const cases = join(dir, 'fixtures')
    mkdirSync(cases)
    writeFileSync(join(cases, 'x.json'), JSON.stringify({ a: 'pass', b: 'fail' }))
    const baseline = join(dir, 'baseline.json')
    const entry = (test: string, fork: string, reason: string) => ({
      file: `${cases.slice(process.cwd().length + 1)}/x.json`.replace(/^\/+/, ''),
      test,
      fork,
      index: 0,
      reason,
    })
    return { cases, baseline, entry }
  }
  const run = (argv: string[], lines: string[] = []) =>
    runSuite(parseArgs([suite, ...argv, '--workers', '1', '--quiet']), (l) => lines.push(l))

  it('fails a run whose baseline lists a case that passes now', async () => {
    const { cases, baseline } = setup()
    const first = await run([cases])
    const failures = first!.cases.filter((c) => !c.ok)
    const passing = first!.cases.find((c) => c.ok)!
    writeFileSync(
      baseline,
      JSON.stringify(
        [...failures, { ...passing, reason: 'was broken' }].map((c) => ({ ...c, reason: 'known' })),
      ),
    )
    const lines: string[] = []
    const second = await run([cases, '--baseline', baseline], lines)
    expect(second!.unexpected).toBe(0)
    expect(second!.fixed.map((f) => `${f.test}/${f.fork}`)).toEqual([`${passing.test}/${passing.fork}`])
    expect(passes({ baseline }, second!)).toBe(false)
    expect(lines.some((l) => l.startsWith(`FIXED ${passing.file} | ${passing.test}`))).toBe(true)
  }, 60_000)

  it('--write-baseline drops what passes, keeps what did not run, and adds only when told', async () => {
    const { cases, baseline, entry } = setup()
    const first = await run([cases])
    const file = first!.cases[0]!.file
    // One entry of a case that passes now, one of a case this run does not reach.
    const gone = { ...entry('a', 'Berlin', 'was broken'), file }
    const elsewhere = { ...entry('z', 'Berlin', 'not run here'), file: 'other.json' }
    const failing = { ...entry('b', 'Berlin', 'written by hand'), file }
    writeFileSync(baseline, JSON.stringify([gone, elsewhere, failing]))

    // b/ConstantinopleFix fails too and is not listed: refused, nothing written.
    const lines: string[] = []
    const refused = await run([cases, '--write-baseline', baseline], lines)
    expect(refused!.refused.map((c) => `${c.test}/${c.fork}`)).toEqual(['b/ConstantinopleFix'])
    expect(passes({}, refused!)).toBe(false)
    expect(JSON.parse(readFileSync(baseline, 'utf8'))).toHaveLength(3)
    expect(lines.some((l) => /not writing .*a baseline only shrinks/.test(l))).toBe(true)

    // Filtered to Berlin, nothing is added: `a` goes, `b` keeps its reason, `z` stays.
    const shrunk = await run([cases, '--fork', 'Berlin', '--write-baseline', baseline])
    expect(shrunk!.refused).toEqual([])
    const written = JSON.parse(readFileSync(baseline, 'utf8')) as Array<{ test: string; reason: string }>
    expect(written.map((w) => [w.test, w.reason])).toEqual([
      ['b', 'written by hand'],
      ['z', 'not run here'],
    ])

    // With the explicit flag the new failure is added.
    await run([cases, '--write-baseline', baseline, '--accept-new-failures'])
    const grown = JSON.parse(readFileSync(baseline, 'utf8')) as Array<{ test: string; fork: string }>
    expect(grown.map((w) => `${w.test}/${w.fork}`)).toEqual(['b/Berlin', 'b/ConstantinopleFix', 'z/Berlin'])
  }, 60_000)
})
