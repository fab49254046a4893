import type { BlockEnv, Host, Inspector, TransactionInput, TransactionResult } from '@crucible/evm'
import type { ForkRules } from '@crucible/forks'

/** What a tracer sees of the transaction it traces, before the transaction runs. */
export interface TxContext {
  /** The state the transaction runs on (read before and after it runs; never written by a tracer). */
  readonly host: Host
  readonly tx: TransactionInput
  readonly block: BlockEnv
  readonly rules: ForkRules
  /** Logs of the block's earlier transactions (geth numbers logs across the block). */
  readonly logIndex?: number
}

/**
 * One transaction's tracer (geth's `tracers.Tracer`): an {@link Inspector} for the EVM, the
 * transaction's start and end (geth's `OnTxStart`/`OnTxEnd`), and the result as a JSON value.
 * A tracer is used for one transaction; a block trace makes one per transaction.
 */
export interface Tracer {
  readonly inspector: Inspector
  txStart(ctx: TxContext): void
  txEnd(result: TransactionResult): void
  /** The result as geth's JSON shape (a plain value, ready for `JSON.stringify`). */
  result(): unknown
}

/** A tracer's options: geth's `tracerConfig` object, as JSON. */
export type TracerConfig = Record<string, unknown>

/** `config[key]` as a boolean (geth's JSON decoding: absent is false). */
export function flag(config: TracerConfig | undefined, key: string): boolean {
  return config?.[key] === true
}
