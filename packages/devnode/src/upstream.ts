import { CrucibleError } from '@crucible/primitives'

/** `fetch` as the upstream client uses it (the global one unless a caller passes its own). */
export type FetchFn = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>

export interface UpstreamOptions {
  /** At most this many HTTP requests in flight (default 4). */
  concurrency?: number
  /** At most this many JSON-RPC calls in one batch (default 100). */
  batchSize?: number
  fetch?: FetchFn
  /** Told after each HTTP request: how many calls it carried, and the totals so far. */
  onRequest?: (calls: number, totals: { requests: number; calls: number }) => void
}

interface Pending {
  method: string
  params: unknown[]
  resolve(value: unknown): void
  reject(error: unknown): void
}

/**
 * A JSON-RPC client for a forked chain's upstream: calls made in the same turn of the event
 * loop go out as one batch, with at most `concurrency` requests in flight, and every request
 * is counted (the dev node logs the count).
 */
export class Upstream {
  readonly url: string
  requests = 0
  calls = 0
  readonly #concurrency: number
  readonly #batchSize: number
  readonly #fetch: FetchFn
  readonly #onRequest: UpstreamOptions['onRequest']
  #queue: Pending[] = []
  #inFlight = 0
  #scheduled = false
  #nextId = 1

  constructor(url: string, options: UpstreamOptions = {}) {
    this.url = url
    this.#concurrency = options.concurrency ?? 4
    this.#batchSize = options.batchSize ?? 100
    this.#fetch = options.fetch ?? (globalThis.fetch as unknown as FetchFn)
    this.#onRequest = options.onRequest
  }

  /** One call, sent in the next batch. */
  call(method: string, params: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ method, params, resolve, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setTimeout(() => {
          this.#scheduled = false
          this.#pump()
        }, 0)
      }
    })
  }

  #pump(): void {
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#batchSize)
      this.#inFlight++
      void this.#send(batch).finally(() => {
        this.#inFlight--
        this.#pump()
      })
    }
  }

  async #send(batch: Pending[]): Promise<void> {
    const ids = batch.map(() => this.#nextId++)
    const body = JSON.stringify(
      batch.map((p, i) => ({ jsonrpc: '2.0', id: ids[i], method: p.method, params: p.params })),
    )
    this.requests++
    this.calls += batch.length
    this.#onRequest?.(batch.length, { requests: this.requests, calls: this.calls })
    let answers: unknown
    try {
      const response = await this.#fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const text = await response.text()
      if (!response.ok)
        throw new ForkError('UPSTREAM_FAILED', `the upstream answered HTTP ${response.status}`, {
          url: this.url,
          body: text.slice(0, 200),
        })
      answers = JSON.parse(text)
    } catch (error) {
      const failure =
        error instanceof ForkError
          ? error
          : new ForkError('UPSTREAM_FAILED', 'the upstream did not answer', {
              url: this.url,
              reason: String((error as Error)?.message ?? error),
            })
      for (const p of batch) p.reject(failure)
      return
    }
    const byId = new Map<unknown, { result?: unknown; error?: { code?: number; message?: string } }>()
    if (Array.isArray(answers)) for (const a of answers) byId.set((a as { id: unknown }).id, a)
    batch.forEach((p, i) => {
      const answer = byId.get(ids[i])
      if (answer === undefined)
        p.reject(
          new ForkError('UPSTREAM_FAILED', 'the upstream left a call unanswered', { method: p.method }),
        )
      else if (answer.error !== undefined)
        p.reject(
          new ForkError('UPSTREAM_ERROR', `the upstream refused ${p.method}: ${answer.error.message}`, {
            method: p.method,
            code: answer.error.code,
          }),
        )
      else p.resolve(answer.result)
    })
  }
}

export type ForkErrorCode = 'UPSTREAM_FAILED' | 'UPSTREAM_ERROR' | 'UPSTREAM_ANSWER' | 'TOO_MANY_ROUNDS'

export class ForkError extends CrucibleError {
  override name = 'ForkError'
  declare readonly code: ForkErrorCode
  constructor(code: ForkErrorCode, shortMessage: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, details)
  }
}
