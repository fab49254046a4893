import { MemoryKv } from '@crucible/kv'
import { createProvider } from '@crucible/rpc'
import { createPublicClient, createTestClient, createWalletClient, custom, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { describe, expect, it } from 'vitest'
import { DevNode, devMethods } from '../src/index.js'

const A0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const A1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

async function start(options = {}) {
  const { node } = await DevNode.open(new MemoryKv(), options)
  const provider = createProvider({ chain: node.chain, pool: node.pool, extra: devMethods(node) })
  const transport = custom(provider)
  return {
    node,
    provider,
    publicClient: createPublicClient({ chain: foundry, transport, cacheTime: 0 }),
    wallet: createWalletClient({ chain: foundry, transport, account: A0 }),
    test: createTestClient({ chain: foundry, transport, mode: 'anvil' }),
  }
}

describe('DevNode', () => {
  it('serves the dev accounts, automines sends, and keeps balances', async () => {
    const { publicClient, wallet, node } = await start()
    expect(await publicClient.getChainId()).toBe(31337)
    expect(await wallet.getAddresses()).toHaveLength(10)
    expect(await publicClient.getBalance({ address: A1 })).toBe(parseEther('10000'))
    const hash = await wallet.sendTransaction({ to: A1, value: parseEther('1') })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(receipt.blockNumber).toBe(1n)
    expect(await publicClient.getBalance({ address: A1 })).toBe(parseEther('10001'))
    expect(await publicClient.getTransactionCount({ address: A0 })).toBe(1)
    await node.close()
  })

  it('mines on request, snapshots and reverts, sets state and time', async () => {
    const { publicClient, test, wallet, node } = await start()
    await test.mine({ blocks: 5, interval: 10 })
    expect(await publicClient.getBlockNumber()).toBe(5n)
    const b4 = await publicClient.getBlock({ blockNumber: 4n })
    const b5 = await publicClient.getBlock({ blockNumber: 5n })
    expect(b5.timestamp - b4.timestamp).toBe(10n)

    const id = await test.snapshot()
    await test.setBalance({ address: A1, value: 5n })
    expect(await publicClient.getBalance({ address: A1 })).toBe(5n)
    await wallet.sendTransaction({ to: A1, value: 7n })
    expect(await publicClient.getBalance({ address: A1 })).toBe(12n)
    expect(await publicClient.getBlockNumber()).toBe(6n)
    const inner = await test.snapshot()
    await test.mine({ blocks: 2 })
    expect(await test.revert({ id })).toBeUndefined()
    expect(await publicClient.getBlockNumber()).toBe(5n)
    expect(await publicClient.getBalance({ address: A1 })).toBe(parseEther('10000'))
    // The inner snapshot was taken after: it is gone, and so is the one used.
    await expect(test.request({ method: 'evm_revert', params: [inner] })).resolves.toBe(false)
    await expect(test.request({ method: 'evm_revert', params: [id] })).resolves.toBe(false)

    await test.setNonce({ address: A1, nonce: 9 })
    expect(await publicClient.getTransactionCount({ address: A1 })).toBe(9)
    await test.setCode({ address: A1, bytecode: '0x602a60005260206000f3' })
    expect(await publicClient.getCode({ address: A1 })).toBe('0x602a60005260206000f3')
    await test.setStorageAt({ address: A1, index: 2, value: `0x${'11'.repeat(32)}` })
    expect(await publicClient.getStorageAt({ address: A1, slot: '0x2' })).toBe(`0x${'11'.repeat(32)}`)

    const head = await publicClient.getBlock()
    await test.setNextBlockTimestamp({ timestamp: head.timestamp + 1000n })
    await test.mine({ blocks: 1 })
    expect((await publicClient.getBlock()).timestamp).toBe(head.timestamp + 1000n)
    const now = BigInt(Math.floor(Date.now() / 1000))
    await test.increaseTime({ seconds: 3600 })
    await test.mine({ blocks: 1 })
    expect((await publicClient.getBlock()).timestamp).toBeGreaterThanOrEqual(now + 3600n)
    await node.close()
  })

  it('manual mining keeps transactions pending until evm_mine', async () => {
    const { publicClient, test, wallet, node } = await start()
    await test.setAutomine(false)
    const h1 = await wallet.sendTransaction({ to: A1, value: 1n })
    const h2 = await wallet.sendTransaction({ to: A1, value: 2n })
    expect(await publicClient.getBlockNumber()).toBe(0n)
    expect((await test.getTxpoolStatus()).pending).toBe(2)
    await test.mine({ blocks: 1 })
    const block = await publicClient.getBlock({ blockNumber: 1n })
    expect(block.transactions).toEqual([h1, h2])
    await test.setAutomine(true)
    await node.close()
  })
})
