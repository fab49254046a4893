import { MemoryKv } from '@crucible/kv'
import { type RunningServer, startServer } from '@crucible/rpc-server'
import { Contract, ContractFactory, JsonRpcProvider } from 'ethers'
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getContract,
  http,
  parseAbiItem,
  parseEther,
  webSocket,
} from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DevNode, devMethods } from '../src/index.js'
import { type Compiled, compileToken } from './contracts.js'

// Real clients against a dev node served over HTTP and WebSocket on 127.0.0.1: a contract
// compiled with solc-js, deployed and used through viem and ethers v6.
const A0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const A1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const A2 = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const WHALE = '0x00000000000000000000000000000000000fa11e'

let token: Compiled
let node: DevNode
let server: RunningServer

beforeAll(async () => {
  token = compileToken()
  ;({ node } = await DevNode.open(new MemoryKv()))
  server = await startServer({
    chain: node.chain,
    pool: node.pool,
    http: { port: 0 },
    extra: devMethods(node),
  })
}, 120_000)
afterAll(async () => {
  await server?.close()
  await node?.close()
})

function viemClients() {
  const transport = http(server.url)
  return {
    publicClient: createPublicClient({ chain: foundry, transport, cacheTime: 0, pollingInterval: 50 }),
    wallet: createWalletClient({ chain: foundry, transport, account: A0 }),
    test: createTestClient({ chain: foundry, transport, mode: 'anvil' }),
  }
}

describe('viem over HTTP', () => {
  let address: `0x${string}`

  it('deploys the ERC-20, transfers, reads logs by topic and block range', async () => {
    const { publicClient, wallet } = viemClients()
    const hash = await wallet.deployContract({ abi: token.abi, bytecode: token.bytecode, args: [10n ** 24n] })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    address = receipt.contractAddress!
    const erc20 = getContract({ address, abi: token.abi, client: { public: publicClient, wallet } })
    expect(await erc20.read.symbol!([])).toBe('CRU')
    const deployBlock = receipt.blockNumber

    for (const [to, value] of [
      [A1, 100n],
      [A2, 200n],
      [A1, 300n],
    ] as const) {
      const tx = await erc20.write.transfer!([to, value])
      expect((await publicClient.waitForTransactionReceipt({ hash: tx })).status).toBe('success')
    }
    expect(await erc20.read.balanceOf!([A1])).toBe(400n)

    const transfer = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')
    const toA1 = await publicClient.getLogs({
      address,
      event: transfer,
      args: { to: A1 },
      fromBlock: deployBlock,
      toBlock: 'latest',
    })
    expect(toA1.map((l) => l.args.value)).toEqual([100n, 300n])
    const range = await publicClient.getLogs({
      address,
      event: transfer,
      fromBlock: deployBlock + 2n,
      toBlock: deployBlock + 3n,
    })
    expect(range.map((l) => l.args.value)).toEqual([200n, 300n])

    // A call at a past block sees the balance of then.
    expect(await erc20.read.balanceOf!([A1], { blockNumber: deployBlock + 1n })).toBe(100n)
    const gas = await erc20.estimateGas.transfer!([A2, 1n], { account: A0 })
    expect(gas).toBeGreaterThan(21_000n)
    expect(gas).toBeLessThan(60_000n)
  })

  it('decodes revert reasons and panics itself', async () => {
    const { publicClient } = viemClients()
    const fail = await publicClient
      .simulateContract({ address, abi: token.abi, functionName: 'fail', account: A0 })
      .catch((e: unknown) => e)
    expect(fail).toBeInstanceOf(BaseError)
    const reverted = (fail as BaseError).walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError
    expect(reverted.reason).toBe('always fails')

    const panic = await publicClient
      .readContract({ address, abi: token.abi, functionName: 'divide', args: [1n, 0n] })
      .catch((e: unknown) => e)
    const p = (panic as BaseError).walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError
    expect(p.data?.errorName).toBe('Panic')
    expect(p.data?.args?.[0]).toBe(0x12n)

    const tooMuch = await publicClient
      .simulateContract({
        address,
        abi: token.abi,
        functionName: 'transfer',
        args: [A0, 10n ** 30n],
        account: A2,
      })
      .catch((e: unknown) => e)
    expect(
      (
        (tooMuch as BaseError).walk(
          (e) => e instanceof ContractFunctionRevertedError,
        ) as ContractFunctionRevertedError
      ).reason,
    ).toBe('insufficient balance')
  })

  it('snapshot and revert, time travel, impersonation', async () => {
    const { publicClient, test, wallet } = viemClients()
    const erc20 = getContract({ address, abi: token.abi, client: { public: publicClient, wallet } })
    const before = (await erc20.read.balanceOf!([A2])) as bigint
    const id = await test.snapshot()
    await publicClient.waitForTransactionReceipt({ hash: await erc20.write.transfer!([A2, 5n]) })
    expect(await erc20.read.balanceOf!([A2])).toBe(before + 5n)
    await test.revert({ id })
    expect(await erc20.read.balanceOf!([A2])).toBe(before)

    const now = BigInt(Math.floor(Date.now() / 1000))
    await test.increaseTime({ seconds: 86_400 })
    await test.mine({ blocks: 1 })
    expect((await erc20.read.stamp!([])) as bigint).toBeGreaterThanOrEqual(now + 86_400n)

    // An account without a key, impersonated: funded, it sends as itself.
    await test.setBalance({ address: WHALE, value: parseEther('1') })
    await test.impersonateAccount({ address: WHALE })
    const hash = await wallet.sendTransaction({ account: WHALE, to: A1, value: 1000n, chain: foundry })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(receipt.from).toBe(WHALE)
    expect((await publicClient.getTransaction({ hash })).from).toBe(WHALE)
    await test.stopImpersonatingAccount({ address: WHALE })
    await expect(
      wallet.sendTransaction({ account: WHALE, to: A1, value: 1n, chain: foundry }),
    ).rejects.toThrow(/no signer available/)
  })

  it('pushes new blocks and logs over WebSocket subscriptions', async () => {
    const transport = webSocket(server.url.replace(/^http/, 'ws'))
    const ws = createPublicClient({ chain: foundry, transport })
    const { publicClient, wallet } = viemClients()
    const heads: bigint[] = []
    const logs: bigint[] = []
    const unwatchBlocks = ws.watchBlockNumber({ onBlockNumber: (n) => heads.push(n) })
    const unwatchLogs = ws.watchContractEvent({
      address,
      abi: token.abi,
      eventName: 'Transfer',
      onLogs: (found) =>
        logs.push(...found.map((l) => (l as unknown as { args: { value: bigint } }).args.value)),
      poll: false,
    })
    await new Promise((r) => setTimeout(r, 300))
    const erc20 = getContract({ address, abi: token.abi, client: { public: publicClient, wallet } })
    // The subscriptions are made asynchronously: on a busy machine they may start after a first
    // transfer's block, so a transfer goes out again each second until both have been pushed.
    const deadline = Date.now() + 30_000
    let sentAt = 0
    while ((heads.length === 0 || !logs.includes(77n)) && Date.now() < deadline) {
      if (Date.now() - sentAt > 1_000) {
        await publicClient.waitForTransactionReceipt({ hash: await erc20.write.transfer!([A1, 77n]) })
        sentAt = Date.now()
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    unwatchBlocks()
    unwatchLogs()
    expect(heads.length).toBeGreaterThan(0)
    expect(logs).toContain(77n)
    await (
      transport({ chain: foundry }) as unknown as { value?: { getSocket?: () => Promise<{ close(): void }> } }
    ).value
      ?.getSocket?.()
      .then((s) => s.close())
  })
})

describe('ethers v6 over HTTP', () => {
  it('deploys, transfers, queries events, decodes reverts', async () => {
    const provider = new JsonRpcProvider(server.url, 31337, { staticNetwork: true, cacheTimeout: -1 })
    const signer = await provider.getSigner(0)
    expect(await signer.getAddress()).toBe(A0)
    const factory = new ContractFactory(token.abi as never, token.bytecode, signer)
    const deployed = await factory.deploy(1000n)
    await deployed.waitForDeployment()
    const erc20 = new Contract(await deployed.getAddress(), token.abi as never, signer)
    const tx = await erc20.getFunction('transfer')(A1, 10n)
    const receipt = await tx.wait()
    expect(receipt?.status).toBe(1)
    expect(await erc20.getFunction('balanceOf')(A1)).toBe(10n)
    const events = await erc20.queryFilter(erc20.filters.Transfer!(A0, A1), 0, 'latest')
    expect(events).toHaveLength(1)

    const fail = await erc20
      .getFunction('fail')
      .staticCall()
      .catch((e: unknown) => e)
    expect((fail as { reason?: string }).reason).toBe('always fails')
    const panic = await erc20
      .getFunction('divide')
      .staticCall(1n, 0n)
      .catch((e: unknown) => e)
    expect((panic as { revert?: { name: string; args: unknown[] } }).revert?.name).toBe('Panic')
    expect(Number((panic as { revert?: { args: unknown[] } }).revert?.args[0])).toBe(0x12)
    // Sending a transfer the sender cannot afford: the estimate reverts with the reason.
    const poor = await provider.getSigner(2)
    const send = await (erc20.connect(poor) as Contract)
      .getFunction('transfer')(A0, 5000n)
      .catch((e: unknown) => e)
    expect((send as { reason?: string }).reason).toBe('insufficient balance')
    provider.destroy()
  })

  it('says why a raw transaction is refused: nonce too low, insufficient funds, intrinsic gas', async () => {
    const provider = new JsonRpcProvider(server.url, 31337, { staticNetwork: true })
    const { Wallet } = await import('ethers')
    const key = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a' // account 2
    const wallet = new Wallet(key, provider)
    const nonce = await provider.getTransactionCount(wallet.address)
    await (await wallet.sendTransaction({ to: A1, value: 1n })).wait()
    const fees = {
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 10n ** 9n,
      gasLimit: 21_000n,
      chainId: 31337n,
    }
    const raw = (tx: object) => wallet.signTransaction({ to: A1, value: 1n, type: 2, ...fees, ...tx })
    const send = async (tx: object) =>
      provider
        .send('eth_sendRawTransaction', [await raw(tx)])
        .catch((e: { error?: { message: string }; message: string }) => e.error?.message ?? e.message)
    expect(await send({ nonce })).toMatch(/nonce too low/)
    expect(await send({ nonce: nonce + 1, value: 10n ** 30n })).toMatch(/insufficient funds/)
    expect(await send({ nonce: nonce + 1, gasLimit: 20_000n })).toMatch(/intrinsic gas too low/)
    provider.destroy()
  })
})
