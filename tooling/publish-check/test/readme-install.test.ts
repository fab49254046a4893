import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readmeExample } from '@crucible/test-support/readme'
import { describe, expect, it } from 'vitest'
import { importedPackages, installLine } from '../src/install-line.js'
import { publishedPackages } from '../src/metadata.mjs'

// A README's install line covers its own example: under pnpm, a package the example imports
// but the line does not install is ERR_MODULE_NOT_FOUND. (The publish check runs each example
// in a scratch project that installed exactly that line.)
describe('README install lines', () => {
  it('reads an install line and the imports of an example', () => {
    expect(installLine('x\n```sh\npnpm add @crucible/trie @crucible/primitives\n```\n')).toEqual([
      '@crucible/trie',
      '@crucible/primitives',
    ])
    expect(installLine('```sh\nnpm i x\n```')).toBeUndefined()
    expect(
      importedPackages(
        "import assert from 'node:assert/strict'\nimport { a } from '@crucible/kv/test-support'\nimport type { B } from 'viem/chains'\nimport x from './x.js'\n",
      ),
    ).toEqual(['@crucible/kv', 'viem'])
  })

  for (const pkg of publishedPackages()) {
    it(`${pkg.json.name}: the install line installs the package and everything its example imports`, () => {
      const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8')
      const line = installLine(readme)
      expect(line, 'a ```sh block with `pnpm add …`').toBeDefined()
      expect(line).toContain(pkg.json.name)
      const example = readmeExample(readme)
      expect(example).toBeDefined()
      const missing = importedPackages(example!.code).filter((name) => !line!.includes(name))
      expect(missing, `add them to the README's \`pnpm add\` line`).toEqual([])
    })
  }
})
