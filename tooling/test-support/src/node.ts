import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'

/** The `crucible` command's entry (apps/node), run from its TypeScript sources. */
export const CRUCIBLE_CLI = resolve(import.meta.dirname, '../../../apps/node/src/cli.ts')
const NODE_ARGS = ['--conditions=@crucible/source', '--import', 'tsx', CRUCIBLE_CLI]

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
 * Starts `crucible node ARGS...` in a child process (ports 0 unless given) and resolves once
 * both servers listen, with the endpoints its log lines name. For tests and benchmarks; the
 * command is started by path, nothing of it is imported.
 */
export function startCrucibleNode(args: string[], env: Record<string, string> = {}): Promise<RunningNode> {
  const ports = [
    ...(args.includes('--http.port') ? [] : ['--http.port', '0']),
    ...(args.includes('--authrpc.port') ? [] : ['--authrpc.port', '0']),
  ]
  const child = spawn(process.execPath, [...NODE_ARGS, 'node', ...args, ...ports], {
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
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
