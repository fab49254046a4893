import { bytesToHex, numberToHex } from '@crucible/primitives'
import type { ChainReader } from './chain.js'
import { RpcError, RpcErrorCode } from './errors.js'
import { headerToJson } from './format.js'
import { blockLogs, type LogFilter, parseFilter } from './logs.js'
import { type PooledTransaction, pendingJson } from './pool.js'

type Subscription =
  | { kind: 'newHeads'; send: (result: unknown) => void }
  | { kind: 'logs'; filter: LogFilter; send: (result: unknown) => void }
  | { kind: 'newPendingTransactions'; full: boolean; send: (result: unknown) => void }

/**
 * `eth_subscribe` / `eth_unsubscribe` over any push transport: `newHeads`, `logs` (with a
 * filter) and `newPendingTransactions`. The transport calls {@link poll} when the head may
 * have moved (a timer, an import) and feeds pool additions to {@link pendingTransaction}.
 */
export class Subscriptions {
  private readonly active = new Map<string, Subscription>()
  private lastHead: bigint
  private counter = 0n

  constructor(private readonly chain: ChainReader) {
    this.lastHead = chain.head().block.header.number
  }

  subscribe(params: unknown[], send: (result: unknown) => void): string {
    const kind = params[0]
    let sub: Subscription
    if (kind === 'newHeads') sub = { kind, send }
    else if (kind === 'logs') sub = { kind, filter: parseFilter(params[1] ?? {}, 1), send }
    else if (kind === 'newPendingTransactions') sub = { kind, full: params[1] === true, send }
    else throw new RpcError(RpcErrorCode.InvalidParams, `no "${String(kind)}" subscription in eth namespace`)
    this.counter++
    const id = numberToHex((this.counter << 64n) | BigInt(Math.floor(Math.random() * 2 ** 52)))
    this.active.set(id, sub)
    return id
  }

  unsubscribe(id: unknown): boolean {
    return typeof id === 'string' && this.active.delete(id.toLowerCase())
  }

  /** Pushes the canonical blocks past the last head seen (headers and matching logs). */
  poll(): void {
    const head = this.chain.head().block.header.number
    if (head <= this.lastHead) {
      this.lastHead = head
      return
    }
    for (let n = this.lastHead + 1n; n <= head; n++) {
      const block = this.chain.blockByNumber(n)
      if (!block) continue
      for (const sub of this.active.values()) {
        if (sub.kind === 'newHeads') sub.send(headerToJson(block.block.header, block.hash))
        else if (sub.kind === 'logs') for (const log of blockLogs(block, sub.filter)) sub.send(log)
      }
    }
    this.lastHead = head
  }

  pendingTransaction(p: PooledTransaction): void {
    for (const sub of this.active.values())
      if (sub.kind === 'newPendingTransactions') sub.send(sub.full ? pendingJson(p) : bytesToHex(p.hash))
  }

  get size(): number {
    return this.active.size
  }
}
