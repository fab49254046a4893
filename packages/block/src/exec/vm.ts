import type { BlockEnv, Host, Log, TransactionInput } from '@crucible/evm-types'
import type { ForkRules } from '@crucible/forks'

/** What block execution needs of a transaction's outcome. */
export interface TransactionOutcome {
  /** True when the transaction's execution succeeded (receipt status 1). */
  success: boolean
  /** Gas the sender paid for (after refunds and the EIP-7623 floor). */
  gasUsed: bigint
  logs: Log[]
}

/** What block execution tells the EVM about a transaction it includes. */
export interface InclusionContext {
  /** The gas figures of `@crucible/tx` `validateTransaction`: the static rules passed. */
  validated: { intrinsicGas: bigint; floorGas: bigint }
  /** Gas and blob gas of the block's earlier transactions: this one must fit in the rest. */
  blockUsage: { gasUsed: bigint; blobGasUsed: bigint }
}

/** What block execution needs of a system call. */
export interface SystemCallOutcome {
  success: boolean
  output: Uint8Array
}

/**
 * The EVM as block execution uses it. {@link defaultVm} adapts `@crucible/evm`; another
 * engine (a tracer, a test double) can be passed to `executeBlock` instead.
 */
export interface Vm {
  /**
   * Runs one transaction on `host`, or throws when the transaction is invalid against the
   * state or the block (the block is then invalid). Begins and ends the transaction on the
   * host itself.
   */
  processTransaction(
    host: Host,
    tx: TransactionInput,
    block: BlockEnv,
    rules: ForkRules,
    inclusion: InclusionContext,
  ): TransactionOutcome
  /**
   * A system call (EIP-4788, EIP-2935, EIP-7002, EIP-7251): a message from the system address
   * to `target` with `data`, 30M gas, no value, not charged, not counted, then the touched
   * empty accounts removed.
   */
  systemCall(
    host: Host,
    target: bigint,
    data: Uint8Array,
    block: BlockEnv,
    rules: ForkRules,
  ): SystemCallOutcome
}
