import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex, hexToBigInt, hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { sampleTransactions } from '../test/samples.js'
import {
  decodeNetworkTransaction,
  encodeNetworkTransaction,
  privateKeyToAddress,
  recoverSender,
  signTransaction,
  TxDecodeError,
  transactionFromRpc,
  transactionHash,
  transactionToRpc,
} from './index.js'

const KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')

describe('JSON-RPC objects', () => {
  it('round-trip every type', () => {
    for (const unsigned of sampleTransactions()) {
      const tx = signTransaction(unsigned, KEY)
      const json = transactionToRpc(tx)
      expect(json.from).toBe(
        bytesToHex(hexToBytes(`0x${privateKeyToAddress(KEY).toString(16).padStart(40, '0')}`)),
      )
      expect(json.hash).toBe(bytesToHex(transactionHash(tx)))
      expect(json.type).toBe(`0x${tx.type}`)
      expect(transactionFromRpc(JSON.parse(JSON.stringify(json)))).toEqual(tx)
    }
  })

  it('reports the effective gas price of a fee-market transaction in a block', () => {
    const tx = signTransaction(sampleTransactions()[5]!, KEY) // max fee 30 gwei, tip 2 wei
    expect(transactionToRpc(tx).gasPrice).toBe('0x6fc23ac00')
    expect(transactionToRpc(tx, { baseFee: 7n }).gasPrice).toBe('0x9')
    expect(transactionToRpc(tx, { baseFee: 10n ** 12n }).gasPrice).toBe('0x6fc23ac00')
  })

  it('infers the type and accepts data/gasLimit spellings', () => {
    const tx = transactionFromRpc({
      nonce: '0x1',
      gasLimit: '0x5208',
      maxFeePerGas: '0x2',
      maxPriorityFeePerGas: '0x1',
      chainId: '0x1',
      to: '0x00000000000000000000000000000000000000aa',
      data: '0x0102',
      v: '0x1',
      r: '0x1',
      s: '0x1',
    })
    expect(tx.type).toBe(2)
    expect(tx.data).toEqual(Uint8Array.of(1, 2))
    expect(tx.type === 2 && tx.yParity).toBe(1n)
  })

  it('names missing or malformed fields', () => {
    expect(() => transactionFromRpc(null)).toThrow(TxDecodeError)
    expect(() => transactionFromRpc({ type: '0x0', nonce: '0x0' })).toThrow(/gas is missing/)
    expect(() =>
      transactionFromRpc({
        type: '0x0',
        nonce: '0x0',
        gas: '0x1',
        gasPrice: '0x1',
        to: '0x12',
        v: '0x1b',
        r: '0x1',
        s: '0x1',
      }),
    ).toThrow(/to must be 20 bytes/)
    expect(() => transactionFromRpc({ type: '0x0', nonce: 'zz' })).toThrow(TxDecodeError)
    expect(() => transactionFromRpc({ type: '0x9' })).toThrow(/unknown transaction type 9/)
  })
})

// The hive rpc-compat exchanges, when the shared fixtures are present: real transactions of
// every type as geth returns them.
const RPC_TESTS = '/work/shared/fixtures/execution-apis/tests'

interface Exchange {
  name: string
  request: { params: string[] }
  response: { result: unknown }
}

/** The fields of a recorded transaction object the test reads by name (all are present). */
type RpcTransactionFixture = Record<string, string> &
  Record<'hash' | 'from' | 'blockHash' | 'blockNumber' | 'blockTimestamp' | 'transactionIndex', string>

function exchanges(method: string): Exchange[] {
  const dir = join(RPC_TESTS, method)
  return readdirSync(dir).map((name) => {
    const lines = readFileSync(join(dir, name), 'utf8').split('\n')
    const request = JSON.parse(lines.find((l) => l.startsWith('>>'))!.slice(3))
    const response = JSON.parse(lines.find((l) => l.startsWith('<<'))!.slice(3))
    return { name, request, response }
  })
}

describe.skipIf(!existsSync(RPC_TESTS))('execution-apis fixtures', () => {
  it('eth_getTransactionByHash objects parse, hash, recover and print back identically', () => {
    let seen = 0
    for (const { name, response } of exchanges('eth_getTransactionByHash')) {
      const expected = response.result as RpcTransactionFixture | null
      if (!expected) continue
      seen++
      const tx = transactionFromRpc(expected)
      expect(bytesToHex(transactionHash(tx)), name).toBe(expected.hash)
      expect(recoverSender(tx), name).toBe(hexToBigInt(expected.from))
      const json = transactionToRpc(tx, {
        blockHash: hexToBytes(expected.blockHash),
        blockNumber: hexToBigInt(expected.blockNumber),
        blockTimestamp: hexToBigInt(expected.blockTimestamp),
        transactionIndex: hexToBigInt(expected.transactionIndex),
      })
      // Same keys in the same order as geth.
      expect(JSON.stringify(json), name).toBe(JSON.stringify(expected))
    }
    expect(seen).toBeGreaterThanOrEqual(5)
  })

  it('eth_sendRawTransaction payloads (including a cell-proof blob wrapper) decode and hash', () => {
    for (const { name, request, response } of exchanges('eth_sendRawTransaction')) {
      const raw = hexToBytes(request.params[0]!)
      const tx = decodeNetworkTransaction(raw)
      expect(encodeNetworkTransaction(tx), name).toEqual(raw)
      expect(bytesToHex(transactionHash(tx)), name).toBe(response.result as string)
    }
  })
})
