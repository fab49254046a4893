import type { BlockEnv, Host, Log, TransactionInput } from '@crucible/evm-types'
import { delegationTarget, type ForkRules } from '@crucible/forks'
import type { Precompile } from '@crucible/precompiles'
import { bytesToWord, createAddress, wordToAddress } from '@crucible/primitives'
import { type TransactionGas, validateTransactionRules } from '@crucible/tx'
import { type HaltReason, Outcome } from '../errors.js'
import { Context } from '../interpreter/context.js'
import { splitGas } from '../interpreter/frame.js'
import type { ExecutionAbortedError, ExecutionLimits } from '../interpreter/limits.js'
import { executeMessage } from '../message/driver.js'
import { type MachineSnapshot, resumeMachine } from '../message/machine.js'
import { callMessage, createMessage, type Message } from '../message/message.js'
import type { Inspector } from '../tracing/inspector.js'
import { applyAuthorizations } from './authorizations.js'
import { type BlockUsage, checkTransaction } from './check.js'

/** The outcome of an included transaction. */
export interface TransactionResult {
  /** The receipt status: 1 when `outcome` is {@link Outcome.Success}, else 0. */
  status: 0 | 1
  outcome: Outcome
  /** Gas the block is charged: after the refund cap and the EIP-7623 floor. */
  gasUsed: bigint
  /** The refund granted (already deducted from `gasUsed`). */
  gasRefund: bigint
  /** Logs of a successful transaction (empty otherwise). */
  logs: Log[]
  /** Return (or revert) data; the deployed code for a successful creation. */
  output: Uint8Array
  /** The new contract of a successful creation. */
  createdAddress?: bigint
  /** EIP-4844 blob gas. */
  blobGasUsed: bigint
  /** Why the message halted, when `outcome` is {@link Outcome.Halt}. */
  halt?: HaltReason
}

export interface ProcessTransactionOptions {
  inspector?: Inspector
  /**
   * The precompiles by address, replacing the fork's set for dispatch (a state override that
   * moves a precompile: eth_simulateV1's `movePrecompileToAddress`). The fork's addresses are
   * still the ones warmed, as geth does.
   */
  precompiles?: ReadonlyMap<bigint, Precompile>
  /**
   * The gas figures of `@crucible/tx` `validateTransaction` (or `validateTransactionRules`)
   * for this transaction: its static rules passed, and are not checked again. Without it,
   * `processTransaction` checks them first.
   */
  validated?: TransactionGas
  /** Gas and blob gas the block's earlier transactions used (block import); default none. */
  blockUsage?: BlockUsage
  /**
   * Bounds beyond gas for untrusted code (memory, output, logs, an interrupt for time): a run
   * that crosses one throws {@link ExecutionAbortedError} instead of returning a result.
   */
  limits?: ExecutionLimits
}

/**
 * Runs one transaction against `host` (execution-specs' `process_transaction`): the static
 * rules (unless `options.validated`) and {@link checkTransaction} (both throw `TxValidationError`
 * from `@crucible/tx` before any state change), gas purchase, nonce,
 * EIP-2929/2930/3651 warm sets, EIP-7702 authorizations, the message, refunds (EIP-3529 cap,
 * EIP-7623 floor), fee payment (EIP-1559 priority fee to the coinbase, base fee burnt), and
 * `host.endTransaction` with the self-destructed accounts.
 */
export function processTransaction(
  host: Host,
  tx: TransactionInput,
  block: BlockEnv,
  rules: ForkRules,
  options: ProcessTransactionOptions = {},
): TransactionResult {
  return runPreparedTransaction(host, prepareTransaction(host, tx, block, rules, options), options)
}

/**
 * A transaction whose prologue has run (see {@link prepareTransaction}): plain data, so it can
 * be run again on a host brought back to the state the prologue left.
 */
export interface PreparedTransaction {
  readonly tx: TransactionInput
  readonly block: BlockEnv
  readonly rules: ForkRules
  /** The transaction's own message (depth 0). */
  readonly message: Message
  readonly gasPrice: bigint
  /** EIP-7623 floor of the gas used. */
  readonly floorGas: bigint
  readonly blobGasUsed: bigint
  /** EIP-7702 refund for authorities that already existed. */
  readonly authRefund: bigint
}

export interface RunPreparedOptions extends ProcessTransactionOptions {
  /**
   * Resume from this snapshot (from {@link captureMachine} during a run of the same prepared
   * transaction) instead of starting the message; the host must be in the state it was in
   * when the snapshot was taken. Hooks see only what follows: no `enter` for the frames
   * already running.
   */
  resume?: MachineSnapshot
}

/**
 * The part of {@link processTransaction} before the message: validation (the static rules
 * unless `options.validated` has their figures, then the state and block checks; throws
 * `TxValidationError` with the host untouched), `host.beginTransaction`, gas purchase, nonce,
 * warm sets, EIP-7702 authorizations.
 */
export function prepareTransaction(
  host: Host,
  tx: TransactionInput,
  block: BlockEnv,
  rules: ForkRules,
  options: Pick<ProcessTransactionOptions, 'validated' | 'blockUsage'> = {},
): PreparedTransaction {
  const gas = options.validated ?? validateTransactionRules(tx, rules)
  const v = checkTransaction(host, tx, block, rules, gas, options.blockUsage)
  const p = rules.params
  const sender = tx.sender
  const gasPrice = v.effectiveGasPrice

  host.beginTransaction()
  host.setBalance(sender, host.getBalance(sender) - tx.gasLimit * gasPrice - v.blobFee)
  host.setNonce(sender, tx.nonce + 1n)

  const ctx = new Context(host, rules, block, sender, gasPrice, tx.blobVersionedHashes ?? [], undefined)
  const to = tx.to
  const target = to ?? bytesToWord(createAddress(wordToAddress(sender), tx.nonce))
  if (ctx.eip2929) {
    host.warmAccount(sender)
    host.warmAccount(target)
    for (const a of p.precompiles) host.warmAccount(BigInt(a))
    if (rules.isActive(3651)) host.warmAccount(block.coinbase)
    for (const entry of tx.accessList ?? []) {
      host.warmAccount(entry.address)
      for (const key of entry.storageKeys) host.warmSlot(entry.address, key)
    }
  }

  const authRefund = tx.type === 4 ? applyAuthorizations(ctx, tx.authorizationList ?? []) : 0n

  // Frame gas is a JS number; a limit beyond 2^53 travels as a bigint excess beside it.
  const [frameGas, excess] = splitGas(tx.gasLimit - v.intrinsicGas)
  let message: Message
  if (to === undefined)
    message = createMessage({
      caller: sender,
      address: target,
      value: tx.value,
      initcode: tx.data,
      gas: frameGas,
      gasExcess: excess,
    })
  else {
    let code = host.getCode(to)
    let codeAddress = to
    let delegated = false
    if (rules.isActive(7702)) {
      const d = delegationTarget(code)
      if (d !== undefined) {
        codeAddress = d
        delegated = true
        host.warmAccount(d)
        code = host.getCode(d)
      }
    }
    message = callMessage({
      caller: sender,
      address: to,
      codeAddress,
      value: tx.value,
      input: tx.data,
      code,
      gas: frameGas,
      gasExcess: excess,
      disablePrecompiles: delegated,
    })
  }
  return {
    tx,
    block,
    rules,
    message,
    gasPrice,
    floorGas: v.floorGas,
    blobGasUsed: v.blobGasUsed,
    authRefund,
  }
}

/**
 * The rest of {@link processTransaction}: the message (or its remainder, with `resume`),
 * refunds, fee payment and `host.endTransaction`.
 */
export function runPreparedTransaction(
  host: Host,
  prepared: PreparedTransaction,
  options: RunPreparedOptions = {},
): TransactionResult {
  const { tx, block, rules, message, gasPrice } = prepared
  const p = rules.params
  const sender = tx.sender
  const ctx = new Context(
    host,
    rules,
    block,
    sender,
    gasPrice,
    tx.blobVersionedHashes ?? [],
    options.inspector,
    options.precompiles,
    options.limits,
  )
  const result =
    options.resume === undefined ? executeMessage(ctx, message) : resumeMachine(ctx, options.resume)

  const gasLeft = BigInt(result.gasLeft) + result.gasExcess
  const usedBeforeRefund = tx.gasLimit - gasLeft
  const success = result.outcome === Outcome.Success
  let refundCounter = prepared.authRefund + (success ? BigInt(result.refund) : 0n)
  if (refundCounter < 0n) refundCounter = 0n
  const cap = usedBeforeRefund / BigInt(p.maxRefundQuotient)
  const refund = refundCounter < cap ? refundCounter : cap
  let gasUsed = usedBeforeRefund - refund
  if (gasUsed < prepared.floorGas) gasUsed = prepared.floorGas

  host.setBalance(sender, host.getBalance(sender) + (tx.gasLimit - gasUsed) * gasPrice)
  const baseFee = rules.isActive(1559) ? block.baseFee : 0n
  const coinbase = block.coinbase
  host.setBalance(coinbase, host.getBalance(coinbase) + gasUsed * (gasPrice - baseFee))
  // A zero fee still touches the coinbase, so EIP-161 removes it if it is empty.
  const clearEmpty = rules.isActive(161)
  if (clearEmpty) host.touch(coinbase)
  host.endTransaction(success && result.selfdestructs ? result.selfdestructs : [], clearEmpty)

  const out: TransactionResult = {
    status: success ? 1 : 0,
    outcome: result.outcome,
    gasUsed,
    gasRefund: refund,
    logs: success && result.logs ? result.logs : [],
    output: result.output,
    blobGasUsed: prepared.blobGasUsed,
  }
  if (success && tx.to === undefined) out.createdAddress = message.address
  if (result.halt !== undefined) out.halt = result.halt
  return out
}
