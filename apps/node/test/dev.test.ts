import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { rpc, startDev as start, stopDev as stop } from './cli.js'

// `crucible node --dev` as a user runs it: a child process on a datadir, driven over HTTP,
// stopped with SIGTERM or killed with SIGKILL, started again on the same datadir.
const root = mkdtempSync(join(tmpdir(), 'crucible-dev-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const A0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const A1 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const A2 = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc'
const WHALE = '0x00000000000000000000000000000000000fa11e'

/** What must survive a restart: head, blocks with transactions, receipts, nonces, balances. */
async function observe(url: string, txs: string[]) {
  const number = await rpc(url, 'eth_blockNumber')
  const blocks = []
  for (let n = 0; n <= Number(number); n++)
    blocks.push(await rpc(url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, true]))
  const receipts = []
  for (const tx of txs) receipts.push(await rpc(url, 'eth_getTransactionReceipt', [tx]))
  return {
    number,
    blocks,
    receipts,
    nonce: await rpc(url, 'eth_getTransactionCount', [A0, 'latest']),
    balances: [
      await rpc(url, 'eth_getBalance', [A1, 'latest']),
      await rpc(url, 'eth_getBalance', [A2, 'latest']),
    ],
    code: await rpc(url, 'eth_getCode', [A2, 'latest']),
  }
}

describe('crucible node --dev', () => {
  const datadir = join(root, 'dev')
  const txs: string[] = []

  it('starts with the banner, funds the dev accounts, automines', async () => {
    const node = await start(['--datadir', datadir])
    try {
      expect(node.output()).toContain(
        '(0) 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 (10000.000000000000000000 ETH)',
      )
      expect(node.output()).toContain(
        '(0) 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
      )
      expect(node.output()).toContain('test test test test test test test test test test test junk')
      expect(await rpc(node.url, 'eth_chainId')).toBe('0x7a69')
      expect(await rpc(node.url, 'eth_accounts')).toHaveLength(10)
      for (let i = 0; i < 3; i++)
        txs.push(await rpc(node.url, 'eth_sendTransaction', [{ from: A0, to: A1, value: '0x100' }]))
      expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x3')
      // An out-of-band change and a snapshot's effect must persist too.
      await rpc(node.url, 'anvil_setCode', [A2, '0x6001'])
      const id = await rpc(node.url, 'evm_snapshot')
      txs.push(await rpc(node.url, 'eth_sendTransaction', [{ from: A0, to: A2, value: '0x7' }]))
      await rpc(node.url, 'evm_revert', [id])
      txs.pop()
      expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x3')
    } finally {
      expect(await stop(node, 'SIGTERM')).toBe(0)
    }
  })

  it('resumes after SIGTERM and after SIGKILL with everything in place', async () => {
    let node = await start(['--datadir', datadir])
    const before = await observe(node.url, txs)
    expect(before.number).toBe('0x3')
    expect(before.nonce).toBe('0x3')
    expect(before.code).toBe('0x6001')
    expect(before.receipts.every((r) => r.status === '0x1')).toBe(true)
    expect(node.output()).toContain('resumed at block 3')
    // One more block, then a SIGKILL right after the answer: nothing acknowledged is lost.
    txs.push(await rpc(node.url, 'eth_sendTransaction', [{ from: A0, to: A2, value: '0x9' }]))
    // And a transaction of an impersonated account (no key, no real signature): its sender too.
    await rpc(node.url, 'anvil_setBalance', [WHALE, '0xde0b6b3a7640000'])
    await rpc(node.url, 'anvil_impersonateAccount', [WHALE])
    txs.push(await rpc(node.url, 'eth_sendTransaction', [{ from: WHALE, to: A1, value: '0x1' }]))
    const after = await observe(node.url, txs)
    expect(after.receipts.at(-1).from).toBe(WHALE)
    expect(after.blocks.at(-1).transactions[0].from).toBe(WHALE)
    await stop(node, 'SIGKILL')
    node = await start(['--datadir', datadir])
    try {
      expect(await observe(node.url, txs)).toEqual(after)
      expect(after.number).toBe('0x5')
      // The impersonation itself is kept too.
      txs.push(await rpc(node.url, 'eth_sendTransaction', [{ from: WHALE, to: A1, value: '0x2' }]))
      expect(after.blocks.slice(0, 4)).toEqual(before.blocks)
    } finally {
      await stop(node, 'SIGTERM')
    }
  })

  it('dumps its state in anvil format and a fresh node loads it', async () => {
    const dump = join(root, 'state.json')
    let node = await start(['--datadir', datadir, '--dump-state', dump])
    const hex = await rpc(node.url, 'anvil_dumpState')
    expect(hex).toMatch(/^0x1f8b/) // gzipped JSON, as anvil answers
    const source = await observe(node.url, txs)
    expect(await stop(node, 'SIGTERM')).toBe(0)
    const state = JSON.parse(readFileSync(dump, 'utf8'))
    expect(state.accounts[A2].code).toBe('0x6001')
    expect(state.best_block_number).toBe('0x6')

    node = await start(['--in-memory', '--load-state', dump])
    try {
      expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x0')
      expect(await rpc(node.url, 'eth_getCode', [A2, 'latest'])).toBe('0x6001')
      expect(await rpc(node.url, 'eth_getTransactionCount', [A0, 'latest'])).toBe(source.nonce)
      expect(await rpc(node.url, 'eth_getBalance', [A1, 'latest'])).toBe(source.balances[0])
      // And through the method, from the hex anvil_dumpState gave.
      await rpc(node.url, 'anvil_setBalance', [A1, '0x1'])
      expect(await rpc(node.url, 'anvil_loadState', [hex])).toBe(true)
      expect(await rpc(node.url, 'eth_getBalance', [A1, 'latest'])).toBe(source.balances[0])
    } finally {
      await stop(node, 'SIGTERM')
    }
  })
})
