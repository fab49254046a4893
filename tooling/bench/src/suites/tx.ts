import { bigIntToBytes, bytesToHex } from '@crucible/primitives'
import { seededRandom } from '@crucible/test-support'
import {
  decodeTransaction,
  encodeTransaction,
  recoverAuthority,
  recoverSender,
  signAuthorization,
  signTransaction,
  transactionHash,
  type UnsignedTransaction,
} from '@crucible/tx'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createTxFromRLP } from '@ethereumjs/tx'
import { bytesToHex as ejsBytesToHex, eoaCode7702RecoverAuthority } from '@ethereumjs/util'
import type { BenchRow, BenchTable, SuiteOptions } from '../types.js'

/**
 * Transactions: decode N mixed signed transactions (legacy with and without EIP-155, and
 * types 1–4 in equal shares) and recover every sender, side by side with @ethereumjs/tx
 * 10.1.3 in the same process on the same bytes. Both use @noble/curves 2.4.0 for the
 * elliptic-curve work, which is nearly all of a recovery: expect parity there, and the
 * difference in decoding and hashing. Before timing, every transaction's hash, sender and
 * authorities are checked to agree between the two.
 */

const REFERENCE = '@ethereumjs/tx 10.1.3'

function randomBytes(r: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0
  return out
}

function randomKey(r: () => number): Uint8Array {
  // Any 32 bytes below the group order; a leading byte below 0xff keeps it so.
  const key = randomBytes(r, 32)
  key[0] = 1 + ((r() * 200) | 0)
  return key
}

/** N signed transactions, the six kinds in turn, with varied calldata and access lists. */
function dataset(n: number): Uint8Array[] {
  const r = seededRandom(0x7a5)
  const keys = Array.from({ length: 64 }, () => randomKey(r))
  const out: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const key = keys[i % keys.length]!
    const common = {
      nonce: BigInt((r() * 1000) | 0),
      gasLimit: 21_000n + BigInt((r() * 500_000) | 0),
      to: BigInt(bytesToHex(randomBytes(r, 20))),
      value: BigInt((r() * 1e9) | 0) * 10n ** 9n,
      data: randomBytes(r, (r() * 200) | 0),
    }
    const accessList =
      r() < 0.5 ? [] : [{ address: common.to, storageKeys: [BigInt(bytesToHex(randomBytes(r, 32)))] }]
    const fees = {
      chainId: 1n,
      maxPriorityFeePerGas: 1_000_000_000n,
      maxFeePerGas: 50_000_000_000n,
      accessList,
    }
    let unsigned: UnsignedTransaction
    switch (i % 6) {
      case 0:
        unsigned = { type: 0, ...common, gasPrice: 20_000_000_000n, chainId: 1n }
        break
      case 1:
        unsigned = { type: 0, ...common, gasPrice: 20_000_000_000n }
        break
      case 2:
        unsigned = { type: 1, ...common, chainId: 1n, gasPrice: 20_000_000_000n, accessList }
        break
      case 3:
        unsigned = { type: 2, ...common, ...fees }
        break
      case 4: {
        const hash = randomBytes(r, 32)
        hash[0] = 1
        unsigned = { type: 3, ...common, ...fees, maxFeePerBlobGas: 1n, blobVersionedHashes: [hash] }
        break
      }
      default:
        unsigned = {
          type: 4,
          ...common,
          ...fees,
          authorizationList: [
            signAuthorization(
              { chainId: 1n, address: common.to, nonce: common.nonce },
              keys[(i + 1) % keys.length]!,
            ),
          ],
        }
    }
    out.push(encodeTransaction(signTransaction(unsigned, key)))
  }
  return out
}

function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

/**
 * Best of `runs` for each side, the two interleaved after one warm-up run each, so a busy
 * machine slows both alike rather than whichever ran second.
 */
function compare(runs: number, ours: () => void, theirs: () => void): [number, number] {
  ours()
  theirs()
  let a = Number.POSITIVE_INFINITY
  let b = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) {
    // Alternate which side goes first, so neither always follows the other's garbage.
    if (i % 2 === 0) {
      a = Math.min(a, time(ours))
      b = Math.min(b, time(theirs))
    } else {
      b = Math.min(b, time(theirs))
      a = Math.min(a, time(ours))
    }
  }
  return [a, b]
}

function row(name: string, crucible: number, reference: number, note?: string): BenchRow {
  return {
    name,
    crucible_ms: Math.round(crucible * 10) / 10,
    reference_ms: Math.round(reference * 10) / 10,
    reference: REFERENCE,
    speedup: Math.round((reference / crucible) * 100) / 100,
    ...(note ? { note } : {}),
  }
}

const hexAddress = (value: bigint): string => bytesToHex(bigIntToBytes(value, 20))

/** Throws unless both libraries agree on every transaction. */
function crossCheck(raws: Uint8Array[], common: Common): void {
  for (const raw of raws) {
    const ours = decodeTransaction(raw)
    const theirs = createTxFromRLP(raw, { common })
    const where = `type ${ours.type} ${bytesToHex(raw).slice(0, 40)}…`
    if (bytesToHex(transactionHash(ours)) !== ejsBytesToHex(theirs.hash()))
      throw new Error(`hash differs: ${where}`)
    if (hexAddress(recoverSender(ours)) !== theirs.getSenderAddress().toString())
      throw new Error(`sender differs: ${where}`)
    if (ours.type === 4 && 'authorizationList' in theirs) {
      const list = theirs.authorizationList as Uint8Array[][]
      ours.authorizationList.forEach((auth, i) => {
        const authority = recoverAuthority(auth)
        const reference = eoaCode7702RecoverAuthority(list[i] as never).toString()
        if (authority === undefined || hexAddress(authority) !== reference)
          throw new Error(`authority differs: ${where}`)
      })
    }
  }
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const n = 10_000
  const runs = options.quick ? 2 : 7
  // Recovery dominates (milliseconds per transaction): fewer samples.
  const recoverRuns = options.quick ? 1 : 3
  const raws = dataset(n)
  // @ethereumjs insists on a KZG backend for any blob transaction, though the canonical form
  // (no sidecar) never calls it: a stub that fails loudly if it ever is.
  const unused = () => {
    throw new Error('KZG is not used by canonical blob transactions')
  }
  const kzg = new Proxy({}, { get: () => unused })
  const common = new Common({
    chain: Mainnet,
    hardfork: Hardfork.Prague,
    customCrypto: { kzg: kzg as never },
  })
  crossCheck(raws.slice(0, options.quick ? 600 : n), common)

  let sink = 0
  const [crucibleDecode, referenceDecode] = compare(
    runs,
    () => {
      for (const raw of raws) sink += decodeTransaction(raw).type
    },
    () => {
      for (const raw of raws) sink += createTxFromRLP(raw, { common }).type
    },
  )
  const [crucibleHash, referenceHash] = compare(
    runs,
    () => {
      for (const raw of raws) sink += transactionHash(decodeTransaction(raw))[0]!
    },
    () => {
      for (const raw of raws) sink += createTxFromRLP(raw, { common }).hash()[0]!
    },
  )
  const [crucibleRecover, referenceRecover] = compare(
    recoverRuns,
    () => {
      for (const raw of raws) sink += Number(recoverSender(decodeTransaction(raw)) & 1n)
    },
    () => {
      for (const raw of raws) sink += createTxFromRLP(raw, { common }).getSenderAddress().bytes[0]!
    },
  )
  if (sink === -1) console.log(sink)

  const mix = 'legacy ±EIP-155, types 1-4, 1/6 each'
  return {
    title: `Transactions: ${n} mixed signed transactions (${mix})`,
    rows: [
      row('decode + recover sender', crucibleRecover, referenceRecover, 'the benchmark of record'),
      row('decode only', crucibleDecode, referenceDecode),
      row('decode + hash', crucibleHash, referenceHash),
    ],
  }
}
