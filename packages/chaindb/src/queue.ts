import type { KvStore, WriteBatch } from '@crucible/kv'
import { bytesToUnprefixedHex } from '@crucible/primitives'

/**
 * Write-behind for a synchronous importer: batches are handed to the store one after the
 * other (each one atomic, in order), and until a batch has landed its entries are served from
 * an in-memory overlay, so synchronous reads see every queued write. A failed write stops the
 * queue: every later `enqueue` and `flush` throws the store's error.
 */
export class WriteQueue {
  readonly #kv: KvStore
  /** Hex key → queued value (null: a queued delete). */
  readonly #overlay = new Map<string, Uint8Array | null>()
  #tail: Promise<void> = Promise.resolve()
  #failure: unknown = undefined
  #pendingBytes = 0
  #pendingBatches = 0

  constructor(kv: KvStore) {
    this.#kv = kv
  }

  /** Bytes of keys and values queued but not yet written. */
  get pendingBytes(): number {
    return this.#pendingBytes
  }

  get pendingBatches(): number {
    return this.#pendingBatches
  }

  /** The queued value of a key (null for a queued delete), undefined when nothing is queued for it. */
  lookup(id: string): Uint8Array | null | undefined {
    return this.#overlay.size === 0 ? undefined : this.#overlay.get(id)
  }

  get idle(): boolean {
    return this.#overlay.size === 0
  }

  enqueue(batch: WriteBatch): void {
    if (this.#failure !== undefined) throw this.#failure
    if (batch.length === 0) return
    const entries: Array<[string, Uint8Array | null]> = []
    for (const op of batch.ops) {
      const id = bytesToUnprefixedHex(op.key)
      const value = op.type === 'put' ? op.value : null
      this.#overlay.set(id, value)
      entries.push([id, value])
    }
    const bytes = batch.bytes
    this.#pendingBytes += bytes
    this.#pendingBatches++
    this.#tail = this.#tail.then(async () => {
      if (this.#failure !== undefined) return
      try {
        await this.#kv.write(batch)
      } catch (error) {
        this.#failure = error
        return
      }
      for (const [id, value] of entries) if (this.#overlay.get(id) === value) this.#overlay.delete(id)
      this.#pendingBytes -= bytes
      this.#pendingBatches--
    })
  }

  /** Resolves when everything queued so far is written; rejects with the first write error. */
  async flush(): Promise<void> {
    await this.#tail
    if (this.#failure !== undefined) throw this.#failure
  }
}
