import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The one README-example runner. A package README carries its example as the first ```ts
 * block of the first section whose heading contains "Example"; a ```text block right after
 * it (an "It prints:" line between is fine) is what the example prints, and is checked.
 */
export interface ReadmeExample {
  code: string
  /** What the example prints, when the README says (without the trailing newline). */
  prints?: string
}

export function readmeExample(readme: string): ReadmeExample | undefined {
  const section = readme.split(/^##+ /m).find((s) => /^[^\n]*example/i.test(s))
  if (section === undefined) return undefined
  const match = /```ts\n([\s\S]*?)```\n(?:(?:[^\n`][^\n]*)?\n)*?```text\n([\s\S]*?)```/.exec(section)
  if (match) return { code: match[1]!, prints: match[2]!.replace(/\n$/, '') }
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  return code === undefined ? undefined : { code }
}

export interface ExampleRun {
  example: ReadmeExample
  /** Everything the example wrote to stdout, without the trailing newline. */
  stdout: string
}

/**
 * Runs the example of `readmePath` as a user who installed the packages it imports would:
 * a file in `cwd` (a folder whose package depends on them), run by Node with the `source`
 * condition and tsx. Throws with the example's output when it fails or has no example.
 */
export function runReadmeExample(readmePath: string, cwd: string): ExampleRun {
  const example = readmeExample(readFileSync(readmePath, 'utf8'))
  if (example === undefined) throw new Error(`${readmePath}: no \`\`\`ts block under an Example heading`)
  const file = join(cwd, `.readme-example-${process.pid}-${Date.now()}.ts`)
  writeFileSync(file, example.code)
  try {
    const stdout = execFileSync(
      process.execPath,
      ['--conditions=@crucible/source', '--import', 'tsx', file],
      {
        cwd,
        stdio: 'pipe',
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    )
    return { example, stdout: stdout.toString().replace(/\n$/, '') }
  } catch (error) {
    const e = error as { stderr?: Uint8Array; stdout?: Uint8Array }
    throw new Error(
      `${readmePath}: the example failed:\n${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`,
    )
  } finally {
    rmSync(file, { force: true })
  }
}
