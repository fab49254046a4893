import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runReadmeExample } from '@crucible/test-support/readme'
import { describe, expect, it } from 'vitest'
import { workspacePackages } from './packages.js'

// Every package README carries a runnable example, run here as it stands, as a user who
// installed the packages it imports would run it (this package depends on every workspace
// package for that); where the README shows what it prints, the output must be that.
const packages = workspacePackages(['packages'])
const here = resolve(import.meta.dirname, '..')

describe('package READMEs', () => {
  for (const pkg of packages) {
    it(`${pkg.name} has a README with an example that runs and prints what it says`, () => {
      const readme = join(pkg.dir, 'README.md')
      expect(existsSync(readme), `${pkg.name} has no README.md`).toBe(true)
      const { example, stdout } = runReadmeExample(readme, here)
      if (example.prints !== undefined) expect(stdout, `${pkg.name} README output`).toBe(example.prints)
    }, 60_000)
  }
})
