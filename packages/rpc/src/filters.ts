import { bytesToHex, type Hex, numberToHex } from '@crucible/primitives'
import type { ChainBlock, ChainReader } from './chain.js'
import { RpcError, RpcErrorCode } from './errors.js'
import { blockLogs, type LogFilter } from './logs.js'
import { findBlock } from './lookup.js'
import { blockNumberOrTag } from './params.js'

/** How long a filter lives without being polled (geth's default: 5 minutes). */
export const FILTER_TIMEOUT_MS = 5 * 60 * 1000

type Installed =
  | { kind: 'logs'; filter: LogFilter; next: bigint; to?: bigint; touched: number }
  | { kind: 'blocks'; next: bigint; touched: number }
  | { kind: 'pending'; hashes: Hex[]; touched: number }

/**
 * `eth_newFilter`, `eth_newBlockFilter`, `eth_newPendingTransactionFilter` and their polling:
 * each filter remembers the next block it has not reported; one not polled for
 * {@link FILTER_TIMEOUT_MS} is dropped.
 */
export class Filters {
  private readonly installed = new Map<string, Installed>()
  private counter = 0n

  constructor(
    private readonly chain: ChainReader,
    private readonly timeoutMs = FILTER_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private id(): string {
    this.counter++
    // Random-looking but unique ids, as geth's are.
    return numberToHex((this.counter << 64n) | BigInt(Math.floor(Math.random() * 2 ** 52)))
  }

  private expire(): void {
    const limit = this.now() - this.timeoutMs
    for (const [id, f] of this.installed) if (f.touched < limit) this.installed.delete(id)
  }

  private head(): bigint {
    return this.chain.head().block.header.number
  }

  private resolve(value: unknown): bigint | undefined {
    if (value === undefined || value === null) return undefined
    const ref = blockNumberOrTag(value, 0)
    if ('number' in ref) return ref.number
    if ('tag' in ref && (ref.tag === 'latest' || ref.tag === 'pending')) return undefined
    return findBlock(this.chain, ref)?.block.header.number
  }

  newLogFilter(filter: LogFilter): string {
    this.expire()
    const id = this.id()
    const from = this.resolve(filter.fromBlock)
    const to = this.resolve(filter.toBlock)
    const entry: Installed = { kind: 'logs', filter, next: from ?? this.head() + 1n, touched: this.now() }
    if (to !== undefined) entry.to = to
    this.installed.set(id, entry)
    return id
  }

  newBlockFilter(): string {
    this.expire()
    const id = this.id()
    this.installed.set(id, { kind: 'blocks', next: this.head() + 1n, touched: this.now() })
    return id
  }

  newPendingTransactionFilter(): string {
    this.expire()
    const id = this.id()
    this.installed.set(id, { kind: 'pending', hashes: [], touched: this.now() })
    return id
  }

  /** Feeds a transaction that entered the pool to the pending-transaction filters. */
  pendingTransaction(hash: Uint8Array): void {
    for (const f of this.installed.values()) if (f.kind === 'pending') f.hashes.push(bytesToHex(hash))
  }

  private get(id: unknown): Installed {
    this.expire()
    const f = typeof id === 'string' ? this.installed.get(id.toLowerCase()) : undefined
    if (!f) throw new RpcError(RpcErrorCode.Server, 'filter not found')
    f.touched = this.now()
    return f
  }

  private canonical(from: bigint, to: bigint): ChainBlock[] {
    const out: ChainBlock[] = []
    for (let n = from; n <= to; n++) {
      const b = this.chain.blockByNumber(n)
      if (b) out.push(b)
    }
    return out
  }

  /** What happened since the last poll. */
  changes(id: unknown): unknown[] {
    const f = this.get(id)
    const head = this.head()
    if (f.kind === 'pending') return f.hashes.splice(0)
    if (f.kind === 'blocks') {
      const blocks = this.canonical(f.next, head)
      f.next = head + 1n
      return blocks.map((b) => bytesToHex(b.hash))
    }
    const last = f.to !== undefined && f.to < head ? f.to : head
    const blocks = this.canonical(f.next, last)
    if (last + 1n > f.next) f.next = last + 1n
    return blocks.flatMap((b) => blockLogs(b, f.filter))
  }

  /** Every log a log filter matches (`eth_getFilterLogs`). */
  logs(id: unknown): unknown[] {
    const f = this.get(id)
    if (f.kind !== 'logs') throw new RpcError(RpcErrorCode.Server, 'filter not found')
    const from = this.resolve(f.filter.fromBlock) ?? this.head()
    const to = this.resolve(f.filter.toBlock) ?? this.head()
    return this.canonical(from, to).flatMap((b) => blockLogs(b, f.filter))
  }

  uninstall(id: unknown): boolean {
    return typeof id === 'string' && this.installed.delete(id.toLowerCase())
  }

  get size(): number {
    this.expire()
    return this.installed.size
  }
}
