import { Outcome, type ProcessTransactionOptions, processSystemCall, processTransaction } from '@crucible/evm'
import type { Vm } from './vm.js'

/**
 * Block execution on `@crucible/evm` with options for every transaction (an inspector,
 * execution limits for untrusted input); system calls run as they are (30M gas bounds them).
 */
export function evmVm(options: ProcessTransactionOptions): Vm {
  const plain = Object.keys(options).length === 0
  return {
    processTransaction(host, tx, block, rules, inclusion) {
      const result = processTransaction(
        host,
        tx,
        block,
        rules,
        plain ? inclusion : { ...options, ...inclusion },
      )
      return { success: result.status === 1, gasUsed: result.gasUsed, logs: result.logs }
    },
    systemCall(host, target, data, block, rules) {
      const result = processSystemCall(host, target, data, block, rules)
      return { success: result.outcome === Outcome.Success, output: result.output }
    },
  }
}

/** Block execution on `@crucible/evm`: its `processTransaction` and `processSystemCall`. */
export const defaultVm: Vm = evmVm({})
