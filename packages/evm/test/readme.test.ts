import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'

// The README's example runs as written, with the package imports pointed at the sources.
// `WorldState` comes from @crucible/state, which depends on this package; the test reaches
// its sources by path so the packages keep no dependency cycle.
it('runs the README example', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!
  const dir = mkdtempSync(join(new URL('.', import.meta.url).pathname, '.readme-'))
  const file = join(dir, 'example.ts')
  writeFileSync(
    file,
    code
      .replace("from '@crucible/evm'", "from '../../src/index.js'")
      .replace("from '@crucible/state'", "from '../../../state/src/index.js'"),
  )
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await import(file)
    const calls = log.mock.calls
    expect(calls[0]).toEqual([1, 43112n, 1n])
    expect(calls[1]![0]).toBe(readme.match(/\{"pc":0[^\n]*/)![0])
    expect(JSON.parse(calls[1]![0])).toMatchObject({
      pc: 0,
      op: 96,
      gasCost: '0x3',
      depth: 1,
      opName: 'PUSH1',
    })
    expect(calls[2]).toEqual(['NONCE_TOO_LOW'])
  } finally {
    log.mockRestore()
    rmSync(dir, { recursive: true, force: true })
  }
})
