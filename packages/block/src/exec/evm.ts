import { Outcome, processSystemCall, processTransaction } from '@crucible/evm'
import type { Vm } from './vm.js'

/** Block execution on `@crucible/evm`: its `processTransaction` and `processSystemCall`. */
export const defaultVm: Vm = {
  processTransaction(host, tx, block, rules) {
    const result = processTransaction(host, tx, block, rules)
    return { success: result.status === 1, gasUsed: result.gasUsed, logs: result.logs }
  },
  systemCall(host, target, data, block, rules) {
    const result = processSystemCall(host, target, data, block, rules)
    return { success: result.outcome === Outcome.Success, output: result.output }
  },
}
