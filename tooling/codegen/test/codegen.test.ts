import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildBlake2fWasm } from '../src/generators/blake2f-wasm.mjs'

const root = resolve(import.meta.dirname, '../../..')

describe('generated files', () => {
  it('are what their generators write (pnpm codegen:check)', () => {
    const out = execFileSync(process.execPath, [join(root, 'tooling/codegen/src/cli.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    })
    expect(out).toMatch(/all \d+ generated files are up to date/)
  }, 30_000)

  it('vendor hash-wasm 4.13.0 Keccak binary as documented (4,041 bytes, its sha256)', () => {
    const source = readFileSync(join(root, 'packages/primitives/src/keccak-wasm.ts'), 'utf8')
    const body = /export const KECCAK_WASM_BASE64 =([\s\S]*?)\n\n/.exec(source)![1]!
    const bytes = Uint8Array.from(
      atob([...body.matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]).join('')),
      (c) => c.charCodeAt(0),
    )
    expect(bytes.length).toBe(4041)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'fae7904eb164ea6bee813237d272a648356feb2153d043f969d010aca207d2dc',
    )
  })

  it('the BLAKE2F generator is deterministic and its WAT names every function', () => {
    const a = buildBlake2fWasm()
    const b = buildBlake2fWasm()
    expect(a.bytes).toEqual(b.bytes)
    for (const name of ['init', 'run', 'finish']) expect(a.wat).toContain(`(func (export "${name}")`)
  })
})
