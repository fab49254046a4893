import type { BlockEnv, Host, Log } from '@crucible/evm-types'
import { type ChainConfig, CONSTANTS, Fork, type ForkRules, SYSTEM_ADDRESSES } from '@crucible/forks'
import { bytesToBigInt, CrucibleError, concatBytes, hexToBigInt } from '@crucible/primitives'
import {
  decodeTransaction,
  normalizeTransaction,
  type Transaction,
  TransactionError,
  type ValidatedTransaction,
  validateTransaction,
} from '@crucible/tx'
import type { Block } from '../body/block.js'
import { bloomMerge, logsBloom } from '../body/bloom.js'
import type { Receipt } from '../body/receipt.js'
import { receiptsRoot } from '../body/roots.js'
import { BlockError } from '../errors.js'
import { calcBlobBaseFee } from '../header/fees.js'
import { DAO_ACCOUNTS, DAO_RECOVERY } from './dao.js'
import {
  CONSOLIDATION_REQUEST_TYPE,
  DEPOSIT_REQUEST_TYPE,
  depositRequests,
  requestsHash,
  WITHDRAWAL_REQUEST_TYPE,
} from './requests.js'
import type { Vm } from './vm.js'

/** The state a block executes on: the EVM host plus the state root. */
export interface BlockState extends Host {
  stateRoot(): Uint8Array
}

export interface ExecuteOptions {
  chain: ChainConfig
  /** Rules in force at the block. */
  rules: ForkRules
  vm: Vm
  /**
   * Senders already known, by transaction index: their signatures are not recovered (the
   * rest of the transaction is still checked). A dev node's impersonated transactions carry
   * no real signature; a builder that recovered them already saves the work.
   */
  senders?: readonly (bigint | undefined)[]
}

/** What executing a block produced, to compare with its header. */
export interface BlockResult {
  receipts: Receipt[]
  gasUsed: bigint
  blobGasUsed: bigint
  logsBloom: Uint8Array
  receiptsRoot: Uint8Array
  stateRoot: Uint8Array
  /** EIP-7685 request lists (`type ‖ data`, empty types left out), from Prague. */
  requests?: Uint8Array[]
  requestsHash?: Uint8Array
}

const GWEI = 1_000_000_000n
const BEACON_ROOTS = hexToBigInt(SYSTEM_ADDRESSES.beaconRoots)
const HISTORY_STORAGE = hexToBigInt(SYSTEM_ADDRESSES.historyStorage)
const WITHDRAWAL_REQUESTS = hexToBigInt(SYSTEM_ADDRESSES.withdrawalRequests)
const CONSOLIDATION_REQUESTS = hexToBigInt(SYSTEM_ADDRESSES.consolidationRequests)

/** The EVM's view of a block. */
export function blockEnv(block: Block, rules: ForkRules, chainId: bigint): BlockEnv {
  const h = block.header
  const blob = rules.params.blob
  return {
    number: h.number,
    coinbase: bytesToBigInt(h.coinbase),
    timestamp: h.timestamp,
    gasLimit: h.gasLimit,
    difficulty: h.difficulty,
    prevRandao: bytesToBigInt(h.mixHash),
    baseFee: h.baseFeePerGas ?? 0n,
    blobBaseFee: blob ? calcBlobBaseFee(h.excessBlobGas ?? 0n, blob) : 0n,
    chainId,
  }
}

/** Applies balance changes outside any transaction (rewards, withdrawals, the DAO move). */
function outsideTransaction(state: Host, rules: ForkRules, change: (touched: Set<bigint>) => void): void {
  state.beginTransaction()
  const touched = new Set<bigint>()
  change(touched)
  for (const address of touched) state.touch(address)
  state.endTransaction([], rules.isActive(161))
}

function credit(state: Host, address: bigint, amount: bigint, touched: Set<bigint>): void {
  state.setBalance(address, state.getBalance(address) + amount)
  touched.add(address)
}

/** A transaction that makes the block invalid; `rejection` names why (the cause is the error). */
function invalidTransaction(index: number, error: unknown): BlockError {
  const reason = error instanceof CrucibleError ? error.shortMessage : String(error)
  const details = error instanceof TransactionError ? { index, rejection: error.rejection } : { index }
  return new BlockError('INVALID_TRANSACTION', `transaction ${index}: ${reason}`, details, { cause: error })
}

/**
 * Executes a block on its parent's post-state (execution-specs `apply_body` and the fork's
 * `state_transition` around it): the DAO move at the DAO block, the EIP-4788 and EIP-2935
 * system calls, every transaction, the withdrawals, the PoW rewards and the EIP-7685 requests.
 * Throws {@link BlockError} when a transaction cannot be included; the caller compares the
 * result with the header ({@link validateResult}) and drops the state when anything fails.
 */
export function executeBlock(block: Block, state: BlockState, options: ExecuteOptions): BlockResult {
  const { chain, rules, vm } = options
  const header = block.header
  const env = blockEnv(block, rules, chain.chainId)

  if (chain.daoForkBlock !== undefined && header.number === chain.daoForkBlock) {
    // Every listed account is written, existing or not, as the specification's move_ether does.
    outsideTransaction(state, rules, (touched) => {
      const recovery = hexToBigInt(`0x${DAO_RECOVERY}`)
      for (const hex of DAO_ACCOUNTS) {
        const account = hexToBigInt(`0x${hex}`)
        const balance = state.getBalance(account)
        state.setBalance(account, 0n)
        credit(state, recovery, balance, touched)
      }
    })
  }

  if (rules.isActive(4788) && header.parentBeaconBlockRoot) {
    vm.systemCall(state, BEACON_ROOTS, header.parentBeaconBlockRoot, env, rules)
  }
  if (rules.isActive(2935)) vm.systemCall(state, HISTORY_STORAGE, header.parentHash, env, rules)

  const receipts: Receipt[] = []
  const allLogs: Log[] = []
  const bloom = new Uint8Array(256)
  let gasUsed = 0n
  let blobGasUsed = 0n
  // EIP-658: receipts carry a status instead of the post-transaction state root.
  const receiptStatus = rules.isActive(658)

  block.transactions.forEach((bytes, index) => {
    let tx: Transaction
    let validated: ValidatedTransaction
    try {
      tx = decodeTransaction(bytes)
      validated = validateTransaction(tx, rules, chain.chainId, options.senders?.[index])
    } catch (error) {
      throw invalidTransaction(index, error)
    }
    const { sender, intrinsicGas, floorGas } = validated
    let outcome: ReturnType<Vm['processTransaction']>
    try {
      outcome = vm.processTransaction(state, normalizeTransaction(tx, { sender }), env, rules, {
        validated: { intrinsicGas, floorGas },
        blockUsage: { gasUsed, blobGasUsed },
      })
    } catch (error) {
      throw invalidTransaction(index, error)
    }
    const txBlobGas = tx.type === 3 ? BigInt(tx.blobVersionedHashes.length) * CONSTANTS.gasPerBlob : 0n
    gasUsed += outcome.gasUsed
    blobGasUsed += txBlobGas
    const receiptBloom = logsBloom(outcome.logs)
    bloomMerge(bloom, receiptBloom)
    const receipt: Receipt = {
      type: tx.type,
      cumulativeGasUsed: gasUsed,
      logsBloom: receiptBloom,
      logs: outcome.logs,
    }
    if (receiptStatus) receipt.status = outcome.success ? 1 : 0
    else receipt.postState = state.stateRoot()
    receipts.push(receipt)
    for (const log of outcome.logs) allLogs.push(log)
  })

  if (block.withdrawals) {
    const withdrawals = block.withdrawals
    outsideTransaction(state, rules, (touched) => {
      for (const w of withdrawals) credit(state, bytesToBigInt(w.address), w.amount * GWEI, touched)
    })
  }

  if (!rules.gte(Fork.Paris)) {
    const reward = rules.params.blockReward
    outsideTransaction(state, rules, (touched) => {
      const coinbase = bytesToBigInt(header.coinbase)
      credit(state, coinbase, reward + BigInt(block.uncles.length) * (reward / 32n), touched)
      for (const uncle of block.uncles) {
        const amount = ((8n + uncle.number - header.number) * reward) / 8n
        credit(state, bytesToBigInt(uncle.coinbase), amount, touched)
      }
    })
  }

  const result: BlockResult = {
    receipts,
    gasUsed,
    blobGasUsed,
    logsBloom: bloom,
    receiptsRoot: receiptsRoot(receipts),
    stateRoot: new Uint8Array(0),
  }

  if (rules.isActive(7685)) {
    const requests: Uint8Array[] = []
    const depositContract = hexToBigInt(
      chain.depositContractAddress ?? SYSTEM_ADDRESSES.mainnetDepositContract,
    )
    const deposits = depositRequests(allLogs, depositContract)
    if (deposits.length > 0) requests.push(concatBytes(Uint8Array.of(DEPOSIT_REQUEST_TYPE), deposits))
    const checked = (target: bigint, type: number) => {
      if (state.getCode(target).length === 0) {
        throw new BlockError('SYSTEM_CONTRACT_FAILED', `system contract ${target.toString(16)} has no code`)
      }
      const out = vm.systemCall(state, target, new Uint8Array(0), env, rules)
      if (!out.success)
        throw new BlockError('SYSTEM_CONTRACT_FAILED', `system contract ${target.toString(16)} failed`)
      if (out.output.length > 0) requests.push(concatBytes(Uint8Array.of(type), out.output))
    }
    checked(WITHDRAWAL_REQUESTS, WITHDRAWAL_REQUEST_TYPE)
    checked(CONSOLIDATION_REQUESTS, CONSOLIDATION_REQUEST_TYPE)
    result.requests = requests
    result.requestsHash = requestsHash(requests)
  }

  result.stateRoot = state.stateRoot()
  return result
}
