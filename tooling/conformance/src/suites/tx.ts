import { forkFromFixtureName, getForkRules } from '@crucible/forks'
import { bigIntToBytes, bytesToHex, CrucibleError, hexToBigInt, hexToBytes } from '@crucible/primitives'
import { decodeTransaction, transactionHash, validateTransaction } from '@crucible/tx'
import type { Suite } from '../suite.js'

/**
 * TransactionTests (ethereum-tests) and EEST `transaction_test` fixtures: `txbytes` is a raw
 * signed transaction; `result` maps each fork to either the expected `hash`, `sender` and
 * `intrinsicGas`, or an `exception` the fork must raise. Any typed rejection counts for an
 * exception; its text is recorded as the reason. Both formats run on chain id 1.
 */
interface Expectation {
  hash?: string
  sender?: string
  intrinsicGas?: string
  exception?: string
}

interface TxFixture {
  txbytes: string
  result: Record<string, Expectation>
}

const CHAIN_ID = 1n

const suite: Suite = {
  name: 'tx',
  defaultPaths: ['ethereum-tests/TransactionTests', 'eest-pectra-devnet-5/transaction_tests'],
  format: 'tx',
  runFile(ctx) {
    for (const [name, test] of Object.entries(ctx.tests as Record<string, TxFixture>)) {
      for (const [fork, expected] of Object.entries(test.result ?? {})) {
        if (!ctx.begin(name, fork, 0)) continue
        ctx.report({
          test: name,
          fork,
          index: 0,
          ...check(test.txbytes, forkFromFixtureName(fork), expected),
        })
      }
    }
  },
}
export default suite

function check(
  txbytes: string,
  fork: ReturnType<typeof forkFromFixtureName>,
  expected: Expectation,
): { ok: boolean; reason?: string } {
  const rules = getForkRules(fork)
  let outcome: { hash: string; sender: string; intrinsicGas: bigint }
  try {
    const tx = decodeTransaction(hexToBytes(txbytes))
    const validated = validateTransaction(tx, rules, CHAIN_ID)
    outcome = {
      hash: bytesToHex(transactionHash(tx)),
      sender: bytesToHex(bigIntToBytes(validated.sender, 20)),
      intrinsicGas: validated.intrinsicGas,
    }
  } catch (error) {
    if (!(error instanceof CrucibleError)) {
      return { ok: false, reason: `untyped error: ${error instanceof Error ? error.stack : String(error)}` }
    }
    const reason = error.message.split('\n')[0]
    if (expected.exception) return { ok: true, reason: `${expected.exception} ← ${reason}` }
    return { ok: false, reason: `rejected a valid transaction: ${reason}` }
  }
  if (expected.exception) return { ok: false, reason: `accepted, expected ${expected.exception}` }
  const problems: string[] = []
  if (expected.hash !== undefined && outcome.hash !== expected.hash.toLowerCase())
    problems.push(`hash ${outcome.hash}, expected ${expected.hash}`)
  if (expected.sender !== undefined && outcome.sender !== expected.sender.toLowerCase())
    problems.push(`sender ${outcome.sender}, expected ${expected.sender}`)
  if (expected.intrinsicGas !== undefined && outcome.intrinsicGas !== hexToBigInt(expected.intrinsicGas))
    problems.push(`intrinsic gas ${outcome.intrinsicGas}, expected ${hexToBigInt(expected.intrinsicGas)}`)
  return problems.length === 0 ? { ok: true } : { ok: false, reason: problems.join('; ') }
}
