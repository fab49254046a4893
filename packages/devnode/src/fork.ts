import { type ChainDb, keys } from '@crucible/chaindb'
import { WriteBatch } from '@crucible/kv'
import {
  bigIntToBytes,
  bytesToBigInt,
  decodeRlp,
  encodeRlp,
  type Hex,
  hexToBigInt,
  hexToBytes,
  numberToHex,
} from '@crucible/primitives'
import { type BaseAccount, type StateBase, StateError } from '@crucible/state'
import { ForkError, type Upstream } from './upstream.js'

/** Re-runs of one request after state misses before it is given up (each fetches something new). */
const MAX_ROUNDS = 10_000

const TAG_ACCOUNT = 0x61 // 'a'
const TAG_SLOT = 0x73 // 's'
const TAG_HASH = 0x68 // 'h'

const addressHex = (address: bigint): Hex => `0x${address.toString(16).padStart(40, '0')}`

/** What a state miss names: an account, a slot, or (BLOCKHASH) a block before the fork. */
export type Miss =
  | { kind: 'account'; address: bigint }
  | { kind: 'storage'; address: bigint; key: bigint }
  | { kind: 'blockHash'; number: bigint }

/** The miss an error is (a `STATE_MISS` anywhere in its cause chain), or undefined. */
export function missOf(error: unknown): Miss | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (!(e instanceof StateError) || e.code !== 'STATE_MISS') continue
    const d = e.details as { kind?: string; address?: string; key?: string; number?: string }
    if (d.kind === 'account' && d.address) return { kind: 'account', address: BigInt(d.address) }
    if (d.kind === 'storage' && d.address && d.key)
      return { kind: 'storage', address: BigInt(d.address), key: BigInt(d.key) }
    if (d.kind === 'blockHash' && d.number) return { kind: 'blockHash', number: BigInt(d.number) }
  }
  return undefined
}

/**
 * A forked chain's upstream at its fork block, as the world state's {@link StateBase}: the
 * accounts, slots and block hashes fetched so far, in memory and in the chain database under
 * the `f` prefix (keyed by the upstream's chain id and the fork block, so a restart or a
 * second node on the same datadir makes no request for them). A read of something not
 * fetched yet is a `STATE_MISS`; {@link run} fetches what a run missed and runs it again.
 */
export class ForkState implements StateBase {
  readonly upstream: Upstream
  readonly chainId: bigint
  readonly blockNumber: bigint
  readonly #db: ChainDb
  readonly #accounts = new Map<bigint, BaseAccount | null>()
  readonly #slots = new Map<bigint, Map<bigint, bigint>>()
  readonly #hashes = new Map<bigint, bigint>()
  /** Fetches in flight, by what they fetch (concurrent requests share them). */
  readonly #fetching = new Map<string, Promise<void>>()
  readonly #tag: Hex

  constructor(db: ChainDb, upstream: Upstream, chainId: bigint, blockNumber: bigint) {
    this.#db = db
    this.upstream = upstream
    this.chainId = chainId
    this.blockNumber = blockNumber
    this.#tag = numberToHex(blockNumber)
  }

  #key(tag: number, ...parts: Uint8Array[]): Uint8Array {
    const rest = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0))
    rest[0] = tag
    let at = 1
    for (const p of parts) {
      rest.set(p, at)
      at += p.length
    }
    return keys.fork(this.chainId, this.blockNumber, rest)
  }

  // ---- StateBase (synchronous: memory, then the database, then a miss) -----------------

  account(address: bigint): BaseAccount | undefined {
    let a = this.#accounts.get(address)
    if (a === undefined) {
      const stored = this.#db.read(this.#key(TAG_ACCOUNT, bigIntToBytes(address, 20)))
      if (stored === undefined)
        throw new StateError('STATE_MISS', 'account not fetched from the fork upstream yet', {
          kind: 'account',
          address: addressHex(address),
        })
      a = decodeAccount(stored)
      this.#accounts.set(address, a)
    }
    return a ?? undefined
  }

  storage(address: bigint, key: bigint): bigint {
    // An account the upstream does not have has no storage there: nothing to fetch.
    if (this.account(address) === undefined) return 0n
    let slots = this.#slots.get(address)
    const known = slots?.get(key)
    if (known !== undefined) return known
    const stored = this.#db.read(this.#key(TAG_SLOT, bigIntToBytes(address, 20), bigIntToBytes(key, 32)))
    if (stored === undefined)
      throw new StateError('STATE_MISS', 'storage slot not fetched from the fork upstream yet', {
        kind: 'storage',
        address: addressHex(address),
        key: numberToHex(key),
      })
    const value = bytesToBigInt(stored)
    if (slots === undefined) this.#slots.set(address, (slots = new Map()))
    slots.set(key, value)
    return value
  }

  /** The hash of upstream block `number` (at or before the fork block) as a word. */
  blockHash(number: bigint): bigint {
    const known = this.#hashes.get(number)
    if (known !== undefined) return known
    const stored = this.#db.read(this.#key(TAG_HASH, bigIntToBytes(number, 8)))
    if (stored === undefined)
      throw new StateError('STATE_MISS', 'block hash not fetched from the fork upstream yet', {
        kind: 'blockHash',
        number: numberToHex(number),
      })
    const hash = bytesToBigInt(stored)
    this.#hashes.set(number, hash)
    return hash
  }

  // ---- Fetching ---------------------------------------------------------------------------

  /** Fetches what `miss` names from the upstream, at the fork block, and keeps it. */
  fetch(miss: Miss): Promise<void> {
    const id =
      miss.kind === 'account'
        ? `a${miss.address}`
        : miss.kind === 'storage'
          ? `s${miss.address}:${miss.key}`
          : `h${miss.number}`
    let pending = this.#fetching.get(id)
    if (pending === undefined) {
      pending = this.#fetchNow(miss).finally(() => this.#fetching.delete(id))
      this.#fetching.set(id, pending)
    }
    return pending
  }

  async #fetchNow(miss: Miss): Promise<void> {
    const batch = new WriteBatch()
    if (miss.kind === 'account') {
      const address = addressHex(miss.address)
      const [balance, nonce, code] = await Promise.all([
        this.upstream.call('eth_getBalance', [address, this.#tag]),
        this.upstream.call('eth_getTransactionCount', [address, this.#tag]),
        this.upstream.call('eth_getCode', [address, this.#tag]),
      ])
      const a: BaseAccount = {
        balance: quantity(balance, 'eth_getBalance'),
        nonce: quantity(nonce, 'eth_getTransactionCount'),
        code: data(code, 'eth_getCode'),
      }
      const exists = a.balance !== 0n || a.nonce !== 0n || a.code.length > 0
      this.#accounts.set(miss.address, exists ? a : null)
      batch.put(
        this.#key(TAG_ACCOUNT, bigIntToBytes(miss.address, 20)),
        exists ? encodeRlp([a.nonce, a.balance, a.code]) : new Uint8Array(0),
      )
    } else if (miss.kind === 'storage') {
      const value = await this.upstream.call('eth_getStorageAt', [
        addressHex(miss.address),
        numberToHex(miss.key),
        this.#tag,
      ])
      const v = bytesToBigInt(data(value, 'eth_getStorageAt'))
      let slots = this.#slots.get(miss.address)
      if (slots === undefined) this.#slots.set(miss.address, (slots = new Map()))
      slots.set(miss.key, v)
      batch.put(
        this.#key(TAG_SLOT, bigIntToBytes(miss.address, 20), bigIntToBytes(miss.key, 32)),
        bigIntToBytes(v),
      )
    } else {
      const block = (await this.upstream.call('eth_getBlockByNumber', [numberToHex(miss.number), false])) as {
        hash?: string
      } | null
      if (!block?.hash)
        throw new ForkError('UPSTREAM_ANSWER', 'the upstream has no such block', { number: miss.number })
      const hash = hexToBigInt(block.hash as Hex)
      this.#hashes.set(miss.number, hash)
      batch.put(this.#key(TAG_HASH, bigIntToBytes(miss.number, 8)), bigIntToBytes(hash, 32))
    }
    this.#db.write(batch)
  }

  /**
   * Runs `fn` until it stops missing upstream state: each `STATE_MISS` is fetched and `fn`
   * runs again from the start (it must have no effect before its reads, as execution over a
   * copy of the state has none). What it fetched stays cached, so a warm run makes no request.
   */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    for (let round = 0; ; round++) {
      try {
        return await fn()
      } catch (error) {
        const miss = missOf(error)
        if (miss === undefined) throw error
        if (round >= MAX_ROUNDS)
          throw new ForkError('TOO_MANY_ROUNDS', 'gave up fetching the upstream state this request reads', {
            rounds: round,
          })
        await this.fetch(miss)
      }
    }
  }
}

function decodeAccount(stored: Uint8Array): BaseAccount | null {
  if (stored.length === 0) return null
  const [nonce, balance, code] = decodeRlp(stored) as Uint8Array[]
  return { nonce: bytesToBigInt(nonce!), balance: bytesToBigInt(balance!), code: code! }
}

function quantity(value: unknown, method: string): bigint {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]+$/.test(value))
    throw new ForkError('UPSTREAM_ANSWER', `the upstream's ${method} answer is not a quantity`, { value })
  return hexToBigInt(value as Hex)
}

function data(value: unknown, method: string): Uint8Array {
  if (typeof value !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(value))
    throw new ForkError('UPSTREAM_ANSWER', `the upstream's ${method} answer is not hex data`, { value })
  return hexToBytes(value as Hex)
}
