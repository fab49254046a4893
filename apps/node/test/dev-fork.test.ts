import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningNode, startCrucibleNode } from '@crucible/test-support/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crucible, rpc, startDev, stopDev } from './cli.js'
import { EXECUTION_APIS } from './fixtures.js'

// `crucible node --dev --fork-url` over a second Crucible node (`crucible node --datadir`
// serving the imported execution-apis chain), both child processes as a user runs them. The
// forked node logs each upstream request; those lines are what is counted here.
const root = mkdtempSync(join(tmpdir(), 'crucible-dev-fork-'))
const EMITTER = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
const CONTRACT = '0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667'
const A0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const SLOT0 = `0x${'00'.repeat(32)}`
const CALL = { to: CONTRACT, input: '0xff01' }
let upstream: RunningNode

const upstreamRequests = (output: string) => output.match(/Fork upstream request/g)?.length ?? 0

beforeAll(async () => {
  const datadir = join(root, 'upstream')
  const imported = await crucible([
    'import',
    '--datadir',
    datadir,
    '--genesis',
    EXECUTION_APIS.genesis,
    EXECUTION_APIS.chain,
  ])
  expect(imported.code, imported.stderr).toBe(0)
  upstream = await startCrucibleNode(['--datadir', datadir])
}, 180_000)
afterAll(async () => {
  await upstream?.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('crucible node --dev --fork-url', () => {
  const datadir = join(root, 'fork')

  it('matches the upstream at the fork block, changes only the fork, and caches what it fetched', async () => {
    let node = await startDev(['--datadir', datadir, '--fork-url', upstream.url, '--fork-block-number', '50'])
    try {
      expect(node.output()).toContain('Block number:   50')
      expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x32')
      for (const [method, params] of [
        ['eth_getBalance', [EMITTER]],
        ['eth_getStorageAt', [EMITTER, SLOT0]],
        ['eth_getCode', [EMITTER]],
        ['eth_call', [CALL]],
      ] as const)
        expect(await rpc(node.url, method, [...params, 'latest']), method).toBe(
          await rpc(upstream.url, method, [...params, '0x32']),
        )
      const counted = upstreamRequests(node.output())
      expect(counted).toBeGreaterThan(0)
      expect(await rpc(node.url, 'eth_call', [CALL, 'latest'])).toBe('0xffee')
      expect(upstreamRequests(node.output())).toBe(counted)

      // A transaction on the fork: the fork's counter moves, the upstream's does not.
      const before = await rpc(upstream.url, 'eth_getStorageAt', [EMITTER, SLOT0, 'latest'])
      await rpc(node.url, 'eth_sendTransaction', [{ from: A0, to: EMITTER, data: '0x01' }])
      expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x33')
      const forked = await rpc(node.url, 'eth_getStorageAt', [EMITTER, SLOT0, 'latest'])
      expect(BigInt(forked)).toBe(
        BigInt(await rpc(upstream.url, 'eth_getStorageAt', [EMITTER, SLOT0, '0x32'])) + 1n,
      )
      expect(await rpc(upstream.url, 'eth_getStorageAt', [EMITTER, SLOT0, 'latest'])).toBe(before)
      expect(await rpc(upstream.url, 'eth_blockNumber')).toBe('0x36')
    } finally {
      expect(await stopDev(node, 'SIGTERM')).toBe(0)
    }

    // Restarted on the same datadir (no fork flags: the setup is kept): warm, no request.
    node = await startDev(['--datadir', datadir])
    try {
      expect(node.output()).toContain('resumed at block 51')
      expect(await rpc(node.url, 'eth_call', [CALL, 'latest'])).toBe('0xffee')
      expect(await rpc(node.url, 'eth_getCode', [EMITTER, 'latest'])).toBe(
        await rpc(upstream.url, 'eth_getCode', [EMITTER, 'latest']),
      )
      expect(upstreamRequests(node.output())).toBe(0)
    } finally {
      await stopDev(node, 'SIGTERM')
    }
  }, 120_000)
})
