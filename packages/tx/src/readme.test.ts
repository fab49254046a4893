import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'

// The README's example is run as written (with the package import pointed at the sources).
it('runs the README example', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!
  const dir = mkdtempSync(join(new URL('.', import.meta.url).pathname, '.readme-'))
  const file = join(dir, 'example.ts')
  writeFileSync(file, code.replace("from '@crucible/tx'", "from '../index.js'"))
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await import(file)
    expect(log.mock.calls).toEqual([['ok']])
  } finally {
    log.mockRestore()
    rmSync(dir, { recursive: true, force: true })
  }
})
