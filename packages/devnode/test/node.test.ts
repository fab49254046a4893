import { MemoryKv } from '@crucible/kv'
import { createProvider } from '@crucible/rpc'
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  custom,
  parseEther,
  parseTransaction,
  recoverTransactionAddress,
  verifyMessage,
  verifyTypedData,
} from 'viem'
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

  it('signs messages, EIP-712 typed data and transactions with the unlocked keys', async () => {
    const { provider, node } = await start()
    const message = 'hello crucible'
    const personal = (await provider.request({
      method: 'personal_sign',
      params: [`0x${Buffer.from(message).toString('hex')}`, A0],
    })) as `0x${string}`
    expect(await verifyMessage({ address: A0, message, signature: personal })).toBe(true)
    const ethSign = (await provider.request({
      method: 'eth_sign',
      params: [A1, '0xdeadbeef'],
    })) as `0x${string}`
    expect(await verifyMessage({ address: A1, message: { raw: '0xdeadbeef' }, signature: ethSign })).toBe(
      true,
    )

    const typed = {
      domain: {
        name: 'Ether Mail',
        version: '1',
        chainId: 31337,
        verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC',
      },
      types: {
        Person: [
          { name: 'name', type: 'string' },
          { name: 'wallet', type: 'address' },
        ],
        Mail: [
          { name: 'from', type: 'Person' },
          { name: 'to', type: 'Person[]' },
          { name: 'contents', type: 'string' },
          { name: 'tags', type: 'bytes32[2]' },
          { name: 'amount', type: 'int256' },
        ],
      },
      primaryType: 'Mail',
      message: {
        from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
        to: [{ name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' }],
        contents: 'Hello, Bob!',
        tags: [`0x${'01'.repeat(32)}`, `0x${'02'.repeat(32)}`],
        amount: -5,
      },
    } as const
    const types = {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      ...typed.types,
    }
    const typedSig = (await provider.request({
      method: 'eth_signTypedData_v4',
      params: [A0, JSON.stringify({ ...typed, types })],
    })) as `0x${string}`
    expect(
      await verifyTypedData({
        address: A0,
        ...typed,
        message: { ...typed.message, amount: -5n },
        signature: typedSig,
      }),
    ).toBe(true)

    const raw = (await provider.request({
      method: 'eth_signTransaction',
      params: [{ from: A0, to: A1, value: '0x5' }],
    })) as `0x${string}`
    expect(parseTransaction(raw).value).toBe(5n)
    expect(await recoverTransactionAddress({ serializedTransaction: raw as never })).toBe(A0)
    await expect(
      provider.request({
        method: 'eth_sign',
        params: ['0x0000000000000000000000000000000000000001', '0x00'],
      }),
    ).rejects.toThrow(/no signer available/)
    await node.close()
  })

  it('mines on an interval, rolls back and resets', async () => {
    const { publicClient, test, node, wallet } = await start({ blockTime: 1 })
    await wallet.sendTransaction({ to: A1, value: 3n })
    expect(await publicClient.getBlockNumber()).toBe(0n)
    const deadline = Date.now() + 15_000
    while ((await publicClient.getBlockNumber()) < 2n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100))
    const n = await publicClient.getBlockNumber()
    expect(n).toBeGreaterThanOrEqual(2n)
    expect((await publicClient.getBlock({ blockNumber: 1n })).transactions).toHaveLength(1)
    await test.setIntervalMining({ interval: 0 })
    const head = await publicClient.getBlockNumber()
    await test.request({ method: 'anvil_rollback', params: [1] } as never)
    expect(await publicClient.getBlockNumber()).toBe(head - 1n)
    await test.reset()
    expect(await publicClient.getBlockNumber()).toBe(0n)
    expect(await publicClient.getBalance({ address: A1 })).toBe(parseEther('10000'))
    await node.close()
  })

  it('lists impersonated accounts after the unlocked ones; safe and finalized are the head', async () => {
    const { publicClient, test, wallet, node } = await start()
    const other = '0x00000000000000000000000000000000000000Aa'
    await test.impersonateAccount({ address: other })
    await test.impersonateAccount({ address: A1 })
    const listed = await wallet.getAddresses()
    expect(listed).toHaveLength(11)
    expect(listed[10]?.toLowerCase()).toBe(other.toLowerCase())
    await test.stopImpersonatingAccount({ address: other })
    expect(await wallet.getAddresses()).toHaveLength(10)
    await test.mine({ blocks: 3 })
    for (const blockTag of ['safe', 'finalized'] as const)
      expect((await publicClient.getBlock({ blockTag })).number).toBe(3n)
    await node.close()
  })

  it('setMinGasPrice: refused with EIP-1559 (anvil), enforced at submission without it', async () => {
    const london = await start()
    await expect(london.test.setMinGasPrice({ gasPrice: 20n })).rejects.toThrow(
      /not supported when EIP-1559 is active/,
    )
    await london.node.close()
    const { test, wallet, publicClient, node } = await start({ hardfork: 'Berlin' })
    await test.setMinGasPrice({ gasPrice: 5_000_000_000n })
    await expect(
      wallet.sendTransaction({ to: A1, value: 1n, gasPrice: 1_000_000_000n, type: 'legacy' }),
    ).rejects.toThrow(/transaction underpriced/)
    // Without a price named, eth_sendTransaction offers the minimum.
    const hash = await wallet.sendTransaction({ to: A1, value: 1n, type: 'legacy' })
    const tx = await publicClient.getTransaction({ hash })
    expect(tx.gasPrice).toBe(5_000_000_000n)
    await node.close()
  })
})
