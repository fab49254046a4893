import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// packages/primitives embeds hash-wasm's Keccak binary; check it is exactly the published one.
describe('vendored keccak wasm binary', () => {
  it('equals the sha3 binary of hash-wasm 4.13.0', () => {
    const source = readFileSync(
      fileURLToPath(new URL('../../../packages/primitives/src/keccak-wasm.ts', import.meta.url)),
      'utf8',
    )
    const body = /export const KECCAK_WASM_BASE64 =([\s\S]*?)\n\n/.exec(source)
    expect(body).not.toBeNull()
    const vendored = [...body![1].matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]).join('')
    const bundle = readFileSync(fileURLToPath(import.meta.resolve('hash-wasm')), 'utf8')
    const m = /var name\$(\w*) = "sha3";\s*var data\$\1 = "([A-Za-z0-9+/=]+)"/.exec(bundle)
    expect(m).not.toBeNull()
    expect(vendored).toBe(m![2])
    const pkg = JSON.parse(
      readFileSync(fileURLToPath(new URL('../node_modules/hash-wasm/package.json', import.meta.url)), 'utf8'),
    )
    expect(pkg.version).toBe('4.13.0')
    const bytes = Buffer.from(vendored, 'base64')
    expect(bytes.length).toBe(4041)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'fae7904eb164ea6bee813237d272a648356feb2153d043f969d010aca207d2dc',
    )
  })
})
