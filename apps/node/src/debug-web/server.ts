import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { WebInput } from './page/messages.js'

/** What the page opens at once (it can also open files itself: picker or drag-and-drop). */
export interface DebugWebOptions {
  /** A capsule file: its bytes, its name, and which transaction of a block capsule. */
  capsule?: { name: string; bytes: Uint8Array; select?: { index?: number; hash?: string } }
  /** Or a bytecode / state-test case, built in the page. */
  input?: { name: string; input: WebInput }
  /** A sources file (solc standard-JSON input and output): its text and its name. */
  sources?: { name: string; text: string }
  /** Default 127.0.0.1 (the page is for this machine only). */
  host?: string
  /** Default 0: any free port. */
  port?: number
}

export interface DebugWebServer {
  readonly url: string
  close(): Promise<void>
}

const PAGE = join(import.meta.dirname, 'page')

/**
 * Bundles the page and the engine's worker (esbuild, for the browser, from the TypeScript
 * sources) and serves them with the files to open, on 127.0.0.1.
 */
export async function serveDebugWeb(options: DebugWebOptions = {}): Promise<DebugWebServer> {
  const bundle = await build({
    entryPoints: { app: join(PAGE, 'app.ts'), worker: join(PAGE, 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@crucible/source'],
    write: false,
    outdir: '/',
    logLevel: 'error',
  })
  const files = new Map<string, { type: string; body: Uint8Array | string; name?: string }>()
  for (const out of bundle.outputFiles) files.set(out.path, { type: 'text/javascript', body: out.contents })
  files.set('/', { type: 'text/html; charset=utf-8', body: readFileSync(join(PAGE, 'index.html'), 'utf8') })
  files.set('/style.css', { type: 'text/css', body: readFileSync(join(PAGE, 'style.css'), 'utf8') })
  if (options.capsule) {
    files.set('/capsule', {
      type: 'application/octet-stream',
      body: options.capsule.bytes,
      name: options.capsule.name,
    })
    files.set('/select', { type: 'application/json', body: JSON.stringify(options.capsule.select ?? {}) })
  }
  if (options.input)
    files.set('/input', {
      type: 'application/json',
      body: JSON.stringify(options.input.input),
      name: options.input.name,
    })
  if (options.sources)
    files.set('/sources', {
      type: 'application/json',
      body: options.sources.text,
      name: options.sources.name,
    })

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split(/[?#]/)[0]!
    const file = files.get(path)
    if (req.method !== 'GET' || file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const headers: Record<string, string> = { 'content-type': file.type, 'cache-control': 'no-store' }
    if (file.name !== undefined) headers['x-file-name'] = encodeURIComponent(file.name)
    res.writeHead(200, headers).end(file.body)
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
