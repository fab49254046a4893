import { type BlockHeader, blockEnv } from '@crucible/block'
import {
  type AccessListEntry,
  type Authorization,
  type BlockEnv,
  type FrameState,
  type Host,
  type Inspector,
  Outcome,
  processTransaction,
  type TransactionInput,
  type TransactionResult,
} from '@crucible/evm'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import { bytesToBigInt, bytesToHex, bytesToUtf8, CrucibleError } from '@crucible/primitives'
import { recoverAuthority, type SignedAuthorization, TxValidationError } from '@crucible/tx'
import { RpcError, RpcErrorCode, serverError } from './errors.js'
import { address, argError, bytes, object, quantity } from './params.js'

/** The fields of a call object (geth's `TransactionArgs`). */
export interface CallArgs {
  from?: bigint
  to?: bigint
  gas?: bigint
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  maxFeePerBlobGas?: bigint
  value?: bigint
  nonce?: bigint
  data?: Uint8Array
  accessList?: AccessListEntry[]
  blobVersionedHashes?: Uint8Array[]
  authorizationList?: Authorization[]
  /** The authorizations as signed (for the transaction a simulation builds). */
  signedAuthorizations?: SignedAuthorization[]
  type?: number
  chainId?: bigint
}

export interface CallLimits {
  /** Most gas a call may use (default 50,000,000). */
  gasCap: bigint
  /** Wall-clock bound of one execution in milliseconds (default 5,000). */
  timeoutMs: number
}

export const DEFAULT_LIMITS: CallLimits = { gasCap: 50_000_000n, timeoutMs: 5_000 }

/** Decodes a call object; `index` names the argument in errors. */
export function callArgs(value: unknown, index: number): CallArgs {
  const o = object(value, index)
  const out: CallArgs = {}
  const q = (key: string, bits = 256) =>
    o[key] === undefined || o[key] === null ? undefined : quantity(o[key], index, bits)
  if (o.from != null) out.from = address(o.from, index)
  if (o.to != null) out.to = address(o.to, index)
  const gas = q('gas', 64)
  if (gas !== undefined) out.gas = gas
  for (const key of [
    'gasPrice',
    'maxFeePerGas',
    'maxPriorityFeePerGas',
    'maxFeePerBlobGas',
    'value',
    'chainId',
  ] as const) {
    const v = q(key)
    if (v !== undefined) out[key] = v
  }
  const nonce = q('nonce', 64)
  if (nonce !== undefined) out.nonce = nonce
  const type = q('type', 8)
  if (type !== undefined) out.type = Number(type)
  if (o.input != null && o.data != null) {
    const a = bytes(o.input, index)
    const b = bytes(o.data, index)
    if (bytesToHex(a) !== bytesToHex(b))
      throw argError(
        index,
        'both "data" and "input" are set and not equal. Please use "input" to pass transaction call data',
      )
    out.data = a
  } else if (o.input != null) out.data = bytes(o.input, index)
  else if (o.data != null) out.data = bytes(o.data, index)
  if (o.accessList != null) {
    if (!Array.isArray(o.accessList)) throw argError(index, 'accessList must be an array')
    out.accessList = o.accessList.map((e) => {
      const entry = object(e, index)
      const keys = entry.storageKeys ?? []
      if (!Array.isArray(keys)) throw argError(index, 'storageKeys must be an array')
      return {
        address: address(entry.address, index),
        storageKeys: keys.map((k) => bytesToBigInt(bytes(k, index, 32))),
      }
    })
  }
  if (o.blobVersionedHashes != null) {
    if (!Array.isArray(o.blobVersionedHashes)) throw argError(index, 'blobVersionedHashes must be an array')
    out.blobVersionedHashes = o.blobVersionedHashes.map((h) => bytes(h, index, 32))
  }
  if (o.authorizationList != null) {
    if (!Array.isArray(o.authorizationList)) throw argError(index, 'authorizationList must be an array')
    out.signedAuthorizations = []
    out.authorizationList = o.authorizationList.map((e) => {
      const a = object(e, index)
      const signed = {
        chainId: quantity(a.chainId, index),
        address: address(a.address, index),
        nonce: quantity(a.nonce, index, 64),
        yParity: quantity(a.yParity ?? a.v, index, 8),
        r: quantity(a.r, index),
        s: quantity(a.s, index),
      }
      out.signedAuthorizations!.push(signed)
      return {
        chainId: signed.chainId,
        address: signed.address,
        nonce: signed.nonce,
        authority: recoverAuthority(signed),
      }
    })
  }
  return out
}

/** The type a call object means: explicit, or by the fields present (as geth infers it). */
function inferType(args: CallArgs): number {
  if (args.type !== undefined) return args.type
  if (args.authorizationList) return 4
  if (args.blobVersionedHashes) return 3
  if (args.maxFeePerGas !== undefined || args.maxPriorityFeePerGas !== undefined) return 2
  if (args.accessList) return 1
  return 0
}

/** The smaller of two bigints (Math.min takes numbers only). */
export const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b)

export interface PreparedCall {
  tx: TransactionInput
  env: BlockEnv
}

/**
 * The transaction and block environment of a call, with geth's defaults: sender 0x0, the
 * state's nonce, gas up to the cap and the block (and EIP-7825) limits, and — when no fee is
 * given — a zero gas price with the base fees zeroed too (geth's `NoBaseFee`), so a call
 * needs no funds.
 */
export function prepareCall(
  args: CallArgs,
  state: Host,
  header: BlockHeader,
  rules: ForkRules,
  chain: ChainConfig,
  limits: CallLimits,
  /** Changes the block environment (block overrides) before the no-fee defaults apply. */
  adjust?: (env: BlockEnv) => void,
): PreparedCall {
  const env = blockEnv({ header, transactions: [], uncles: [] }, rules, chain.chainId)
  adjust?.(env)
  const sender = args.from ?? 0n
  const type = inferType(args)
  let gas = args.gas
  if (gas === undefined) {
    gas = minBig(limits.gasCap, header.gasLimit)
  } else if (gas > limits.gasCap) gas = limits.gasCap
  const noFee =
    (args.gasPrice ?? 0n) === 0n &&
    (args.maxFeePerGas ?? 0n) === 0n &&
    (args.maxPriorityFeePerGas ?? 0n) === 0n
  if (noFee) env.baseFee = 0n
  if ((args.maxFeePerBlobGas ?? 0n) === 0n) env.blobBaseFee = 0n
  const tx: TransactionInput = {
    type,
    sender,
    to: args.to,
    nonce: state.getNonce(sender),
    value: args.value ?? 0n,
    data: args.data ?? new Uint8Array(0),
    gasLimit: gas,
    chainId: args.chainId ?? chain.chainId,
  }
  if (type >= 2) {
    let maxFee = args.maxFeePerGas
    let tip = args.maxPriorityFeePerGas
    if (maxFee === undefined) maxFee = args.gasPrice ?? (tip !== undefined ? tip + env.baseFee * 2n : 0n)
    if (tip === undefined) tip = args.gasPrice !== undefined ? maxFee : 0n
    tx.maxFeePerGas = maxFee
    tx.maxPriorityFeePerGas = tip
  } else tx.gasPrice = args.gasPrice ?? 0n
  if (type >= 1) tx.accessList = args.accessList ?? []
  if (type === 3) {
    tx.blobVersionedHashes = args.blobVersionedHashes ?? []
    tx.maxFeePerBlobGas = args.maxFeePerBlobGas ?? 0n
  }
  if (type === 4) tx.authorizationList = args.authorizationList ?? []
  return { tx, env }
}

/** Rules for a call: no EIP-7825 cap (geth skips transaction checks for calls and simulations). */
export function callRules(rules: ForkRules): ForkRules {
  if (rules.params.txGasLimitCap === undefined) return rules
  return Object.create(rules, {
    params: { value: { ...rules.params, txGasLimitCap: undefined } },
  }) as ForkRules
}

/**
 * The host a call runs on: the sender's code hidden during validation when it has
 * some (geth skips the EIP-3607 check for calls), and `warm` warmed as the transaction starts
 * (precompile addresses a state override displaced stay warm, as geth warms the fork's list).
 */
export function callHost(state: Host, hideCodeOf: bigint | undefined, warm: readonly bigint[]): Host {
  if (hideCodeOf === undefined && warm.length === 0) return state
  let started = false
  return new Proxy(state, {
    get(target, prop) {
      if (prop === 'beginTransaction')
        return () => {
          started = true
          target.beginTransaction()
          for (const a of warm) target.warmAccount(a)
        }
      if (!started && prop === 'getCode' && hideCodeOf !== undefined)
        return (a: bigint) => (a === hideCodeOf ? new Uint8Array(0) : target.getCode(a))
      const v = Reflect.get(target, prop, target)
      return typeof v === 'function' ? v.bind(target) : v
    },
  }) as Host
}

class ExecutionTimeout extends CrucibleError {
  constructor(ms: number) {
    super('EXECUTION_TIMEOUT', `execution aborted (timeout = ${ms / 1000}s)`)
  }
}

/** Calls `inner` and aborts the execution (by throwing) once `timeoutMs` have passed. */
function timeoutInspector(timeoutMs: number, inner?: Inspector): Inspector {
  const deadline = Date.now() + timeoutMs
  let steps = 0
  const step = inner?.step
  return {
    step(frame: FrameState) {
      if ((++steps & 0xfff) === 0 && Date.now() > deadline) throw new ExecutionTimeout(timeoutMs)
      step?.call(inner, frame)
    },
    ...(inner?.stepEnd ? { stepEnd: inner.stepEnd.bind(inner) } : {}),
    ...(inner?.log ? { log: inner.log.bind(inner) } : {}),
    ...(inner?.enter ? { enter: inner.enter.bind(inner) } : {}),
    ...(inner?.exit ? { exit: inner.exit.bind(inner) } : {}),
  }
}

/**
 * geth's wording of the transaction-level errors a call can hit; the others keep the
 * rejection's own reason.
 */
export function invalidTransactionMessage(error: TxValidationError, tx: TransactionInput): string {
  const d = error.details
  const from = `0x${tx.sender.toString(16).padStart(40, '0')}`
  switch (error.rejection) {
    case 'INSUFFICIENT_ACCOUNT_FUNDS':
    // A gas cost beyond 256 bits is one no balance can pay.
    case 'GASLIMIT_PRICE_PRODUCT_OVERFLOW':
      return `insufficient funds for gas * price + value: address ${from}`
    case 'NONCE_MISMATCH_TOO_LOW':
      return `nonce too low: address ${from}, tx: ${tx.nonce} state: ${String(d.expected ?? d.state ?? '')}`
    case 'NONCE_MISMATCH_TOO_HIGH':
      return `nonce too high: address ${from}, tx: ${tx.nonce} state: ${String(d.expected ?? d.state ?? '')}`
    case 'INTRINSIC_GAS_TOO_LOW':
      return 'intrinsic gas too low'
    case 'INSUFFICIENT_MAX_FEE_PER_GAS':
      return `max fee per gas less than block base fee: address ${from}`
    case 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS':
      return `max priority fee per gas higher than max fee per gas: address ${from}`
    case 'SENDER_NOT_EOA':
      return `sender not an eoa: address ${from}`
    default:
      return d.reason
  }
}

/**
 * Runs a prepared call on `state` (which it changes: pass a copy). Transaction-level
 * failures are -32000 errors; a revert or halt is returned in the result.
 */
export function execute(
  state: Host,
  call: PreparedCall,
  rules: ForkRules,
  limits: CallLimits,
  inspector?: Inspector,
): TransactionResult {
  // Like geth, a call may come from an account with code and skips the EIP-7825 cap.
  const code = state.getCode(call.tx.sender)
  const host = code.length > 0 ? callHost(state, call.tx.sender, []) : state
  try {
    return processTransaction(host, call.tx, call.env, callRules(rules), {
      inspector: timeoutInspector(limits.timeoutMs, inspector),
    })
  } catch (error) {
    if (error instanceof TxValidationError) throw serverError(invalidTransactionMessage(error, call.tx))
    if (error instanceof ExecutionTimeout) throw serverError(error.shortMessage)
    throw error
  }
}

const ERROR_SELECTOR = '08c379a0'
const PANIC_SELECTOR = '4e487b71'
const PANICS: Record<number, string> = {
  0: 'generic panic',
  1: 'assert(false)',
  17: 'arithmetic underflow or overflow',
  18: 'division or modulo by zero',
  33: 'enum overflow',
  34: 'invalid encoded storage byte array accessed',
  49: 'out-of-bounds array access; popping on an empty array',
  50: 'out-of-bounds access of an array or bytesN',
  65: 'out of memory',
  81: 'uninitialized function',
}

/** The text of an ABI `Error(string)` or `Panic(uint256)` revert, if it is one. */
export function revertReason(output: Uint8Array): string | undefined {
  const hex = bytesToHex(output).slice(2)
  if (hex.startsWith(ERROR_SELECTOR) && output.length >= 68) {
    const length = Number(bytesToBigInt(output.subarray(36, 68)))
    if (68 + length <= output.length) return bytesToUtf8(output.subarray(68, 68 + length))
  }
  if (hex.startsWith(PANIC_SELECTOR) && output.length === 36) {
    const code = Number(bytesToBigInt(output.subarray(4, 36)))
    return PANICS[code] ?? `unknown panic code: 0x${code.toString(16)}`
  }
  return undefined
}

const HALT_MESSAGES: Record<string, string> = {
  OutOfGas: 'out of gas',
  StackUnderflow: 'stack underflow',
  StackOverflow: 'stack limit reached 1024 (1023)',
  InvalidJump: 'invalid jump destination',
  InvalidOpcode: 'invalid opcode',
  WriteInStaticContext: 'write protection',
  OutOfBoundsRead: 'return data out of bounds',
  AddressCollision: 'contract address collision',
  InvalidContractPrefix: 'invalid code: must not begin with 0xef',
  CodeSizeExceeded: 'max code size exceeded',
  InitCodeSizeExceeded: 'max initcode size exceeded',
  PrecompileError: 'precompile error',
}

/** geth's message for a failed execution. */
export function failureMessage(result: TransactionResult): string {
  if (result.outcome === Outcome.Revert) {
    const reason = revertReason(result.output)
    return reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`
  }
  return HALT_MESSAGES[result.halt ?? ''] ?? result.halt ?? 'execution failed'
}

/** The error `eth_call` answers a failed execution with: 3 with the revert data, else -32000. */
export function failureError(result: TransactionResult): RpcError {
  if (result.outcome === Outcome.Revert)
    return new RpcError(RpcErrorCode.Reverted, failureMessage(result), bytesToHex(result.output))
  return serverError(failureMessage(result))
}
