import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import type { GethGenesis } from '@crucible/block'
import { ChainDb } from '@crucible/chaindb'
import { openLevelKv } from '@crucible/kv-level'
import { chainFromFiles, databaseChainFromFiles, importChain, type MemoryChain, TxPool } from '@crucible/rpc'
import { type RunningServer, signJwt, startServer } from '@crucible/rpc-server'
import { toPosix } from '../paths.js'
import type { FileContext, Suite } from '../suite.js'
import { firstDifference, redactErrorMessages } from './rpc/compare.js'
import { loadSpec, type Spec, validate } from './rpc/schema.js'

/** hive's JWT secret for the Engine API: the 32 ASCII bytes "secretsecret…". */
const HIVE_JWT_SECRET = new TextEncoder().encode('secretsecretsecretsecretsecretse')
/** hive's per-request timeout. */
const REQUEST_TIMEOUT_MS = 5_000

interface Exchange {
  request: string
  response: string
}

interface IoTest {
  speconly: boolean
  exchanges: Exchange[]
}

/** Parses an `.io` file: header comments (`speconly:` among them), then `>>`/`<<` lines. */
export function parseIo(text: string): IoTest {
  const test: IoTest = { speconly: false, exchanges: [] }
  let header = true
  let pending: string | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.length === 0) continue
    if (line.startsWith('//')) {
      if (header && line.replace(/^\/\/\s?/, '').startsWith('speconly:')) test.speconly = true
      continue
    }
    header = false
    if (line.startsWith('>>')) pending = line.slice(2).trim()
    else if (line.startsWith('<<')) {
      if (pending === undefined) throw new Error('response before request')
      test.exchanges.push({ request: pending, response: line.slice(2).trim() })
      pending = undefined
    } else throw new Error(`invalid test line: ${line.slice(0, 60)}`)
  }
  if (pending !== undefined) throw new Error('request without a response')
  return test
}

function ioFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...ioFiles(path))
    else if (entry.name.endsWith('.io')) out.push(path)
  }
  return out
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  return (await res.text()).trim()
}

/** Runs one `.io` test against the server; returns why it failed, or undefined. */
export async function runIo(url: string, test: IoTest, spec: Spec | undefined): Promise<string | undefined> {
  for (const [i, ex] of test.exchanges.entries()) {
    const method = (JSON.parse(ex.request) as { method?: string }).method ?? ''
    const text = await post(url, ex.request)
    let got: unknown
    try {
      got = JSON.parse(text)
    } catch {
      return `#${i + 1}: invalid JSON response`
    }
    const want = JSON.parse(ex.response) as unknown
    const hasError = typeof got === 'object' && got !== null && 'error' in got
    if (!hasError && test.speconly) {
      const schema = spec?.results.get(method)
      if (!schema) return `#${i + 1}: no result schema for ${method}`
      const problem = validate(spec!, schema, (got as { result?: unknown }).result)
      if (problem) return `#${i + 1}: ${method} result does not match its schema: ${problem.slice(0, 300)}`
      continue
    }
    redactErrorMessages(got, want)
    const diff = firstDifference(got, want)
    if (diff) return `#${i + 1}: ${diff}`
  }
  return undefined
}

/**
 * hive's `rpc-compat` simulator without Docker: one node for the whole folder (genesis.json +
 * chain.rlp imported, headfcu.json sent over the JWT-authenticated Engine API), then every
 * `.io` file in lexical path order over real HTTP. The suite's "file" is the folder's
 * `genesis.json`; each `.io` file is one case, named by its path in the folder.
 */
const suite: Suite = {
  name: 'rpc',
  defaultPaths: ['execution-apis/tests'],
  format: 'rpc',
  async runFile(context: FileContext) {
    const dir = dirname(context.path)
    if (!existsSync(join(dir, 'chain.rlp'))) return
    const specDir = join(dir, '..', 'src')
    const spec = existsSync(specDir) ? loadSpec(specDir) : undefined
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as GethGenesis
    const rlp = new Uint8Array(readFileSync(join(dir, 'chain.rlp')))
    // --store level: the chain is imported into a LevelDB chain database, which is closed and
    // reopened, and the node serves it from there (what `crucible node` does).
    let db: ChainDb | undefined
    let dataDir: string | undefined
    let chain: MemoryChain
    if (context.options.store === 'level') {
      dataDir = mkdtempSync(join(tmpdir(), 'crucible-rpc-'))
      const importing = await ChainDb.open(await openLevelKv(dataDir))
      try {
        importChain(databaseChainFromFiles(importing, genesis), rlp)
      } finally {
        await importing.close()
      }
      db = await ChainDb.open(await openLevelKv(dataDir))
      chain = databaseChainFromFiles(db, genesis)
    } else {
      chain = chainFromFiles(genesis)
      importChain(chain, rlp)
    }
    const pool = new TxPool()
    let server: RunningServer | undefined
    try {
      server = await startServer({
        chain,
        pool,
        http: { port: 0 },
        authrpc: { port: 0, jwtSecret: HIVE_JWT_SECRET },
      })
      const fcu = join(dir, 'headfcu.json')
      if (existsSync(fcu)) {
        const answer = await post(server.engineUrl!, readFileSync(fcu, 'utf8'), {
          authorization: `Bearer ${signJwt(HIVE_JWT_SECRET)}`,
        })
        if (!answer.includes('"VALID"'))
          throw new Error(`headfcu.json was not accepted: ${answer.slice(0, 200)}`)
      }
      const files = ioFiles(dir)
        .map((path) => ({ path, name: toPosix(relative(dir, path)) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      for (const { path, name } of files) {
        if (!context.begin(name, '', 0)) continue
        let reason: string | undefined
        try {
          reason = await runIo(server.url, parseIo(readFileSync(path, 'utf8')), spec)
        } catch (error) {
          reason = error instanceof Error ? error.message : String(error)
        }
        context.report({
          test: name,
          fork: '',
          index: 0,
          ok: reason === undefined,
          ...(reason ? { reason } : {}),
        })
      }
    } finally {
      await server?.close()
      await db?.close()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    }
  },
}

export default suite
