import type { Host } from '@crucible/evm-types'
import { KECCAK256_EMPTY, keccak256 } from '@crucible/primitives'

/** A test account. */
export interface TestAccount {
  balance: bigint
  nonce: bigint
  code: Uint8Array
  storage: Map<bigint, bigint>
}

const EMPTY = new Uint8Array(0)
const key = (a: bigint, k: bigint) => `${a}:${k}`

/**
 * A small journaled in-memory {@link Host} for the tests: every write pushes an undo closure;
 * a checkpoint is a journal length. `touch` creates a missing account, as execution-specs'
 * `touch_account` does.
 */
export class MemoryHost implements Host {
  readonly accounts = new Map<bigint, TestAccount>()
  readonly blockHashes = new Map<bigint, bigint>()
  private journal: (() => void)[] = []
  private warmAccounts = new Set<bigint>()
  private warmSlots = new Set<string>()
  private original = new Map<string, bigint>()
  private transient = new Map<string, bigint>()
  private created = new Set<bigint>()
  private touched = new Set<bigint>()

  /** Sets an account directly (not journaled): for building the pre-state. */
  put(
    address: bigint,
    account: Partial<Omit<TestAccount, 'storage'>> & {
      storage?: Record<string, bigint> | Map<bigint, bigint>
    },
  ): void {
    const storage =
      account.storage instanceof Map
        ? new Map(account.storage)
        : new Map(Object.entries(account.storage ?? {}).map(([k, v]) => [BigInt(k), v]))
    this.accounts.set(address, {
      balance: account.balance ?? 0n,
      nonce: account.nonce ?? 0n,
      code: account.code ?? EMPTY,
      storage,
    })
  }

  private account(address: bigint): TestAccount {
    let a = this.accounts.get(address)
    if (!a) {
      a = { balance: 0n, nonce: 0n, code: EMPTY, storage: new Map() }
      this.accounts.set(address, a)
      this.journal.push(() => this.accounts.delete(address))
    }
    return a
  }

  exists(address: bigint): boolean {
    return this.accounts.has(address)
  }
  isEmpty(address: bigint): boolean {
    const a = this.accounts.get(address)
    return !a || (a.balance === 0n && a.nonce === 0n && a.code.length === 0)
  }
  getBalance(address: bigint): bigint {
    return this.accounts.get(address)?.balance ?? 0n
  }
  getNonce(address: bigint): bigint {
    return this.accounts.get(address)?.nonce ?? 0n
  }
  getCode(address: bigint): Uint8Array {
    return this.accounts.get(address)?.code ?? EMPTY
  }
  getCodeHash(address: bigint): Uint8Array {
    const code = this.getCode(address)
    return code.length === 0 ? KECCAK256_EMPTY : keccak256(code)
  }
  getStorage(address: bigint, k: bigint): bigint {
    return this.accounts.get(address)?.storage.get(k) ?? 0n
  }
  getOriginalStorage(address: bigint, k: bigint): bigint {
    const o = this.original.get(key(address, k))
    return o !== undefined ? o : this.getStorage(address, k)
  }
  hasStorage(address: bigint): boolean {
    const a = this.accounts.get(address)
    if (!a) return false
    for (const v of a.storage.values()) if (v !== 0n) return true
    return false
  }
  getTransientStorage(address: bigint, k: bigint): bigint {
    return this.transient.get(key(address, k)) ?? 0n
  }
  getBlockHash(number: bigint): bigint {
    return this.blockHashes.get(number) ?? 0n
  }
  setBalance(address: bigint, value: bigint): void {
    const a = this.account(address)
    const old = a.balance
    a.balance = value
    this.journal.push(() => {
      a.balance = old
    })
  }
  setNonce(address: bigint, value: bigint): void {
    const a = this.account(address)
    const old = a.nonce
    a.nonce = value
    this.journal.push(() => {
      a.nonce = old
    })
  }
  setCode(address: bigint, code: Uint8Array): void {
    const a = this.account(address)
    const old = a.code
    a.code = code
    this.journal.push(() => {
      a.code = old
    })
  }
  setStorage(address: bigint, k: bigint, value: bigint): void {
    const a = this.account(address)
    const id = key(address, k)
    if (!this.original.has(id)) this.original.set(id, a.storage.get(k) ?? 0n)
    const old = a.storage.get(k)
    a.storage.set(k, value)
    this.journal.push(() => {
      if (old === undefined) a.storage.delete(k)
      else a.storage.set(k, old)
    })
  }
  setTransientStorage(address: bigint, k: bigint, value: bigint): void {
    const id = key(address, k)
    const old = this.transient.get(id)
    this.transient.set(id, value)
    this.journal.push(() => {
      if (old === undefined) this.transient.delete(id)
      else this.transient.set(id, old)
    })
  }
  createAccount(address: bigint): void {
    const prev = this.accounts.get(address)
    this.accounts.set(address, { balance: prev?.balance ?? 0n, nonce: 0n, code: EMPTY, storage: new Map() })
    const wasCreated = this.created.has(address)
    this.created.add(address)
    this.journal.push(() => {
      if (prev) this.accounts.set(address, prev)
      else this.accounts.delete(address)
      if (!wasCreated) this.created.delete(address)
    })
  }
  isCreatedInTransaction(address: bigint): boolean {
    return this.created.has(address)
  }
  touch(address: bigint): void {
    this.account(address)
    if (!this.touched.has(address)) {
      this.touched.add(address)
      // EIP-716: a touch of RIPEMD-160 (0x03) survives a revert.
      if (address !== 3n) this.journal.push(() => this.touched.delete(address))
    }
  }
  warmAccount(address: bigint): boolean {
    if (this.warmAccounts.has(address)) return true
    this.warmAccounts.add(address)
    this.journal.push(() => this.warmAccounts.delete(address))
    return false
  }
  warmSlot(address: bigint, k: bigint): boolean {
    const id = key(address, k)
    if (this.warmSlots.has(id)) return true
    this.warmSlots.add(id)
    this.journal.push(() => this.warmSlots.delete(id))
    return false
  }
  checkpoint(): number {
    return this.journal.length
  }
  commit(_checkpoint: number): void {}
  revert(checkpoint: number): void {
    while (this.journal.length > checkpoint) this.journal.pop()!()
  }
  beginTransaction(): void {
    this.journal = []
    this.warmAccounts.clear()
    this.warmSlots.clear()
    this.original.clear()
    this.transient.clear()
    this.created.clear()
    this.touched.clear()
  }
  endTransaction(destroyed: Iterable<bigint>, deleteTouchedEmpty: boolean): void {
    for (const a of destroyed) this.accounts.delete(a)
    if (deleteTouchedEmpty)
      for (const a of this.touched) if (this.exists(a) && this.isEmpty(a)) this.accounts.delete(a)
    this.journal = []
  }
}
