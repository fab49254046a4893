import type { BlockEnv, Host, Log } from '@crucible/evm-types'
import { CONSTANTS, type ForkRules, SYSTEM_ADDRESSES } from '@crucible/forks'
import { hexToBigInt } from '@crucible/primitives'
import { type HaltReason, Outcome } from '../errors.js'
import { Context } from '../interpreter/context.js'
import { executeMessage } from '../message/driver.js'
import { callMessage } from '../message/message.js'
import type { Inspector } from '../tracing/inspector.js'

/** The outcome of a system call. */
export interface SystemCallResult {
  outcome: Outcome
  /** Why the message halted, when `outcome` is {@link Outcome.Halt}. */
  halt?: HaltReason
  /** Return (or revert) data. */
  output: Uint8Array
  /** Logs of a successful call (empty otherwise). */
  logs: Log[]
}

export interface SystemCallOptions {
  inspector?: Inspector
}

/**
 * A system call (execution-specs' `process_system_transaction`: EIP-4788 beacon roots,
 * EIP-2935 block hashes, EIP-7002 withdrawal and EIP-7251 consolidation requests): a top-level
 * call from the system address to `target` with `data` and 30M gas, running `target`'s code as
 * it is (no delegation, no precompile), no value transfer, no warm set, nothing charged or
 * counted in the block; it is its own transaction on `host` (begun and ended here, touched
 * empty accounts removed from Spurious Dragon).
 */
export function processSystemCall(
  host: Host,
  target: bigint,
  data: Uint8Array,
  block: BlockEnv,
  rules: ForkRules,
  options: SystemCallOptions = {},
): SystemCallResult {
  const system = hexToBigInt(SYSTEM_ADDRESSES.system)
  host.beginTransaction()
  const ctx = new Context(host, rules, block, system, block.baseFee, [], options.inspector)
  const message = callMessage({
    caller: system,
    address: target,
    input: data,
    code: host.getCode(target),
    gas: Number(CONSTANTS.systemCallGas),
    transferValue: false,
  })
  const result = executeMessage(ctx, message)
  const success = result.outcome === Outcome.Success
  host.endTransaction(success && result.selfdestructs ? result.selfdestructs : [], rules.isActive(161))
  const out: SystemCallResult = {
    outcome: result.outcome,
    output: result.output,
    logs: success && result.logs ? result.logs : [],
  }
  if (result.halt !== undefined) out.halt = result.halt
  return out
}
