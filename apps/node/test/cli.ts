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

export interface RunningNode {
  child: ChildProcess
  /** `http://127.0.0.1:PORT` of JSON-RPC (HTTP and WebSocket) and of the Engine API. */
  url: string
  engineUrl: string
  /** What the node has logged so far (standard error). */
  log(): string
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number>
}

/**
 * Starts `crucible node ARGS...` (ports 0 unless given) and resolves once both servers
 * listen, with the endpoints its log lines name.
 */
export function startNode(args: string[]): Promise<RunningNode> {
  const ports = [
    ...(args.includes('--http.port') ? [] : ['--http.port', '0']),
    ...(args.includes('--authrpc.port') ? [] : ['--authrpc.port', '0']),
  ]
  const child = spawnCrucible(['node', ...args, ...ports])
  let stderr = ''
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  )
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString()
      const endpoints = [...stderr.matchAll(/HTTP server started\s+endpoint=(\S+) auth=(true|false)/g)]
      const http = endpoints.find((m) => m[2] === 'false')
      const engine = endpoints.find((m) => m[2] === 'true')
      if (!http || !engine) return
      child.stderr!.off('data', onData)
      child.stderr!.on('data', (more: Buffer) => {
        stderr += more.toString()
      })
      resolve({
        child,
        url: `http://${http[1]}`,
        engineUrl: `http://${engine[1]}`,
        log: () => stderr,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal)
          return exited
        },
      })
    }
    child.stderr!.on('data', onData)
    child.stdout!.resume()
    exited.then((code) => reject(new Error(`crucible node exited with ${code} before listening:\n${stderr}`)))
  })
}
