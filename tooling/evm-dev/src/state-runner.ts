/**
 * Developer tool, not a test: runs state-test fixtures through `processTransaction` on the
 * in-memory test host and compares the full post-state the EEST fixtures carry. The real
 * conformance run (state roots over the trie) lives in tooling/conformance.
 *
 *   node --conditions=source --import tsx tooling/evm-dev/src/state-runner.ts <dir|file> [filter] [--fork=X] [-v]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { BlockEnv } from '@crucible/evm'
import { InvalidTransactionError, processTransaction } from '@crucible/evm'
import { forkFromFixtureName, getForkRules } from '@crucible/forks'
import {
  bytesToHex,
  bytesToBigInt as bytesToWord,
  hexToBigInt,
  hexToBytes,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { decodeTransaction, normalizeTransaction, privateKeyToAddress } from '@crucible/tx'
import { MemoryHost } from '../../../packages/evm/test/memory-host.js'

const args = process.argv.slice(2)
const verbose = args.includes('-v')
const forkArg = args.find((a) => a.startsWith('--fork='))?.slice(7)
const positional = args.filter((a) => !a.startsWith('-'))
// Legacy fixtures carry only the post-state root: compare it using @crucible/state's WorldState.
const world: any = args.includes('--world') ? await import('@crucible/state') : undefined
const root = positional[0]!
const filter = positional[1]

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path]
  return readdirSync(path).flatMap((n) => files(join(path, n)))
}

function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n
  let output = 0n
  let acc = factor * denominator
  while (acc > 0n) {
    output += acc
    acc = (acc * numerator) / (denominator * i)
    i++
  }
  return output / denominator
}

let pass = 0
let fail = 0
const failures = new Map<string, number>()
for (const file of files(root).filter((f) => f.endsWith('.json'))) {
  const json = JSON.parse(readFileSync(file, 'utf8'))
  for (const [name, t] of Object.entries<any>(json)) {
    if (filter && !name.includes(filter) && !file.includes(filter)) continue
    for (const [forkName, cases] of Object.entries<any[]>(t.post)) {
      let fork: ReturnType<typeof forkFromFixtureName>
      try {
        fork = forkFromFixtureName(forkName)
      } catch {
        continue
      }
      if (forkArg && fork !== forkArg) continue
      const rules = getForkRules(fork)
      cases.forEach((c, index) => {
        const label = `${file.split('/').slice(-2).join('/')} ${name.slice(-90)} ${forkName}[${index}]`
        let reason: string | undefined
        try {
          reason = runCase(t, c, rules)
        } catch (e) {
          reason = `threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`
        }
        if (reason === undefined) pass++
        else {
          fail++
          const key = file.split('/').slice(-2).join('/')
          failures.set(key, (failures.get(key) ?? 0) + 1)
          if (verbose) console.log(`FAIL ${label}: ${reason}`)
        }
      })
    }
  }
}
for (const [k, n] of [...failures].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`${n}\t${k}`)
console.log(`pass ${pass} fail ${fail}`)

function runCase(t: any, c: any, rules: ReturnType<typeof getForkRules>): string | undefined {
  const number0 = BigInt(t.env.currentNumber)
  const hashOf = (n: bigint) =>
    n >= number0 || n + 256n < number0 ? 0n : bytesToWord(keccak256(utf8ToBytes(n.toString())))
  const host: any = world ? world.WorldState.fromAlloc(t.pre, { blockHash: hashOf }) : new MemoryHost()
  if (!world)
    for (const [addr, a] of Object.entries<any>(t.pre)) {
      host.put(hexToBigInt(addr as `0x${string}`), {
        balance: BigInt(a.balance),
        nonce: BigInt(a.nonce),
        code: hexToBytes(a.code),
        storage: new Map(Object.entries<string>(a.storage).map(([k, v]) => [BigInt(k), BigInt(v)])),
      })
    }
  const env = t.env
  const number = BigInt(env.currentNumber)
  if (!world)
    for (let n = 0n; n < number && n < 300n; n++)
      host.blockHashes.set(number - 1n - n, hashOf(number - 1n - n))
  const blob = rules.params.blob
  const excess = env.currentExcessBlobGas !== undefined ? BigInt(env.currentExcessBlobGas) : 0n
  const block: BlockEnv = {
    number,
    coinbase: BigInt(env.currentCoinbase),
    timestamp: BigInt(env.currentTimestamp),
    gasLimit: BigInt(env.currentGasLimit),
    difficulty: BigInt(env.currentDifficulty ?? 0),
    prevRandao: BigInt(env.currentRandom ?? 0),
    baseFee: BigInt(env.currentBaseFee ?? 0),
    blobBaseFee: blob ? fakeExponential(1n, excess, blob.baseFeeUpdateFraction) : 0n,
    chainId: BigInt(t.config?.chainid ?? 1),
  }
  let input: ReturnType<typeof normalizeTransaction>
  try {
    input = c.txbytes
      ? normalizeTransaction(decodeTransaction(hexToBytes(c.txbytes)), { rules })
      : fromFields(t.transaction, c.indexes)
  } catch (e) {
    if (c.expectException) return undefined
    return `decode: ${(e as Error).message.split('\n')[0]}`
  }
  try {
    processTransaction(host, input as never, block, rules)
  } catch (e) {
    if (e instanceof InvalidTransactionError) {
      if (c.expectException) return undefined
      return `rejected ${e.code}`
    }
    throw e
  }
  if (c.expectException) return `expected exception ${c.expectException}`
  if (world) {
    const root = bytesToHex(host.stateRoot())
    return root === c.hash ? undefined : `state root ${root} != ${c.hash}`
  }
  const expected = c.state as Record<string, any>
  if (!expected) return undefined
  const seen = new Set<bigint>()
  for (const [addr, a] of Object.entries<any>(expected)) {
    const address = hexToBigInt(addr as `0x${string}`)
    seen.add(address)
    const got = host.accounts.get(address)
    if (!got) return `missing account ${addr}`
    if (got.balance !== BigInt(a.balance)) return `${addr} balance ${got.balance} != ${BigInt(a.balance)}`
    if (got.nonce !== BigInt(a.nonce)) return `${addr} nonce ${got.nonce} != ${BigInt(a.nonce)}`
    if (bytesToHex(got.code) !== a.code.toLowerCase()) return `${addr} code differs`
    const want = new Map(Object.entries<string>(a.storage).map(([k, v]) => [BigInt(k), BigInt(v)]))
    for (const [k, v] of want)
      if ((got.storage.get(k) ?? 0n) !== v) return `${addr} slot ${k} ${got.storage.get(k) ?? 0n} != ${v}`
    for (const [k, v] of got.storage) if (v !== 0n && !want.has(k)) return `${addr} extra slot ${k}=${v}`
  }
  for (const [address, acct] of host.accounts)
    if (!seen.has(address)) return `extra account 0x${address.toString(16)} (balance ${acct.balance})`
  return undefined
}

/** Old fixtures without `txbytes`: the transaction from its fields (legacy or 1559 pricing). */
function fromFields(tx: any, indexes: { data: number; gas: number; value: number }): any {
  const out: any = {
    type: tx.maxFeePerGas !== undefined ? 2 : 0,
    sender: tx.sender ? BigInt(tx.sender) : privateKeyToAddress(hexToBytes(tx.secretKey)),
    to: tx.to ? BigInt(tx.to) : undefined,
    nonce: BigInt(tx.nonce),
    value: BigInt(tx.value[indexes.value]),
    data: hexToBytes(tx.data[indexes.data]),
    gasLimit: BigInt(tx.gasLimit[indexes.gas]),
  }
  if (out.type === 0) out.gasPrice = BigInt(tx.gasPrice)
  else {
    out.maxFeePerGas = BigInt(tx.maxFeePerGas)
    out.maxPriorityFeePerGas = BigInt(tx.maxPriorityFeePerGas)
  }
  return out
}
