import { type ChainDb, PREFIX } from '@crucible/chaindb'
import { type KvStore, WriteBatch } from '@crucible/kv'
import { bigIntToBytes, bytesToBigInt, concatBytes, utf8ToBytes } from '@crucible/primitives'
import type { WorldState } from '@crucible/state'

const ACCOUNT = concatBytes(Uint8Array.of(PREFIX.meta), utf8ToBytes('dev:a:'))
const SLOT = concatBytes(Uint8Array.of(PREFIX.meta), utf8ToBytes('dev:s:'))
const EMPTY = new Uint8Array(0)

/**
 * The addresses and storage slots the chain has used. The state trie keys them by hash, so a
 * state dump (anvil's format names every account and slot) needs them kept beside it: one
 * empty entry per address (`m` `dev:a:` address) and per slot (`m` `dev:s:` address slot).
 */
export class Preimages {
  readonly #accounts = new Set<bigint>()
  readonly #slots = new Map<bigint, Set<bigint>>()

  /** Reads the recorded ones (queued writes must have been flushed). */
  static async load(kv: KvStore): Promise<Preimages> {
    const out = new Preimages()
    for await (const [key] of kv.iterate({ prefix: ACCOUNT }))
      out.#accounts.add(bytesToBigInt(key.subarray(ACCOUNT.length)))
    for await (const [key] of kv.iterate({ prefix: SLOT })) {
      const rest = key.subarray(SLOT.length)
      out.#slot(bytesToBigInt(rest.subarray(0, 20))).add(bytesToBigInt(rest.subarray(20)))
    }
    return out
  }

  #slot(address: bigint): Set<bigint> {
    let set = this.#slots.get(address)
    if (!set) this.#slots.set(address, (set = new Set()))
    return set
  }

  /** Records what `state` holds in memory and is not recorded yet, as one batch. */
  record(db: ChainDb, state: WorldState): void {
    let batch: WriteBatch | undefined
    for (const address of state.addresses()) {
      if (!this.#accounts.has(address)) {
        this.#accounts.add(address)
        batch ??= new WriteBatch()
        batch.put(concatBytes(ACCOUNT, bigIntToBytes(address, 20)), EMPTY)
      }
      let known: Set<bigint> | undefined
      for (const [slot] of state.storageEntries(address)) {
        known ??= this.#slot(address)
        if (known.has(slot)) continue
        known.add(slot)
        batch ??= new WriteBatch()
        batch.put(concatBytes(SLOT, bigIntToBytes(address, 20), bigIntToBytes(slot, 32)), EMPTY)
      }
    }
    if (batch) db.write(batch)
  }

  accounts(): Iterable<bigint> {
    return this.#accounts
  }

  slots(address: bigint): Iterable<bigint> {
    return this.#slots.get(address) ?? []
  }

  clear(): void {
    this.#accounts.clear()
    this.#slots.clear()
  }
}
