import { getForkRules } from '@crucible/forks'
import { CrucibleError, equalBytes, hexToBytes } from '@crucible/primitives'
import { seededRandom } from '@crucible/test-support'
import { describe, expect, it } from 'vitest'
import { sampleTransactions } from '../test/samples.js'
import {
  decodeNetworkTransaction,
  decodeTransaction,
  encodeNetworkTransaction,
  encodeTransaction,
  normalizeTransaction,
  signTransaction,
  type Transaction,
  transactionFromRpc,
  transactionToRpc,
  validateTransaction,
} from './index.js'

const KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')
const FORKS = [
  'Frontier',
  'Homestead',
  'SpuriousDragon',
  'Berlin',
  'London',
  'Cancun',
  'Prague',
  'Osaka',
] as const

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const bytes = Array.from(input)
  const edits = 1 + Math.floor(rand() * 3)
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (bytes.length + 1))
    const byte =
      rand() < 0.3
        ? [0x00, 0x80, 0xc0, 0xf8, 0xff, 0x7f, 0xb8][Math.floor(rand() * 7)]!
        : Math.floor(rand() * 256)
    switch (Math.floor(rand() * 5)) {
      case 0:
        if (at < bytes.length) bytes[at] = byte
        break
      case 1:
        bytes.splice(at, 0, byte)
        break
      case 2:
        bytes.splice(at, 1)
        break
      case 3:
        bytes.length = Math.min(bytes.length, at)
        break
      default:
        if (at < bytes.length) bytes[at]! ^= 1 << Math.floor(rand() * 8)
    }
  }
  return Uint8Array.from(bytes)
}

/** Everything a caller might do with untrusted bytes; only typed errors may escape. */
function exercise(bytes: Uint8Array, rand: () => number, network: boolean): void {
  let tx: Transaction
  try {
    tx = network ? decodeNetworkTransaction(bytes) : decodeTransaction(bytes)
  } catch (error) {
    if (!(error instanceof CrucibleError)) throw error
    return
  }
  // Whatever decodes is canonical: it encodes back to the same bytes.
  const again = network ? encodeNetworkTransaction(tx) : encodeTransaction(tx)
  if (!equalBytes(again, bytes)) throw new Error('decoded bytes do not re-encode identically')
  try {
    const fork = FORKS[Math.floor(rand() * FORKS.length)]!
    validateTransaction(tx, getForkRules(fork), 1n)
    normalizeTransaction(tx)
    transactionFromRpc(JSON.parse(JSON.stringify(transactionToRpc(tx))))
  } catch (error) {
    if (!(error instanceof CrucibleError)) throw error
  }
}

describe('random mutations', () => {
  const seeds = sampleTransactions().map((u) => signTransaction(u, KEY))
  const blob = seeds.find((t) => t.type === 3)!
  const network = encodeNetworkTransaction({
    ...blob,
    sidecar: { wrapperVersion: 1, blobs: [], commitments: [], proofs: [] },
  } as Transaction)

  it('never throw anything but typed errors, and whatever decodes re-encodes identically', () => {
    const rand = seededRandom(0xc0ffee)
    const inputs = seeds.map(encodeTransaction)
    let decoded = 0
    for (let i = 0; i < 10_000; i++) {
      const input = inputs[i % inputs.length]!
      const bytes = mutate(input, rand)
      try {
        exercise(bytes, rand, false)
        decoded++
      } catch (error) {
        throw new Error(`seed input ${i % inputs.length}, mutation ${i}: ${(error as Error).stack}`)
      }
    }
    for (let i = 0; i < 2_000; i++) exercise(mutate(network, rand), rand, true)
    expect(decoded).toBe(10_000)
    // A fixed amount of work: the bound only catches a hang, it is no speed goal (on the shared
    // 2-core machine under load this takes 40-50 s, past the default 30 s).
  }, 180_000)

  it('survives arbitrary short byte strings', () => {
    const rand = seededRandom(7)
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 12) }, () => Math.floor(rand() * 256))
      exercise(bytes, rand, rand() < 0.5)
    }
  })
})
