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

export interface RunningDev {
  child: ChildProcess
  url: string
  /** What it printed so far (standard output: the banner and the log lines). */
  output: () => string
}

/** Starts `crucible node --dev ARGS...` on a free port and waits for its "Listening on" line. */
export function startDev(args: string[]): Promise<RunningDev> {
  const child = spawnCrucible(['node', '--dev', '--port', '0', ...args])
  let out = ''
  let err = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Listening on (\S+)/.exec(out)
      if (m) resolve({ child, url: `http://${m[1]}`, output: () => out })
    })
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}${out}`)))
  })
}

export function stopDev(node: RunningDev, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    node.child.on('exit', (code) => resolve(code))
    node.child.kill(signal)
  })
}

/** One JSON-RPC call over HTTP; an error answer throws with its message. */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field in the assertions
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}
