import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

// One root config. Every workspace package is a project named after its folder, so
// `vitest run --project trie` (what `pnpm --filter @crucible/trie test` runs) picks one.
// Tests run against the TypeScript sources through the `@crucible/source` export condition: no build.
// Paths are taken from this file's folder, so `--root` from a package folder finds them too.
const root = resolve(import.meta.dirname)
const projects = ['packages', 'apps', 'tooling'].flatMap((group) =>
  existsSync(join(root, group))
    ? readdirSync(join(root, group))
        .filter((name) => existsSync(join(root, group, name, 'package.json')))
        .map((name) => {
          const pkg = JSON.parse(readFileSync(join(root, group, name, 'package.json'), 'utf8'))
          return {
            extends: true as const,
            test: {
              name,
              root: join(root, group, name),
              include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
              testTimeout: pkg.crucible?.testTimeout ?? 30_000,
            },
          }
        })
    : [],
)

export default defineConfig({
  resolve: { conditions: ['@crucible/source'] },
  ssr: { resolve: { conditions: ['@crucible/source'] } },
  test: { projects },
})
