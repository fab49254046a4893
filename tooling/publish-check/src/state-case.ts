import { calcBlobBaseFee } from '@crucible/block'
import { type BlockEnv, processTransaction } from '@crucible/evm'
import { forkFromFixtureName, getForkRules } from '@crucible/forks'
import {
  bytesToBigInt,
  bytesToHex,
  hexToBigInt,
  hexToBytes,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { type Alloc, WorldState } from '@crucible/state'
import { decodeTransaction, normalizeTransaction, validateTransaction } from '@crucible/tx'

// The state-test cases the browser check runs, the same code in Node and in the page (no
// Node built-in here: it is bundled for the browser). Only what those cases need: one fork,
// cases with signed `txbytes`, a transaction that is executed (the full runner with every
// format and rejections is tooling/conformance's state suite).

export interface StateTestJson {
  env: {
    currentCoinbase: string
    currentGasLimit: string
    currentNumber: string
    currentTimestamp: string
    currentDifficulty?: string
    currentRandom?: string
    currentBaseFee?: string
    currentExcessBlobGas?: string
  }
  pre: Alloc
  post: Record<string, Array<{ hash: string; txbytes?: string; expectException?: string }>>
}

export interface CaseRoot {
  case: string
  /** The post-state root computed here. */
  root: string
  /** The fixture's. */
  expected: string
}

/** The post-state root of every executed `txbytes` case of `fork` in a file of state tests. */
export function stateCaseRoots(file: Record<string, StateTestJson>, fork: string): CaseRoot[] {
  const rules = getForkRules(forkFromFixtureName(fork))
  const out: CaseRoot[] = []
  for (const [name, test] of Object.entries(file)) {
    const env = test.env
    const number = hexToBigInt(env.currentNumber)
    const block: BlockEnv = {
      number,
      coinbase: hexToBigInt(env.currentCoinbase),
      timestamp: hexToBigInt(env.currentTimestamp),
      gasLimit: hexToBigInt(env.currentGasLimit),
      difficulty: env.currentDifficulty ? hexToBigInt(env.currentDifficulty) : 0n,
      prevRandao: env.currentRandom ? hexToBigInt(env.currentRandom) : 0n,
      baseFee: rules.isActive(1559) ? hexToBigInt(env.currentBaseFee ?? '0xa') : 0n,
      blobBaseFee:
        rules.isActive(4844) && rules.params.blob
          ? calcBlobBaseFee(hexToBigInt(env.currentExcessBlobGas ?? '0x0'), rules.params.blob)
          : 0n,
      chainId: 1n,
    }
    // BLOCKHASH of state tests: keccak256 of the number in decimal, within the last 256 blocks.
    const blockHash = (n: bigint) =>
      n < number && n + 256n >= number ? bytesToBigInt(keccak256(utf8ToBytes(n.toString()))) : 0n
    ;(test.post[fork] ?? []).forEach((post, index) => {
      if (post.txbytes === undefined || post.expectException !== undefined) return
      const state = WorldState.fromAlloc(test.pre, { blockHash })
      const tx = decodeTransaction(hexToBytes(post.txbytes))
      const { sender } = validateTransaction(tx, rules, block.chainId)
      processTransaction(state, normalizeTransaction(tx, { sender }), block, rules)
      out.push({ case: `${name}[${index}]`, root: bytesToHex(state.stateRoot()), expected: post.hash })
    })
  }
  return out
}
