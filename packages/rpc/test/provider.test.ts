import { hexToBytes } from '@crucible/primitives'
import { verifyProof } from '@crucible/trie'
import { describe, expect, it } from 'vitest'
import { createDispatch, createProvider, handleText, ProviderRpcError, TxPool } from '../src/index.js'
import { expected, HEAD, testChain } from './fixture.js'

describe('JSON-RPC framing', () => {
  const dispatch = createDispatch({ chain: testChain() })

  it('answers parse errors, invalid requests, unknown methods and batches', async () => {
    expect(await handleText('{', dispatch)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'parse error' },
    })
    expect(await handleText('{"id":1}', dispatch)).toMatchObject({ id: 1, error: { code: -32600 } })
    expect(await handleText('[]', dispatch)).toMatchObject({ error: { code: -32600 } })
    expect(await handleText('{"jsonrpc":"2.0","id":"a","method":"nope"}', dispatch)).toMatchObject({
      id: 'a',
      error: { code: -32601 },
    })
    const batch = await handleText(
      '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_chainId"},5]',
      dispatch,
    )
    expect(batch).toEqual([
      { jsonrpc: '2.0', id: 1, result: '0xc72dd9d5e883e' },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } },
    ])
  })

  it('refuses bad parameters with -32602, never a crash', async () => {
    const bad = [
      ['eth_getBalance', ['0x12', 'latest']],
      ['eth_getBalance', [7, 'latest']],
      ['eth_getBlockByNumber', [`0x${'f'.repeat(100)}`, false]],
      ['eth_getBlockByNumber', ['0x1']],
      ['eth_getStorageAt', ['0xaa00000000000000000000000000000000000000', {}, 'latest']],
      ['eth_call', [null]],
      ['eth_getLogs', [{ fromBlock: '0x5', toBlock: '0x1' }]],
    ] as const
    for (const [method, params] of bad) {
      const answer = (await handleText(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        dispatch,
      )) as {
        error?: { code: number }
      }
      expect(answer.error?.code, `${method} ${JSON.stringify(params)}`).toBe(-32602)
    }
  })
})

describe('the in-process EIP-1193 provider', () => {
  const provider = createProvider({ chain: testChain(), pool: new TxPool() })
  const request = (method: string, params: unknown[] = []) => provider.request({ method, params })

  it('reads the head, blocks and receipts as the fixtures record them', async () => {
    expect(await request('eth_blockNumber')).toBe('0x36')
    for (const file of [
      'eth_getBlockByNumber/get-latest.io',
      'eth_getBlockByNumber/get-genesis.io',
      'eth_getBlockReceipts/get-block-receipts-n.io',
      'eth_getTransactionReceipt/get-blob-tx.io',
      'eth_getTransactionByHash/get-setcode-tx.io',
      'eth_getLogs/contract-addr.io',
      'eth_getBalance/get-balance-blockhash.io',
    ]) {
      const { request: r, response } = expected(file)
      expect(await request(r.method as string, r.params as unknown[]), file).toEqual(response.result)
    }
    expect(((await request('eth_getBlockByNumber', ['latest', false])) as { hash: string }).hash).toBe(HEAD)
  })

  it('calls, estimates and reverts with code 3 and the revert data', async () => {
    const { request: r, response } = expected('eth_call/call-contract.io')
    expect(await request('eth_call', r.params as unknown[])).toBe(response.result)
    expect(
      await request('eth_estimateGas', [
        {
          from: '0xaa00000000000000000000000000000000000000',
          to: '0x0100000000000000000000000000000000000000',
        },
      ]),
    ).toBe('0x5208')
    const revert = expected('eth_call/call-revert-abi-error.io')
    const error = await request('eth_call', revert.request.params as unknown[]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderRpcError)
    expect((error as ProviderRpcError).code).toBe(3)
    expect((error as ProviderRpcError).data).toBe((revert.response.error as { data: string }).data)
  })

  it('gives eth_getProof proofs that the trie verifies against the state root', async () => {
    const address = '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df'
    const proof = (await request('eth_getProof', [address, ['0x0'], 'latest'])) as {
      accountProof: string[]
      storageHash: string
      storageProof: { value: string; proof: string[] }[]
    }
    const block = (await request('eth_getBlockByNumber', ['latest', false])) as { stateRoot: string }
    const account = verifyProof(
      hexToBytes(block.stateRoot),
      hexToBytes(address),
      proof.accountProof.map((p) => hexToBytes(p)),
      { secure: true },
    )
    expect(account).toBeDefined()
    const slot = verifyProof(
      hexToBytes(proof.storageHash),
      new Uint8Array(32),
      proof.storageProof[0]!.proof.map((p) => hexToBytes(p)),
      { secure: true },
    )
    expect(slot).toEqual(Uint8Array.of(0x38))
    expect(proof.storageProof[0]!.value).toBe('0x38')
  })
})

describe('eth_call as geth runs it', () => {
  const provider = createProvider({ chain: testChain() })
  const request = (method: string, params: unknown[] = []) => provider.request({ method, params })

  it('calls from an account with code and above the EIP-7825 transaction gas cap', async () => {
    // The callenv contract answers from its own address (a contract sender, EIP-3607 skipped).
    const contract = '0x9344b07175800259691961298ca11c824e65032d'
    const out = (await request('eth_call', [
      { from: contract, to: contract, gas: '0x2000000' },
      'latest',
    ])) as string
    expect(out.length).toBeGreaterThan(2)
  })

  it('aborts a call past the gas cap with an error, not a crash', async () => {
    const limited = createProvider({ chain: testChain(), limits: { gasCap: 30_000n } })
    const error = await limited
      .request({
        method: 'eth_call',
        params: [
          { to: '0x0ee3ab1371c93e7c0c281cc0c2107cdebc8b1930', input: '0x01', gas: '0x5f5e100' },
          'latest',
        ],
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderRpcError)
  })
})
