import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseArgs } from '../src/args.js'
import { runSuite } from '../src/run.js'

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
  }, 60_000)
})
