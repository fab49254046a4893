import {
  type Block,
  type BlockHeader,
  blockEnv,
  bloomMerge,
  CONSOLIDATION_REQUEST_TYPE,
  calcBaseFee,
  calcBlobBaseFee,
  calcExcessBlobGas,
  DEPOSIT_REQUEST_TYPE,
  defaultVm,
  depositRequests,
  encodeReceipt,
  headerHash,
  logsBloom,
  type Receipt,
  requestsHash,
  transactionsRoot,
  WITHDRAWAL_REQUEST_TYPE,
  withdrawalsRoot,
} from '@crucible/block'
import { type BlockEnv, type Host, Outcome, processTransaction, type TransactionResult } from '@crucible/evm'
import { CONSTANTS, Fork, MAX_NONCE, SYSTEM_ADDRESSES } from '@crucible/forks'
import {
  bytesToHex,
  concatBytes,
  hexToBigInt,
  KECCAK256_RLP_EMPTY,
  KECCAK256_RLP_EMPTY_LIST,
  numberToHex,
} from '@crucible/primitives'
import { encodeTransaction, type TxRejection, TxValidationError, transactionHash } from '@crucible/tx'
import {
  type CallArgs,
  callArgs,
  callHost,
  callRules,
  failureMessage,
  invalidTransactionMessage,
  minBig,
} from './call.js'
import type { ChainBlock, ChainState } from './chain.js'
import type { Handler, RpcContext } from './context.js'
import { RpcError, RpcErrorCode } from './errors.js'
import { addressHex, blockToJson, wordHex } from './format.js'
import { stateBlock } from './lookup.js'
import {
  type AccountOverride,
  type BlockOverrides,
  parseBlockOverrides,
  parseStateOverrides,
  type StateOverrides,
} from './overrides.js'
import { argError, blockRef, object, required } from './params.js'
import { callInput, callTransaction, movedPrecompiles, withoutPrecompiles } from './simulate-call.js'
import { LogTracer, type SimLog } from './simulate-tracer.js'

/** eth_simulateV1 error codes (execution-apis `src/eth/execute.yaml`, geth's values). */
export const SimulateErrorCode = {
  NonceTooLow: -38010,
  NonceTooHigh: -38011,
  BaseFeeTooLow: -38012,
  IntrinsicGas: -38013,
  InsufficientFunds: -38014,
  BlockGasLimitReached: -38015,
  BlockNumberInvalid: -38020,
  BlockTimestampInvalid: -38021,
  SenderIsNotEoa: -38024,
  MaxInitCodeSizeExceeded: -38025,
  ClientLimitExceeded: -38026,
  VmError: -32015,
} as const

const MAX_BLOCKS = 256n
const MAX_CALLS = 10_000
const TIMESTAMP_INCREMENT = 12n
const BEACON_ROOTS = hexToBigInt(SYSTEM_ADDRESSES.beaconRoots)
const HISTORY_STORAGE = hexToBigInt(SYSTEM_ADDRESSES.historyStorage)
const WITHDRAWAL_REQUESTS = hexToBigInt(SYSTEM_ADDRESSES.withdrawalRequests)
const CONSOLIDATION_REQUESTS = hexToBigInt(SYSTEM_ADDRESSES.consolidationRequests)

interface SimBlock {
  overrides: BlockOverrides
  stateOverrides: StateOverrides
  calls: CallArgs[]
}

const fail = (code: number, message: string) => new RpcError(code, message)

function setNonce(state: Host, address: bigint, nonce: bigint): void {
  state.beginTransaction()
  state.setNonce(address, nonce)
  state.endTransaction([], false)
}

function parseBlocks(value: unknown): SimBlock[] {
  const o = object(value, 0)
  const list = o.blockStateCalls
  if (!Array.isArray(list)) throw argError(0, 'blockStateCalls must be an array')
  if (list.length === 0) throw new RpcError(RpcErrorCode.InvalidParams, 'empty input')
  if (list.length > Number(MAX_BLOCKS)) throw fail(SimulateErrorCode.ClientLimitExceeded, 'too many blocks')
  let total = 0
  return list.map((b) => {
    const x = object(b, 0)
    const calls = x.calls == null ? [] : x.calls
    if (!Array.isArray(calls)) throw argError(0, 'calls must be an array')
    total += calls.length
    if (total > MAX_CALLS)
      throw fail(SimulateErrorCode.ClientLimitExceeded, `too many calls: ${total} > ${MAX_CALLS}`)
    return {
      overrides: parseBlockOverrides(x.blockOverrides),
      stateOverrides: parseStateOverrides(x.stateOverrides, 0),
      calls: calls.map((c) => callArgs(c, 0)),
    }
  })
}

/** Block numbers and timestamps in order, gaps filled with empty blocks (geth's sanitizeChain). */
function sanitizeChain(blocks: SimBlock[], base: BlockHeader): SimBlock[] {
  const out: SimBlock[] = []
  let prevNumber = base.number
  let prevTime = base.timestamp
  for (const block of blocks) {
    const o = block.overrides
    const number = o.number ?? prevNumber + 1n
    if (number <= prevNumber)
      throw fail(
        SimulateErrorCode.BlockNumberInvalid,
        `block numbers must be in order: ${number} <= ${prevNumber}`,
      )
    if (number - base.number > MAX_BLOCKS)
      throw fail(SimulateErrorCode.ClientLimitExceeded, 'too many blocks')
    for (let n = prevNumber + 1n; n < number; n++) {
      prevTime += TIMESTAMP_INCREMENT
      out.push({
        overrides: { number: n, time: prevTime, withdrawals: [] },
        stateOverrides: new Map(),
        calls: [],
      })
    }
    prevNumber = number
    let time = o.time
    if (time === undefined) time = prevTime + TIMESTAMP_INCREMENT
    else if (time <= prevTime)
      throw fail(
        SimulateErrorCode.BlockTimestampInvalid,
        `block timestamps must be in order: ${time} <= ${prevTime}`,
      )
    prevTime = time
    out.push({ ...block, overrides: { ...o, number, time, withdrawals: o.withdrawals ?? [] } })
  }
  return out
}

/**
 * Applies a block's state overrides (geth's `StateOverride.Apply`, in address order): records
 * the precompile addresses they displace in `removed` and the precompiles they move in
 * `moves` (destination → the fork's address of the precompile; a later move to the same
 * destination wins).
 */
function applyOverrides(
  state: Host,
  overrides: StateOverrides,
  precompiles: Set<number>,
  removed: Set<number>,
  moves: Map<bigint, number>,
): void {
  if (overrides.size === 0) return
  const addresses = [...overrides.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const moved = new Set<bigint>()
  const isPrecompile = (a: bigint) => a <= 0x100n && precompiles.has(Number(a)) && !removed.has(Number(a))
  state.beginTransaction()
  for (const a of addresses) {
    const o = overrides.get(a) as AccountOverride
    if (moved.has(a))
      throw new RpcError(
        RpcErrorCode.Server,
        `account ${addressHex(a)} has already been overridden by a precompile`,
      )
    const precompile = isPrecompile(a)
    if (o.movePrecompileToAddress !== undefined) {
      if (!precompile) throw new RpcError(RpcErrorCode.Server, `account ${addressHex(a)} is not a precompile`)
      if (overrides.has(o.movePrecompileToAddress))
        throw new RpcError(
          RpcErrorCode.Server,
          `account ${addressHex(o.movePrecompileToAddress)} is already overridden`,
        )
      moves.set(o.movePrecompileToAddress, Number(a))
      moved.add(o.movePrecompileToAddress)
    }
    if (precompile) removed.add(Number(a))
    if (o.nonce !== undefined) state.setNonce(a, o.nonce)
    if (o.code !== undefined) state.setCode(a, o.code)
    if (o.balance !== undefined) state.setBalance(a, o.balance)
    if (o.state) {
      const balance = state.getBalance(a)
      const nonce = state.getNonce(a)
      const code = state.getCode(a)
      state.createAccount(a)
      state.setBalance(a, balance)
      state.setNonce(a, nonce)
      state.setCode(a, code)
      for (const [k, v] of o.state) state.setStorage(a, k, v)
    }
    if (o.stateDiff) for (const [k, v] of o.stateDiff) state.setStorage(a, k, v)
  }
  state.endTransaction([], false)
}

const VALIDATION_CODES: Partial<Record<TxRejection, number>> = {
  NONCE_MISMATCH_TOO_LOW: SimulateErrorCode.NonceTooLow,
  NONCE_MISMATCH_TOO_HIGH: SimulateErrorCode.NonceTooHigh,
  INSUFFICIENT_MAX_FEE_PER_GAS: SimulateErrorCode.BaseFeeTooLow,
  PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS: RpcErrorCode.InvalidParams,
  INSUFFICIENT_ACCOUNT_FUNDS: SimulateErrorCode.InsufficientFunds,
  GASLIMIT_PRICE_PRODUCT_OVERFLOW: SimulateErrorCode.InsufficientFunds,
  INTRINSIC_GAS_TOO_LOW: SimulateErrorCode.IntrinsicGas,
  INTRINSIC_GAS_BELOW_FLOOR_GAS_COST: SimulateErrorCode.IntrinsicGas,
  SENDER_NOT_EOA: SimulateErrorCode.SenderIsNotEoa,
  INITCODE_SIZE_EXCEEDED: SimulateErrorCode.MaxInitCodeSizeExceeded,
}

function logJson(
  log: SimLog,
  block: { number: bigint; timestamp: bigint },
  txHash: Uint8Array,
  txIndex: number,
) {
  return {
    address: addressHex(log.address),
    topics: log.topics.map(wordHex),
    data: bytesToHex(log.data),
    blockNumber: numberToHex(block.number),
    transactionHash: bytesToHex(txHash),
    transactionIndex: numberToHex(txIndex),
    blockHash: '',
    blockTimestamp: numberToHex(block.timestamp),
    logIndex: numberToHex(log.index),
    removed: false,
  }
}

interface SimOptions {
  validation: boolean
  traceTransfers: boolean
  fullTransactions: boolean
}

function simulate(ctx: RpcContext, base: ChainBlock, input: SimBlock[], options: SimOptions): unknown[] {
  const chain = ctx.chain
  const blocks = sanitizeChain(input, base.block.header)
  // BLOCKHASH: the canonical chain up to the base, then the simulated blocks.
  const simulated = new Map<bigint, bigint>()
  const ancestors = new Map<bigint, bigint>()
  for (let b: ChainBlock | undefined = base, i = 0; b && i < 257; i++) {
    ancestors.set(b.block.header.number, BigInt(bytesToHex(b.hash)))
    b = b.block.header.number === 0n ? undefined : chain.blockByHash(b.block.header.parentHash)
  }
  const state: ChainState = chain.stateAt(base, (n) => simulated.get(n) ?? ancestors.get(n) ?? 0n)
  let budget = ctx.limits.gasCap
  let parent: BlockHeader = base.block.header
  let parentHash = base.hash
  const results: unknown[] = []

  for (const block of blocks) {
    const o = block.overrides
    const header: BlockHeader = {
      parentHash,
      ommersHash: KECCAK256_RLP_EMPTY_LIST,
      coinbase: o.feeRecipient ?? parent.coinbase,
      stateRoot: new Uint8Array(32),
      transactionsRoot: KECCAK256_RLP_EMPTY,
      receiptsRoot: KECCAK256_RLP_EMPTY,
      logsBloom: new Uint8Array(256),
      difficulty: o.difficulty ?? parent.difficulty,
      number: o.number!,
      gasLimit: o.gasLimit ?? parent.gasLimit,
      gasUsed: 0n,
      timestamp: o.time!,
      extraData: new Uint8Array(0),
      mixHash: o.prevRandao ?? new Uint8Array(32),
      nonce: new Uint8Array(8),
    }
    const draft: Block = { header, transactions: [], uncles: [] }
    let rules = chain.rules(draft)
    if (rules.gte(Fork.Paris) && o.difficulty === undefined) header.difficulty = 0n
    rules = chain.rules(draft)
    const parentRules = chain.rules({ header: parent, transactions: [], uncles: [] })
    if (rules.isActive(1559)) {
      if (o.baseFeePerGas !== undefined) header.baseFeePerGas = o.baseFeePerGas
      else if (!options.validation) header.baseFeePerGas = 0n
      else
        header.baseFeePerGas =
          parent.baseFeePerGas === undefined
            ? CONSTANTS.initialBaseFee
            : calcBaseFee(
                { gasLimit: parent.gasLimit, gasUsed: parent.gasUsed, baseFeePerGas: parent.baseFeePerGas },
                rules.params,
              )
    }
    if (rules.isActive(4895)) header.withdrawalsRoot = withdrawalsRoot(o.withdrawals ?? [])
    if (rules.isActive(4844)) {
      header.excessBlobGas =
        parentRules.isActive(4844) && rules.params.blob
          ? calcExcessBlobGas(parent, rules.params.blob, rules.isActive(7918))
          : 0n
      header.parentBeaconBlockRoot = o.beaconRoot ?? new Uint8Array(32)
    }
    const env: BlockEnv = blockEnv(draft, rules, chain.config.chainId)
    if (o.blobBaseFee !== undefined) env.blobBaseFee = o.blobBaseFee
    else if (rules.params.blob)
      env.blobBaseFee = calcBlobBaseFee(header.excessBlobGas ?? 0n, rules.params.blob)

    // geth takes the fork's precompiles afresh for every block; overrides displace some.
    const removed = new Set<number>()
    const moves = new Map<bigint, number>()
    applyOverrides(state, block.stateOverrides, new Set(rules.params.precompiles), removed, moves)
    const displaced = [...removed].map((a) => BigInt(a))
    const blockRules = withoutPrecompiles(rules, removed)
    const precompiles = moves.size === 0 ? undefined : movedPrecompiles(rules, removed, moves)
    if (rules.isActive(4788) && header.parentBeaconBlockRoot)
      defaultVm.systemCall(state, BEACON_ROOTS, header.parentBeaconBlockRoot, env, blockRules)
    if (rules.isActive(2935)) defaultVm.systemCall(state, HISTORY_STORAGE, header.parentHash, env, blockRules)

    const tracer = new LogTracer(options.traceTransfers, (a) => state.getBalance(a))
    const transactions: Uint8Array[] = []
    const senders: bigint[] = []
    const receipts: Receipt[] = []
    const calls: Record<string, unknown>[] = []
    const pendingLogs: { json: ReturnType<typeof logJson> }[] = []
    const allLogs: { address: bigint; topics: bigint[]; data: Uint8Array }[] = []
    let gasUsed = 0n
    let blobGasUsed = 0n
    const bloom = new Uint8Array(256)

    block.calls.forEach((c, i) => {
      const sender = c.from ?? 0n
      const stateNonce = state.getNonce(sender)
      const remaining = header.gasLimit - gasUsed
      const wanted = c.gas ?? remaining
      if (remaining < wanted)
        throw fail(
          SimulateErrorCode.BlockGasLimitReached,
          `block gas limit reached: remaining: ${remaining}, required: ${wanted}`,
        )
      const gas = minBig(budget, wanted)
      if (c.gasPrice !== undefined && (c.maxFeePerGas !== undefined || c.maxPriorityFeePerGas !== undefined))
        throw new RpcError(
          RpcErrorCode.Server,
          'both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified',
        )
      if (c.chainId !== undefined && c.chainId !== chain.config.chainId)
        throw new RpcError(
          RpcErrorCode.Server,
          `chainId does not match node's (have=${c.chainId}, want=${chain.config.chainId})`,
        )
      const tx = callTransaction(c, chain.config.chainId, c.nonce ?? stateNonce, gas)
      const txHash = transactionHash(tx)
      const message = callInput(c, tx, sender, options.validation ? (c.nonce ?? stateNonce) : stateNonce)
      // Without validation, zero fee caps skip the base-fee checks (geth's NoBaseFee).
      const txEnv = { ...env }
      if (
        !options.validation &&
        (tx.type === 0 ? tx.gasPrice : (tx as { maxFeePerGas: bigint }).maxFeePerGas) === 0n
      ) {
        const tip = tx.type === 0 ? 0n : (tx as { maxPriorityFeePerGas: bigint }).maxPriorityFeePerGas
        if (tip === 0n) txEnv.baseFee = 0n
      }
      if (!options.validation && tx.type === 3 && (c.maxFeePerBlobGas ?? 0n) === 0n) txEnv.blobBaseFee = 0n
      const code = state.getCode(sender)
      const host = callHost(state, code.length > 0 ? sender : undefined, displaced)
      // A nonce at 2^64 - 1 cannot be used by a transaction; without validation geth runs it
      // anyway and the nonce wraps to 0.
      const wraps = !options.validation && stateNonce >= MAX_NONCE
      if (wraps) setNonce(state, sender, 0n)
      tracer.reset()
      let result: TransactionResult
      try {
        result = processTransaction(
          host,
          wraps ? { ...message, nonce: 0n } : message,
          txEnv,
          callRules(blockRules),
          precompiles ? { inspector: tracer, precompiles } : { inspector: tracer },
        )
        if (wraps) setNonce(state, sender, 0n)
      } catch (error) {
        if (wraps) setNonce(state, sender, stateNonce)
        if (error instanceof TxValidationError) {
          const code = VALIDATION_CODES[error.rejection] ?? RpcErrorCode.Internal
          throw new RpcError(code, invalidTransactionMessage(error, message))
        }
        throw error
      }
      budget -= result.gasUsed
      gasUsed += result.gasUsed
      blobGasUsed += result.blobGasUsed
      const receipt: Receipt = {
        type: tx.type,
        status: result.status,
        cumulativeGasUsed: gasUsed,
        logsBloom: logsBloom(result.logs),
        logs: result.logs,
      }
      bloomMerge(bloom, receipt.logsBloom)
      receipts.push(receipt)
      transactions.push(encodeTransaction(tx))
      senders.push(sender)
      const logs = tracer.logs().map((l) => logJson(l, header, txHash, i))
      for (const json of logs) pendingLogs.push({ json })
      const call: Record<string, unknown> = {
        returnData: result.status === 1 ? bytesToHex(result.output) : '0x',
        logs,
        gasUsed: numberToHex(result.gasUsed),
        maxUsedGas: numberToHex(result.gasUsed + result.gasRefund),
        status: numberToHex(result.status),
      }
      if (result.status === 0) {
        call.error =
          result.outcome === Outcome.Revert
            ? {
                message: failureMessage(result),
                code: RpcErrorCode.Reverted,
                data: bytesToHex(result.output),
              }
            : { message: failureMessage(result), code: SimulateErrorCode.VmError }
      } else for (const l of result.logs) allLogs.push(l)
      calls.push(call)
    })

    header.gasUsed = gasUsed
    if (rules.isActive(4844)) header.blobGasUsed = blobGasUsed
    if (rules.isActive(7685)) {
      const requests: Uint8Array[] = []
      const depositContract = hexToBigInt(
        chain.config.depositContractAddress ?? SYSTEM_ADDRESSES.mainnetDepositContract,
      )
      const deposits = depositRequests(allLogs, depositContract)
      if (deposits.length > 0) requests.push(concatBytes(Uint8Array.of(DEPOSIT_REQUEST_TYPE), deposits))
      for (const [target, type] of [
        [WITHDRAWAL_REQUESTS, WITHDRAWAL_REQUEST_TYPE],
        [CONSOLIDATION_REQUESTS, CONSOLIDATION_REQUEST_TYPE],
      ] as const) {
        const out = defaultVm.systemCall(state, target, new Uint8Array(0), env, blockRules)
        if (out.success && out.output.length > 0) requests.push(concatBytes(Uint8Array.of(type), out.output))
      }
      header.requestsHash = requestsHash(requests)
    }
    if (rules.isActive(4895) && (o.withdrawals?.length ?? 0) > 0) {
      state.beginTransaction()
      for (const w of o.withdrawals!) {
        const a = BigInt(bytesToHex(w.address))
        state.setBalance(a, state.getBalance(a) + w.amount * 1_000_000_000n)
        state.touch(a)
      }
      state.endTransaction([], true)
    }
    if (!rules.gte(Fork.Paris) && header.difficulty !== 0n) {
      // Pre-merge blocks pay the miner (ethash's Finalize).
      const coinbase = BigInt(bytesToHex(header.coinbase))
      state.beginTransaction()
      state.setBalance(coinbase, state.getBalance(coinbase) + rules.params.blockReward)
      state.touch(coinbase)
      state.endTransaction([], rules.isActive(161))
    }
    header.stateRoot = state.stateRoot()
    header.transactionsRoot = transactionsRoot(transactions)
    header.receiptsRoot = receiptsRootOf(receipts)
    header.logsBloom = bloom
    const full: Block = { header, transactions, uncles: [] }
    if (rules.isActive(4895)) full.withdrawals = o.withdrawals ?? []
    const blockHash = headerHash(header)
    for (const { json } of pendingLogs) json.blockHash = bytesToHex(blockHash)
    const stored: ChainBlock = {
      hash: blockHash,
      key: bytesToHex(blockHash),
      block: full,
      totalDifficulty: 0n,
      receipts,
    }
    const out = blockToJson(stored, options.fullTransactions, senders)
    out.calls = calls
    results.push(out)
    simulated.set(header.number, BigInt(bytesToHex(blockHash)))
    parent = header
    parentHash = blockHash
  }
  return results
}

function receiptsRootOf(receipts: Receipt[]): Uint8Array {
  return transactionsRoot(receipts.map(encodeReceipt))
}

export const simulateMethods: Record<string, Handler> = {
  eth_simulateV1(ctx, params) {
    const opts = object(required(params, 0), 0)
    const blocks = parseBlocks(opts)
    const base = stateBlock(ctx.chain, blockRef(params[1], 1))
    return simulate(ctx, base, blocks, {
      validation: opts.validation === true,
      traceTransfers: opts.traceTransfers === true,
      fullTransactions: opts.returnFullTransactions === true,
    })
  },
}
