import { CallKind, Context, executeMessage, Message, Outcome, processTransaction } from '@crucible/evm'
import { CONSTANTS, SYSTEM_ADDRESSES } from '@crucible/forks'
import { hexToBigInt } from '@crucible/primitives'
import type { Vm } from './vm.js'

const SYSTEM = hexToBigInt(SYSTEM_ADDRESSES.system)
const SYSTEM_CALL_GAS = Number(CONSTANTS.systemCallGas)

/**
 * Block execution on `@crucible/evm`. A system call is the execution-specs'
 * `process_system_transaction`: a top-level message from the system address with 30M gas, no
 * value transfer, no warm set, no fee, then the touched empty accounts removed (EIP-158).
 */
export const defaultVm: Vm = {
  processTransaction(host, tx, block, rules) {
    const result = processTransaction(host, tx, block, rules)
    return { success: result.status === 1, gasUsed: result.gasUsed, logs: result.logs }
  },
  systemCall(host, target, data, block, rules) {
    host.beginTransaction()
    const ctx = new Context(host, rules, block, SYSTEM, block.baseFee, [], undefined)
    const code = host.getCode(target)
    const message = new Message(
      CallKind.Call,
      SYSTEM,
      target,
      target,
      0n,
      data,
      code,
      SYSTEM_CALL_GAS,
      0,
      false,
      false,
      false,
      0,
      0,
    )
    const result = executeMessage(ctx, message)
    const success = result.outcome === Outcome.Success
    host.endTransaction(success && result.selfdestructs ? result.selfdestructs : [], rules.isActive(161))
    return { success, output: result.output }
  },
}
