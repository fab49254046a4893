import type { BlockEnv, Host, Log } from '@crucible/evm-types'
import { delegationTarget, type ForkName, type ForkRules, getForkRules } from '@crucible/forks'
import { bigIntToBytes, bytesToBigInt, createAddress, padLeft, ValueRangeError } from '@crucible/primitives'
import { type HaltReason, Outcome } from './errors.js'
import { Context } from './interpreter/context.js'
import type { ExecutionLimits } from './interpreter/limits.js'
import { executeMessage } from './message/driver.js'
import { callMessage, createMessage, type Message } from './message/message.js'
import type { Inspector } from './tracing/inspector.js'

// The simple way in: run bytecode, or a call, against a state in one line, with defaults for
// everything a transaction would fix (block, fork, gas, caller). Not a transaction: no
// signature, nonce check, gas purchase or fee; the same interpreter, at the same speed.

/** The fork {@link runCode} and {@link runCall} use unless told: the newest one. */
export const DEFAULT_FORK: ForkName = 'Osaka'

/** The gas {@link runCode} and {@link runCall} give the message unless told. */
export const DEFAULT_GAS = 30_000_000n

/** The block {@link runCode} and {@link runCall} run in; `options.block` overrides any field. */
export const DEFAULT_BLOCK: Readonly<BlockEnv> = Object.freeze({
  number: 1n,
  coinbase: 0n,
  timestamp: 1n,
  gasLimit: DEFAULT_GAS,
  difficulty: 0n,
  prevRandao: 0n,
  baseFee: 0n,
  blobBaseFee: 1n,
  chainId: 1n,
})

export interface RunOptions {
  /** A fork name (`'Cancun'`, `'Prague'`, …) or rules from `@crucible/forks`; default {@link DEFAULT_FORK}. */
  fork?: ForkName | ForkRules
  /** Fields of the block environment; the others come from {@link DEFAULT_BLOCK}. */
  block?: Partial<BlockEnv>
  /** CALLER and ORIGIN; default 0n. */
  caller?: bigint
  /** CALLVALUE; default 0n. */
  value?: bigint
  /** Call data (for {@link runCall} without `to`: the initcode); default empty. */
  data?: Uint8Array
  /** Gas for the message; default {@link DEFAULT_GAS}. */
  gas?: bigint
  /** GASPRICE; default 0n. */
  gasPrice?: bigint
  /** Sees every step, call and log (see {@link Inspector}); none by default. */
  inspector?: Inspector
  /** Bounds beyond gas (see {@link ExecutionLimits}); crossing one throws `ExecutionAbortedError`. */
  limits?: ExecutionLimits
}

export interface RunResult {
  outcome: Outcome
  /** Why it halted, when `outcome` is {@link Outcome.Halt}. */
  halt?: HaltReason
  /** Return data; REVERT data on a revert; for a creation, the deployed code. */
  output: Uint8Array
  /** Gas the message used (no intrinsic gas, no refund applied). */
  gasUsed: bigint
  /** The refund counter at the end (what a transaction would refund, before the cap). */
  gasRefund: bigint
  /** Logs, when it succeeded. */
  logs: Log[]
  /** The new contract of a successful creation ({@link runCall} without `to`). */
  createdAddress?: bigint
}

/**
 * Runs `code` as the code of `address` (default 0n) without deploying it, as ethereumjs'
 * `runCode` does: storage reads and writes are `address`'s, CALLVALUE is `options.value`
 * (no value moves). One transaction on `host`: it ends idle, ready for `snapshot()`.
 */
export function runCode(
  host: Host,
  code: Uint8Array,
  options: RunOptions & { address?: bigint } = {},
): RunResult {
  const address = options.address ?? 0n
  const gas = messageGas(options.gas)
  // The code's own account is usually empty (no code, nonce or balance): EIP-161 clearing at
  // the end would delete it with the storage the code just wrote, so runCode does not clear.
  return run(host, options, address, false, (caller) =>
    callMessage({
      caller,
      address,
      code,
      gas,
      value: options.value ?? 0n,
      input: options.data,
      transferValue: false,
    }),
  )
}

/**
 * Calls `to` with its code in `host` (an EIP-7702 delegation is followed), or, without `to`,
 * creates a contract from `options.data` at the caller's next CREATE address (the caller's
 * nonce goes up). The value moves from the caller, who needs the balance. No transaction
 * checks, no gas purchase, no fee; one transaction on `host`, which ends idle.
 */
export function runCall(host: Host, options: RunOptions & { to?: bigint } = {}): RunResult {
  const gas = messageGas(options.gas)
  const value = options.value ?? 0n
  const to = options.to
  return run(host, options, to, true, (caller, rules) => {
    if (to === undefined) {
      const nonce = host.getNonce(caller)
      host.setNonce(caller, nonce + 1n)
      const address = bytesToBigInt(createAddress(padLeft(bigIntToBytes(caller), 20), nonce))
      host.warmAccount(address)
      return createMessage({ caller, address, value, initcode: options.data ?? new Uint8Array(0), gas })
    }
    let code = host.getCode(to)
    let codeAddress = to
    const delegate = rules.isActive(7702) ? delegationTarget(code) : undefined
    if (delegate !== undefined) {
      codeAddress = delegate
      host.warmAccount(delegate)
      code = host.getCode(delegate)
    }
    return callMessage({
      caller,
      address: to,
      codeAddress,
      code,
      gas,
      value,
      input: options.data,
      disablePrecompiles: delegate !== undefined,
    })
  })
}

function messageGas(gas: bigint | undefined): number {
  const value = gas ?? DEFAULT_GAS
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ValueRangeError('gas must be in [0, 2^53)', value)
  return Number(value)
}

function run(
  host: Host,
  options: RunOptions,
  target: bigint | undefined,
  clearEmpty: boolean,
  message: (caller: bigint, rules: ForkRules) => Message,
): RunResult {
  const rules =
    options.fork === undefined || typeof options.fork === 'string'
      ? getForkRules(options.fork ?? DEFAULT_FORK)
      : options.fork
  const block: BlockEnv = { ...DEFAULT_BLOCK, ...options.block }
  const caller = options.caller ?? 0n
  host.beginTransaction()
  const ctx = new Context(
    host,
    rules,
    block,
    caller,
    options.gasPrice ?? 0n,
    [],
    options.inspector,
    undefined,
    options.limits,
  )
  if (ctx.eip2929) {
    host.warmAccount(caller)
    if (target !== undefined) host.warmAccount(target)
    for (const a of rules.params.precompiles) host.warmAccount(BigInt(a))
  }
  const msg = message(caller, rules)
  const result = executeMessage(ctx, msg)
  const success = result.outcome === Outcome.Success
  host.endTransaction(
    success && result.selfdestructs ? result.selfdestructs : [],
    clearEmpty && rules.isActive(161),
  )
  const out: RunResult = {
    outcome: result.outcome,
    output: result.output,
    gasUsed: BigInt(msg.gas - result.gasLeft),
    gasRefund: success ? BigInt(result.refund) : 0n,
    logs: success && result.logs ? result.logs : [],
  }
  if (result.halt !== undefined) out.halt = result.halt
  if (success && result.createdAddress !== undefined) out.createdAddress = result.createdAddress
  return out
}
