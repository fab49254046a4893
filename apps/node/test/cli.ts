import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { resolve } from 'node:path'

export const CLI = resolve(import.meta.dirname, '../src/cli.ts')
const NODE_ARGS = ['--conditions=@crucible/source', '--import', 'tsx', CLI]

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `crucible ARGS...` in a child process, as a user would. */
export function crucible(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...NODE_ARGS, ...args],
      { env: { ...process.env, NODE_NO_WARNINGS: '1' }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0
        done({ code: typeof code === 'number' ? code : 1, stdout, stderr })
      },
    )
  })
}

/** Starts `crucible ARGS...` without waiting (for kills and lock tests). */
export function spawnCrucible(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, ...args], {
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}
