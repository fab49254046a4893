import { calcBlobBaseFee } from '@crucible/block'
import {
  type BlockEnv,
  CallKind,
  Outcome as EvmOutcome,
  type Inspector,
  processTransaction,
} from '@crucible/evm'
import { getForkRules } from '@crucible/forks'
import { bytesToHex, CrucibleError, hexToBigInt } from '@crucible/primitives'
import { encodeLogs, WorldState } from '@crucible/state'
import { decodeTransaction, normalizeTransaction, TransactionError, validateTransaction } from '@crucible/tx'
import type { BuiltCase } from './build.js'
import { CHAIN_ID } from './generate.js'
import type { BlockSpec, EvmFork } from './model.js'

/** What one engine did with a case; the fields compared are documented in compare.ts. */
export interface Outcome {
  valid: boolean
  /** Why the transaction was refused (not compared: the engines word it differently). */
  rejection?: string
  status?: 0 | 1
  gasUsed?: string
  output?: string
  /** RLP of the logs, hex. */
  logs?: string
  stateRoot: string
  /** Top-level halt reason of a failed transaction (not compared). */
  halt?: string
}

/** What the generator reached in one case, seen through Crucible's inspector hooks. */
export interface Reach {
  call: boolean
  create: boolean
  sstore: boolean
  log: boolean
  precompile: boolean
  /** Opcodes executed. */
  steps: number
}

export function crucibleBlockEnv(b: BlockSpec, fork: EvmFork): BlockEnv {
  const rules = getForkRules(fork)
  const blob = rules.params.blob
  return {
    number: hexToBigInt(b.number),
    coinbase: hexToBigInt(b.coinbase),
    timestamp: hexToBigInt(b.timestamp),
    gasLimit: hexToBigInt(b.gasLimit),
    difficulty: 0n,
    prevRandao: hexToBigInt(b.prevRandao),
    baseFee: hexToBigInt(b.baseFee),
    blobBaseFee: blob ? calcBlobBaseFee(hexToBigInt(b.excessBlobGas), blob) : 0n,
    chainId: CHAIN_ID,
  }
}

/** Decodes, validates and runs the signed transaction over a fresh WorldState. */
export function runCrucible(built: BuiltCase, block: BlockSpec, fork: EvmFork, reach?: Reach): Outcome {
  const rules = getForkRules(fork)
  const state = WorldState.fromAlloc(built.alloc)
  const inspector: Inspector | undefined = reach ? reachInspector(reach) : undefined
  try {
    const tx = decodeTransaction(built.txBytes)
    const { sender, ...validated } = validateTransaction(tx, rules, CHAIN_ID)
    const input = normalizeTransaction(tx, { sender })
    const env = crucibleBlockEnv(block, fork)
    const result = processTransaction(state, input, env, rules, {
      validated,
      ...(inspector ? { inspector } : {}),
    })
    const out: Outcome = {
      valid: true,
      status: result.status,
      gasUsed: `0x${result.gasUsed.toString(16)}`,
      output: bytesToHex(result.output),
      logs: bytesToHex(encodeLogs(result.logs)),
      stateRoot: bytesToHex(state.stateRoot()),
    }
    if (result.outcome === EvmOutcome.Revert) out.halt = 'Revert'
    else if (result.halt !== undefined) out.halt = result.halt
    return out
  } catch (error) {
    if (!(error instanceof TransactionError)) {
      if (!(error instanceof CrucibleError)) throw error
    }
    return {
      valid: false,
      rejection: `${error.code}: ${error.shortMessage}`,
      stateRoot: bytesToHex(state.stateRoot()),
    }
  }
}

function reachInspector(reach: Reach): Inspector {
  return {
    enter(info) {
      if (info.depth === 0) return
      // A precompile call is a CALL too; `precompile` counts it on its own as well.
      if (info.precompile) reach.precompile = true
      if (info.kind === CallKind.Create || info.kind === CallKind.Create2) reach.create = true
      else reach.call = true
    },
    step(frame) {
      reach.steps++
      if (frame.opcode() === 0x55) reach.sstore = true
    },
    log() {
      reach.log = true
    },
  }
}
