import { getForkRules } from '@crucible/forks'
import { bytesToHex, CrucibleError } from '@crucible/primitives'
import {
  decodeTransaction,
  encodeTransaction,
  recoverSender,
  signAuthorization,
  signTransaction,
  type Transaction,
  transactionHash,
  type UnsignedTransaction,
} from '@crucible/tx'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createTxFromRLP } from '@ethereumjs/tx'
import type { Random } from '../random.js'
import { fixturesRoot, fromHex, jsonFiles, pickInput, readJson } from './inputs.js'
import { sameItem } from './rlp.js'
import { type DecoderTarget, type Problem, typed } from './runner.js'

const KEY = fromHex('0x4646464646464646464646464646464646464646464646464646464646464646')!
const rules = getForkRules('Osaka')

/** A random signed transaction of any type (fields at the sizes where encodings change). */
export function randomTransaction(r: Random): Uint8Array {
  const n = () => (r.chance(0.3) ? 0n : r.chance(0.5) ? BigInt(r.int(1000)) : r.bigint(8 * r.range(1, 32)))
  const to = r.chance(0.15) ? undefined : r.bigint(160)
  const accessList = Array.from({ length: r.int(3) }, () => ({
    address: r.bigint(160),
    storageKeys: Array.from({ length: r.int(3) }, () => r.bigint(256)),
  }))
  const base = {
    nonce: n(),
    gasLimit: n(),
    to,
    value: n(),
    data: r.bytes(r.chance(0.8) ? r.int(80) : r.int(2000)),
  }
  const fees = { chainId: 1n, maxPriorityFeePerGas: n(), maxFeePerGas: n(), accessList }
  let tx: UnsignedTransaction
  switch (r.int(5)) {
    case 0:
      tx = { type: 0, ...base, gasPrice: n(), ...(r.chance(0.7) ? { chainId: 1n } : {}) }
      break
    case 1:
      tx = { type: 1, ...base, chainId: 1n, gasPrice: n(), accessList }
      break
    case 2:
      tx = { type: 2, ...base, ...fees }
      break
    case 3:
      tx = {
        type: 3,
        ...base,
        to: to ?? 1n,
        ...fees,
        maxFeePerBlobGas: n(),
        blobVersionedHashes: Array.from({ length: r.range(0, 7) }, () => Uint8Array.of(1, ...r.bytes(31))),
      }
      break
    default:
      tx = {
        type: 4,
        ...base,
        to: to ?? 1n,
        ...fees,
        authorizationList: Array.from({ length: r.range(0, 3) }, () =>
          signAuthorization(
            { chainId: r.pick([0n, 1n, 5n]), address: r.bigint(160), nonce: n() & ((1n << 64n) - 1n) },
            KEY,
          ),
        ),
      }
  }
  return encodeTransaction(signTransaction(tx, KEY))
}

/**
 * `tx`: `decodeTransaction` returns a transaction or a typed error; a decoded transaction
 * re-encodes to the same bytes; and against `@ethereumjs/tx` 10.1.3 (`createTxFromRLP` at
 * Osaka, chain 1): whatever it constructs Crucible decodes, and where both have one, the hash
 * and the recovered sender agree.
 */
export function txTarget(): DecoderTarget {
  const seeds: Uint8Array[] = []
  const counts = { decoded: 0, rejected: 0, bothSigned: 0 }
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Osaka })
  return {
    name: 'tx',
    prepare() {
      const root = fixturesRoot()
      if (root === undefined) return
      for (const file of jsonFiles(`${root}/ethereum-tests/TransactionTests`)) {
        for (const test of Object.values(readJson(file) as Record<string, { txbytes?: string }>)) {
          const bytes = typeof test.txbytes === 'string' ? fromHex(test.txbytes) : undefined
          if (bytes && bytes.length > 0) seeds.push(bytes)
        }
      }
    },
    input: (r) => pickInput(r, seeds, randomTransaction),
    check,
    stats: () => ({ seeds: seeds.length, ...counts }),
  }

  function check(input: Uint8Array): Problem | undefined {
    const ours = typed('decodeTransaction', () => decodeTransaction(input))
    if ('problem' in ours) return ours.problem
    let theirs: ReturnType<typeof createTxFromRLP> | undefined
    try {
      theirs = createTxFromRLP(input, { common })
    } catch {
      // ethereumjs also refuses for semantic reasons (chain id, fee caps): not compared.
      theirs = undefined
    }
    if ('error' in ours) {
      counts.rejected++
      if (theirs !== undefined)
        return {
          kind: 'differential',
          message: `Crucible rejects (${ours.error.code}: ${ours.error.shortMessage}), @ethereumjs/tx decodes`,
        }
      return undefined
    }
    counts.decoded++
    const tx = ours.value
    const again = typed('encodeTransaction', () => encodeTransaction(tx))
    if ('problem' in again) return again.problem
    if ('error' in again)
      return {
        kind: 'roundtrip',
        message: `encodeTransaction refuses a decoded transaction: ${again.error.shortMessage}`,
      }
    if (!sameItem(again.value, input))
      return { kind: 'roundtrip', message: `type ${tx.type}: encodeTransaction(decodeTransaction(x)) !== x` }
    if (theirs === undefined) return undefined
    return compareSigned(tx, theirs)
  }

  function compareSigned(tx: Transaction, theirs: ReturnType<typeof createTxFromRLP>): Problem | undefined {
    const hash = typed('transactionHash', () => transactionHash(tx))
    if ('problem' in hash) return hash.problem
    let theirHash: string | undefined
    try {
      // ethereumjs refuses to hash a transaction whose signature fields are zero ("unsigned").
      theirHash = bytesToHex(theirs.hash())
    } catch {
      theirHash = undefined
    }
    if ('value' in hash && theirHash !== undefined && bytesToHex(hash.value) !== theirHash)
      return { kind: 'differential', message: `type ${tx.type}: transaction hashes differ` }
    let theirSender: string | undefined
    try {
      theirSender = theirs.getSenderAddress().toString()
    } catch {
      theirSender = undefined
    }
    let ourSender: string | undefined
    try {
      ourSender = `0x${recoverSender(tx, rules).toString(16).padStart(40, '0')}`
    } catch (error) {
      if (!(error instanceof CrucibleError))
        return { kind: 'crash', message: `recoverSender: untyped ${String(error)}` }
    }
    if (ourSender !== undefined && theirSender !== undefined) counts.bothSigned++
    if (ourSender !== theirSender)
      return {
        kind: 'differential',
        message: `type ${tx.type}: sender ${ourSender ?? 'invalid'} (Crucible) vs ${theirSender ?? 'invalid'} (@ethereumjs/tx)`,
      }
    return undefined
  }
}
