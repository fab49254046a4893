import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, workspacePackages } from './packages.js'

// Every package README carries a runnable example: the first ```ts block under a heading
// containing "Example". It is run as it stands, as a user who installed the packages it
// imports would run it (this package depends on every workspace package for that).
const packages = workspacePackages(['packages'])
const here = resolve(import.meta.dirname, '..')

function example(readme: string): string | undefined {
  const section = readme.split(/^##+ /m).find((s) => /^[^\n]*example/i.test(s))
  return section ? /```ts\n([\s\S]*?)```/.exec(section)?.[1] : undefined
}

describe('package READMEs', () => {
  for (const pkg of packages) {
    it(`${pkg.name} has a README with an example that runs`, () => {
      const readmePath = join(pkg.dir, 'README.md')
      expect(existsSync(readmePath), `${pkg.name} has no README.md`).toBe(true)
      const code = example(readFileSync(readmePath, 'utf8'))
      expect(code, `${pkg.name} README has no \`\`\`ts block under an Example heading`).toBeDefined()
      const file = join(here, `.readme-example-${process.pid}.ts`)
      writeFileSync(file, code!)
      try {
        execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
          cwd: here,
          stdio: 'pipe',
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        })
      } catch (error) {
        const e = error as { stderr?: Buffer; stdout?: Buffer }
        throw new Error(
          `${pkg.name} README example failed:\n${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`,
        )
      } finally {
        rmSync(file, { force: true })
      }
    }, 60_000)
  }
})

export { REPO_ROOT }
