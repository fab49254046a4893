// Serves the execution-apis test chain on a free port and prints its URL: a server in its
// own process, as `crucible node` runs it (a streamed response blocks the server's thread
// while it writes, so the client must not share it).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { chainFromFiles, importChain } from '@crucible/rpc'
import { startServer } from '../src/index.js'

const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const TESTS = join(FIXTURES, 'execution-apis', 'tests')
const chain = chainFromFiles(JSON.parse(readFileSync(`${TESTS}/genesis.json`, 'utf8')) as GethGenesis)
importChain(chain, new Uint8Array(readFileSync(`${TESTS}/chain.rlp`)))
const server = await startServer({ chain, http: { port: 0, ws: false } })
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)
process.on('SIGTERM', () => server.close().then(() => process.exit(0)))
