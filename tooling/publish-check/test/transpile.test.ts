import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toCommonJs, toEsm } from '../src/transpile.js'

// A README example as a user compiles it: TypeScript out, and for CommonJS the imports become
// `require` calls and the body (which may await at top level) runs in an async function.
const example = [
  "import assert from 'node:assert/strict'",
  "import { join } from 'node:path'",
  'const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))',
  'await wait(1)',
  "assert.equal(join('a', 'b'), 'a/b')",
  "console.log('done')",
  '',
].join('\n')

function run(code: string, file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-transpile-'))
  try {
    writeFileSync(join(dir, file), code)
    return execFileSync(process.execPath, [join(dir, file)]).toString()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('README example transpilation', () => {
  it('as an ES module', () => {
    expect(toEsm(example)).not.toMatch(/: number/)
    expect(run(toEsm(example), 'example.mjs')).toBe('done\n')
  })

  it('as CommonJS, top-level await included', () => {
    const cjs = toCommonJs(example)
    expect(cjs).toMatch(/require\("node:assert\/strict"\)/)
    expect(run(cjs, 'example.cjs')).toBe('done\n')
  })

  it('a failing CommonJS example exits non-zero', () => {
    expect(() =>
      run(toCommonJs("import assert from 'node:assert'\nassert.equal(1, 2)\n"), 'bad.cjs'),
    ).toThrow()
  })
})
