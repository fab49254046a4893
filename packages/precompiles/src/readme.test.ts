import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'

// The README's example is run as written (with the package import pointed at the sources).
it('runs the README example', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!
  const dir = mkdtempSync(join(new URL('.', import.meta.url).pathname, '.readme-'))
  const file = join(dir, 'example.ts')
  writeFileSync(file, code.replace("from '@crucible/precompiles'", "from '../index.js'"))
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await import(file)
    const calls = log.mock.calls
    expect(calls[0]![0]).toMatchObject({ ok: true, gasUsed: 72 })
    expect(calls[1]).toEqual([undefined])
    expect(calls.slice(2, 5)).toEqual([
      ['Byzantium', 0n, '0x01'],
      ['Berlin', 200n, '0x01'],
      ['Osaka', 500n, '0x01'],
    ])
    expect(calls[5]).toEqual([{ ok: false, gasUsed: 30_000_000, error: 'OutOfGas' }])
  } finally {
    log.mockRestore()
    rmSync(dir, { recursive: true, force: true })
  }
})
