import type { Vm } from './vm.js'

/** Placeholder until `@crucible/evm` exports its transaction entry point. */
export const defaultVm: Vm = {
  processTransaction() {
    throw new Error('EVM not available')
  },
  systemCall() {
    return { success: true, output: new Uint8Array(0) }
  },
}
