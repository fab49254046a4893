import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GethGenesis } from '@crucible/block'
import { chainFromFiles, importChain, type MemoryChain } from '../src/index.js'

/** The execution-apis (hive rpc-compat) chain: genesis + 54 blocks, head 0xd226…7dcd7. */
const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
export const TESTS = join(FIXTURES, 'execution-apis', 'tests')
export const HEAD = '0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7'

let cached: MemoryChain | undefined

/** The imported chain, shared by the tests of one file (they only read it). */
export function testChain(): MemoryChain {
  if (cached) return cached
  const genesis = JSON.parse(readFileSync(`${TESTS}/genesis.json`, 'utf8')) as GethGenesis
  const chain = chainFromFiles(genesis)
  const result = importChain(chain, new Uint8Array(readFileSync(`${TESTS}/chain.rlp`)))
  if (result.imported !== 54) throw new Error(`imported ${result.imported} blocks: ${result.error}`)
  cached = chain
  return chain
}

/** The expected response of the first exchange of a fixture `.io` file. */
export function expected(file: string): {
  request: Record<string, unknown>
  response: Record<string, unknown>
} {
  const lines = readFileSync(`${TESTS}/${file}`, 'utf8').split('\n')
  const request = JSON.parse(lines.find((l) => l.startsWith('>>'))!.slice(3))
  const response = JSON.parse(lines.find((l) => l.startsWith('<<'))!.slice(3))
  return { request, response }
}
