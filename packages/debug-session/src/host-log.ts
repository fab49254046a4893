import type { Host } from '@crucible/evm'

// Operation codes of the recorded host writes. Reads are not recorded: the host's state after a
// sequence of calls depends only on the writes (checkpoint and commit change nothing in
// WorldState, where a checkpoint id is a journal position).
const SET_BALANCE = 0
const SET_NONCE = 1
const SET_CODE = 2
const SET_STORAGE = 3
const SET_TRANSIENT = 4
const CREATE_ACCOUNT = 5
const TOUCH = 6
const WARM_ACCOUNT = 7
const WARM_SLOT = 8
const REVERT = 9
const BEGIN_TRANSACTION = 10
const END_TRANSACTION = 11

/**
 * Every state-changing call the EVM made on its host during the first pass, in order: the host
 * state at any moment of the transaction is the pre-state plus a prefix of this log. Entries
 * cost a few words each and there is one per write, warm mark or revert (never per opcode).
 */
export class HostLog {
  /** One op code per entry. */
  private readonly ops: number[] = []
  /** Where each entry's arguments start in `args`. */
  private readonly starts: number[] = []
  private readonly args: unknown[] = []

  /** Number of entries: the host's position in the log. */
  get length(): number {
    return this.ops.length
  }

  push(op: number, a?: unknown, b?: unknown, c?: unknown): void {
    this.ops.push(op)
    this.starts.push(this.args.length)
    if (a !== undefined) this.args.push(a)
    if (b !== undefined) this.args.push(b)
    if (c !== undefined) this.args.push(c)
  }

  /** Applies entries [from, to) to `host`, which must hold the state at position `from`. */
  replay(host: Host, from: number, to: number): void {
    const { ops, starts, args } = this
    for (let i = from; i < to; i++) {
      const s = starts[i]!
      switch (ops[i]) {
        case SET_BALANCE:
          host.setBalance(args[s] as bigint, args[s + 1] as bigint)
          break
        case SET_NONCE:
          host.setNonce(args[s] as bigint, args[s + 1] as bigint)
          break
        case SET_CODE:
          host.setCode(args[s] as bigint, args[s + 1] as Uint8Array)
          break
        case SET_STORAGE:
          host.setStorage(args[s] as bigint, args[s + 1] as bigint, args[s + 2] as bigint)
          break
        case SET_TRANSIENT:
          host.setTransientStorage(args[s] as bigint, args[s + 1] as bigint, args[s + 2] as bigint)
          break
        case CREATE_ACCOUNT:
          host.createAccount(args[s] as bigint)
          break
        case TOUCH:
          host.touch(args[s] as bigint)
          break
        case WARM_ACCOUNT:
          host.warmAccount(args[s] as bigint)
          break
        case WARM_SLOT:
          host.warmSlot(args[s] as bigint, args[s + 1] as bigint)
          break
        case REVERT:
          host.revert(args[s] as number)
          break
        case BEGIN_TRANSACTION:
          host.beginTransaction()
          break
        case END_TRANSACTION:
          host.endTransaction(args[s] as bigint[], args[s + 1] as boolean)
          break
      }
    }
  }

  /** Every account a write of entries [0, to) touched (for the state diff). */
  addresses(to = this.ops.length): Set<bigint> {
    const out = new Set<bigint>()
    for (let i = 0; i < to; i++) {
      const op = this.ops[i]!
      // Warm marks and transient storage do not outlive the transaction.
      if (op === REVERT || op === BEGIN_TRANSACTION || op === WARM_ACCOUNT || op === WARM_SLOT) continue
      if (op === SET_TRANSIENT) continue
      const a = this.args[this.starts[i]!]
      if (op === END_TRANSACTION) for (const d of a as bigint[]) out.add(d)
      else out.add(a as bigint)
    }
    return out
  }

  /** Rough bytes held (for the session's memory report). */
  byteSize(): number {
    return this.ops.length * 16 + this.args.length * 24
  }
}

/**
 * The host of the first pass: forwards everything to `inner` and appends each state-changing
 * call to `log`.
 */
export class RecordingHost implements Host {
  constructor(
    private readonly inner: Host,
    readonly log: HostLog,
  ) {}

  exists(address: bigint): boolean {
    return this.inner.exists(address)
  }
  isEmpty(address: bigint): boolean {
    return this.inner.isEmpty(address)
  }
  getBalance(address: bigint): bigint {
    return this.inner.getBalance(address)
  }
  getNonce(address: bigint): bigint {
    return this.inner.getNonce(address)
  }
  getCode(address: bigint): Uint8Array {
    return this.inner.getCode(address)
  }
  getCodeHash(address: bigint): Uint8Array {
    return this.inner.getCodeHash(address)
  }
  getStorage(address: bigint, key: bigint): bigint {
    return this.inner.getStorage(address, key)
  }
  getOriginalStorage(address: bigint, key: bigint): bigint {
    return this.inner.getOriginalStorage(address, key)
  }
  hasStorage(address: bigint): boolean {
    return this.inner.hasStorage(address)
  }
  getTransientStorage(address: bigint, key: bigint): bigint {
    return this.inner.getTransientStorage(address, key)
  }
  getBlockHash(number: bigint): bigint {
    return this.inner.getBlockHash(number)
  }
  setBalance(address: bigint, value: bigint): void {
    this.log.push(SET_BALANCE, address, value)
    this.inner.setBalance(address, value)
  }
  setNonce(address: bigint, value: bigint): void {
    this.log.push(SET_NONCE, address, value)
    this.inner.setNonce(address, value)
  }
  setCode(address: bigint, code: Uint8Array): void {
    this.log.push(SET_CODE, address, code)
    this.inner.setCode(address, code)
  }
  setStorage(address: bigint, key: bigint, value: bigint): void {
    this.log.push(SET_STORAGE, address, key, value)
    this.inner.setStorage(address, key, value)
  }
  setTransientStorage(address: bigint, key: bigint, value: bigint): void {
    this.log.push(SET_TRANSIENT, address, key, value)
    this.inner.setTransientStorage(address, key, value)
  }
  createAccount(address: bigint): void {
    this.log.push(CREATE_ACCOUNT, address)
    this.inner.createAccount(address)
  }
  isCreatedInTransaction(address: bigint): boolean {
    return this.inner.isCreatedInTransaction(address)
  }
  touch(address: bigint): void {
    this.log.push(TOUCH, address)
    this.inner.touch(address)
  }
  warmAccount(address: bigint): boolean {
    this.log.push(WARM_ACCOUNT, address)
    return this.inner.warmAccount(address)
  }
  warmSlot(address: bigint, key: bigint): boolean {
    this.log.push(WARM_SLOT, address, key)
    return this.inner.warmSlot(address, key)
  }
  checkpoint(): number {
    return this.inner.checkpoint()
  }
  commit(checkpoint: number): void {
    this.inner.commit(checkpoint)
  }
  revert(checkpoint: number): void {
    this.log.push(REVERT, checkpoint)
    this.inner.revert(checkpoint)
  }
  beginTransaction(): void {
    this.log.push(BEGIN_TRANSACTION)
    this.inner.beginTransaction()
  }
  endTransaction(destroyed: Iterable<bigint>, deleteTouchedEmpty: boolean): void {
    const list = [...destroyed]
    this.log.push(END_TRANSACTION, list, deleteTouchedEmpty)
    this.inner.endTransaction(list, deleteTouchedEmpty)
  }
}
