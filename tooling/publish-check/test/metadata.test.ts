import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { metadataProblems, publishedPackages, REPO_ROOT, rootPackageJson } from '../src/metadata.mjs'

// Every package under packages/ is published: its package.json carries the release metadata
// (one source: the root package.json), and `node tooling/publish-check/src/metadata.mjs --fix`
// writes what is missing.
const root = rootPackageJson()
const packages = publishedPackages()

describe('published package metadata', () => {
  it('the repository has a LICENSE and says which', () => {
    expect(existsSync(join(REPO_ROOT, 'LICENSE'))).toBe(true)
    expect(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
    expect(root.license).toBe('MIT')
  })

  it('finds the packages', () => {
    expect(packages.map((p) => p.json.name)).toContain('@crucible/primitives')
  })

  for (const pkg of packages) {
    it(`${pkg.json.name} (${pkg.folder})`, () => {
      expect(
        metadataProblems(pkg, root),
        'fix with: node tooling/publish-check/src/metadata.mjs --fix',
      ).toEqual([])
    })
  }
})
