import { ChainDb, PREFIX } from '@crucible/chaindb'
import type { ForkName } from '@crucible/forks'
import { type KvStore, WriteBatch } from '@crucible/kv'
import {
  bigIntToBytes,
  bytesToHex,
  bytesToUtf8,
  concatBytes,
  hexToBytes,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { buildBlock, type ChainBlock, type PooledTransaction, TxPool } from '@crucible/rpc'
import type { WorldState } from '@crucible/state'
import { DEFAULT_MNEMONIC, type DevAccount, devAccounts } from './accounts.js'
import { DevChain } from './chain.js'
import { type AnvilState, dumpState, dumpText, parseState, StateDumpError } from './dump.js'
import { missOf } from './fork.js'
import { type ForkOptions, openFork, resumeFork } from './fork-chain.js'
import { DEFAULT_BALANCE, DEFAULT_GAS_LIMIT, devGenesis, NEWEST_FORK } from './genesis.js'
import { Preimages } from './preimages.js'
import type { DevSetup } from './setup.js'

export interface DevNodeOptions {
  chainId?: bigint
  hardfork?: ForkName
  mnemonic?: string
  /** How many accounts to derive and fund (default 10). */
  accounts?: number
  /** Each account's balance in wei (default 10,000 ether). */
  balance?: bigint
  gasLimit?: bigint
  /** Mine a block for each transaction (default true unless `blockTime` is given). */
  automine?: boolean
  /** Mine a block every this many seconds (interval mining). */
  blockTime?: number
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number
  /**
   * Fork mode: run on top of the JSON-RPC node at `url`, at its block `blockNumber` (its
   * latest by default). Accounts, storage, code and block hashes are fetched when first
   * read and cached in the database. A store that holds a forked chain resumes it (`url`
   * may then point elsewhere, as long as it serves the same chain).
   */
  fork?: ForkOptions
}

/** An `evm_snapshot` as the dev record keeps it (hex strings: the record is JSON). */
export interface DevSnapshot {
  id: string
  head: string
  pendingRoot: string
  timeOffset: string
}

/** The dev node's own state, kept in the database beside the chain (JSON under `m` `dev:state`). */
export interface DevRecord {
  /** The head this record was written at: the one-shot settings and the pending root belong to it. */
  head: string
  pendingRoot: string
  timeOffset: string
  coinbase: string
  gasLimit?: string
  minGasPrice?: string
  nextTimestamp?: string
  nextBaseFee?: string
  snapshots: DevSnapshot[]
  snapshotCounter: number
  /** Accounts sent from without a key (`anvil_impersonateAccount`), lowercase hex. */
  impersonated?: string[]
  /** Every account may send without a key (`anvil_autoImpersonateAccount`). */
  autoImpersonate?: boolean
}

const setupKey = concatBytes(Uint8Array.of(PREFIX.meta), utf8ToBytes('dev:setup'))
const recordKey = concatBytes(Uint8Array.of(PREFIX.meta), utf8ToBytes('dev:state'))

const json = (value: unknown) => utf8ToBytes(JSON.stringify(value))

function readJson<T>(db: ChainDb, key: Uint8Array): T | undefined {
  const bytes = db.read(key)
  return bytes === undefined ? undefined : (JSON.parse(bytesToUtf8(bytes)) as T)
}

/** Queued bytes after which mining waits for the database. */
const FLUSH_BYTES = 32 << 20

/**
 * A development node: a {@link DevChain}, its transaction pool, the unlocked accounts, and
 * mining (automine, interval, manual). The JSON-RPC methods over it are in `methods.ts`;
 * the `crucible node --dev` command only opens the database and starts the server.
 */
export class DevNode {
  readonly chain: DevChain
  readonly pool = new TxPool({ perSender: 1024 })
  readonly setup: DevSetup
  readonly accounts: DevAccount[]
  readonly #keys = new Map<bigint, Uint8Array>()
  #record: DevRecord
  #automine: boolean
  #interval: ReturnType<typeof setInterval> | undefined
  #blockTime: number | undefined
  readonly #now: () => number
  readonly #blockListeners = new Set<(block: ChainBlock) => void>()
  readonly #preimages: Preimages
  /** Hashes of waiting transactions sent from impersonated accounts (no real signature). */
  readonly #unsigned = new Set<string>()

  private constructor(
    chain: DevChain,
    setup: DevSetup,
    record: DevRecord,
    preimages: Preimages,
    options: DevNodeOptions,
  ) {
    this.chain = chain
    this.#preimages = preimages
    this.setup = setup
    this.accounts = devAccounts(setup.mnemonic, setup.accounts)
    for (const a of this.accounts) this.#keys.set(a.address, a.privateKey)
    this.#record = record
    this.#now = options.now ?? Date.now
    this.#automine = options.automine ?? options.blockTime === undefined
    if (options.blockTime !== undefined) this.setIntervalMining(options.blockTime)
  }

  /**
   * Opens (or creates) the dev chain in `kv`. A store that holds one resumes where it was:
   * its setup (chain id, fork, mnemonic, ...) wins over `options`; `created` says which.
   */
  static async open(kv: KvStore, options: DevNodeOptions = {}): Promise<{ node: DevNode; created: boolean }> {
    const db = await ChainDb.open(kv)
    let setup = readJson<DevSetup>(db, setupKey)
    const created = setup === undefined
    const now = options.now ?? Date.now
    let chain: DevChain
    if (setup === undefined && options.fork !== undefined) {
      ;({ setup, chain } = await openFork(db, options, options.fork))
      db.write(new WriteBatch().put(setupKey, json(setup)))
    } else {
      setup ??= {
        chainId: (options.chainId ?? 31337n).toString(),
        hardfork: options.hardfork ?? NEWEST_FORK,
        mnemonic: options.mnemonic ?? DEFAULT_MNEMONIC,
        accounts: options.accounts ?? 10,
        balance: (options.balance ?? DEFAULT_BALANCE).toString(),
        gasLimit: (options.gasLimit ?? DEFAULT_GAS_LIMIT).toString(),
        timestamp: BigInt(Math.floor(now() / 1000)).toString(),
      }
      chain =
        setup.fork === undefined
          ? DevNode.#openChain(db, setup)
          : resumeFork(db, setup, setup.fork, options.fork ?? { url: setup.fork.url })
      if (created) db.write(new WriteBatch().put(setupKey, json(setup)))
    }
    const head = chain.head()
    let record = readJson<DevRecord>(db, recordKey)
    if (record === undefined)
      record = {
        head: head.key,
        pendingRoot: bytesToHex(chain.rootOf(head)),
        timeOffset: '0',
        coinbase: bytesToHex(new Uint8Array(20)),
        snapshots: [],
        snapshotCounter: 0,
      }
    else if (record.head !== head.key) {
      // Written before the last block: what it kept for the next block is in that block.
      record.head = head.key
      record.pendingRoot = bytesToHex(chain.rootOf(head))
      delete record.nextTimestamp
      delete record.nextBaseFee
    } else chain.setPendingRoot(hexToBytes(record.pendingRoot))
    const preimages = created ? new Preimages() : undefined
    if (preimages) preimages.record(db, chain.working())
    await db.flush()
    if (!created) await chain.loadSenders(kv)
    return {
      node: new DevNode(chain, setup, record, preimages ?? (await Preimages.load(kv)), options),
      created,
    }
  }

  static #openChain(db: ChainDb, setup: DevSetup): DevChain {
    const accounts = devAccounts(setup.mnemonic, setup.accounts)
    const genesis = devGenesis({
      chainId: BigInt(setup.chainId),
      hardfork: setup.hardfork,
      accounts: accounts.map((a) => a.address),
      balance: BigInt(setup.balance),
      gasLimit: BigInt(setup.gasLimit),
      timestamp: BigInt(setup.timestamp),
    })
    return DevChain.open(db, genesis)
  }

  // ---- Accounts -------------------------------------------------------------------------

  /** The private key of an unlocked account, if it is one. */
  keyOf(address: bigint): Uint8Array | undefined {
    return this.#keys.get(address)
  }

  // ---- Mining settings ------------------------------------------------------------------

  get automine(): boolean {
    return this.#automine
  }
  set automine(on: boolean) {
    this.#automine = on
    if (on) this.setIntervalMining(0)
  }
  /** Seconds between interval-mined blocks, or undefined. */
  get blockTime(): number | undefined {
    return this.#blockTime
  }

  /** Mines a block every `seconds` (0 stops interval mining). */
  setIntervalMining(seconds: number): void {
    if (this.#interval !== undefined) clearInterval(this.#interval)
    this.#interval = undefined
    this.#blockTime = undefined
    if (seconds > 0) {
      this.#automine = false
      this.#blockTime = seconds
      this.#interval = setInterval(() => {
        void this.resolve(() => this.mine())
          .then(() => this.chain.db.flush())
          .catch(() => undefined)
      }, seconds * 1000)
      // A server keeps the process alive; the timer alone should not.
      ;(this.#interval as { unref?: () => void }).unref?.()
    }
  }

  /** Calls `listener` with each mined block. */
  onBlock(listener: (block: ChainBlock) => void): () => void {
    this.#blockListeners.add(listener)
    return () => this.#blockListeners.delete(listener)
  }

  // ---- The record -----------------------------------------------------------------------

  get record(): Readonly<DevRecord> {
    return this.#record
  }

  /** Changes the record and writes it (with the pending state's changes, when `state`). */
  update(change: (record: DevRecord) => void, state = false): void {
    this.#record.head = this.chain.head().key
    this.#record.pendingRoot = bytesToHex(this.chain.pendingRoot)
    change(this.#record)
    this.#writeRecord(state)
  }

  #writeRecord(state: boolean): void {
    const batch = new WriteBatch()
    if (state) this.chain.persistPending(batch)
    this.#record.head = this.chain.head().key
    this.#record.pendingRoot = bytesToHex(this.chain.pendingRoot)
    batch.put(recordKey, json(this.#record))
    this.chain.db.write(batch)
  }

  /** Waits until everything written is in the database (before answering a request). */
  async flush(): Promise<void> {
    await this.chain.db.flush()
  }

  // ---- Impersonation ----------------------------------------------------------------------

  /** Whether `address` may send without a key. */
  isImpersonated(address: bigint): boolean {
    return (
      this.#record.autoImpersonate === true ||
      (this.#record.impersonated ?? []).includes(`0x${address.toString(16).padStart(40, '0')}`)
    )
  }

  setImpersonated(address: bigint, on: boolean): void {
    const hex = `0x${address.toString(16).padStart(40, '0')}`
    this.update((r) => {
      const list = (r.impersonated ?? []).filter((a) => a !== hex)
      if (on) list.push(hex)
      r.impersonated = list
    })
  }

  /** Notes a waiting transaction as sent by an impersonated account (its signature is not real). */
  markUnsigned(hash: Uint8Array): void {
    this.#unsigned.add(bytesToHex(hash))
  }

  /**
   * `anvil_reset`: back to the genesis block and state, with nothing pending and the
   * settings, snapshots and impersonations cleared (the old blocks stay in the database,
   * no longer canonical).
   */
  reset(): void {
    this.pool.clear()
    this.#unsigned.clear()
    this.chain.setHead(this.chain.genesis().hash)
    this.update((r) => {
      r.timeOffset = '0'
      r.coinbase = bytesToHex(new Uint8Array(20))
      r.snapshots = []
      delete r.gasLimit
      delete r.minGasPrice
      delete r.nextTimestamp
      delete r.nextBaseFee
      delete r.impersonated
      delete r.autoImpersonate
    })
  }

  // ---- Time -----------------------------------------------------------------------------

  /** The clock in seconds, with the offset of `evm_increaseTime` / `anvil_setTime`. */
  time(): bigint {
    return BigInt(Math.floor(this.#now() / 1000)) + BigInt(this.#record.timeOffset)
  }

  #nextTimestamp(): bigint {
    const parent = this.chain.head().block.header.timestamp
    if (this.#record.nextTimestamp !== undefined) return BigInt(this.#record.nextTimestamp)
    const now = this.time()
    return now > parent ? now : parent + 1n
  }

  // ---- Mining ---------------------------------------------------------------------------

  /** Pending transactions in the order a block takes them: each sender's by nonce, higher tips first. */
  pendingTransactions(): PooledTransaction[] {
    const state = this.chain.working()
    const { pending } = this.pool.split((sender) => state.getNonce(sender))
    const queues = [...pending.values()]
    const out: PooledTransaction[] = []
    const tip = (p: PooledTransaction) =>
      p.tx.type === 0 || p.tx.type === 1 ? p.tx.gasPrice : p.tx.maxPriorityFeePerGas
    for (;;) {
      let best = -1
      for (let i = 0; i < queues.length; i++)
        if (queues[i]!.length > 0 && (best < 0 || tip(queues[i]![0]!) > tip(queues[best]![0]!))) best = i
      if (best < 0) return out
      out.push(queues[best]!.shift()!)
    }
  }

  /**
   * Mines one block on the head: the given transactions, or those pending (as many as the
   * block's gas limit takes). A transaction that cannot be included is dropped from the pool
   * and left out (with one transaction, its error is thrown).
   */
  mine(options: { timestamp?: bigint; transactions?: PooledTransaction[] } = {}): ChainBlock {
    const gasLimit = BigInt(this.#record.gasLimit ?? this.setup.gasLimit)
    let candidates = options.transactions
    if (!candidates) {
      candidates = []
      let gas = 0n
      for (const p of this.pendingTransactions()) {
        if (gas + p.tx.gasLimit > gasLimit) continue
        gas += p.tx.gasLimit
        candidates.push(p)
      }
    }
    const timestamp = options.timestamp ?? this.#nextTimestamp()
    let included = candidates
    let built: ReturnType<typeof buildBlock>
    try {
      built = this.#build(included, timestamp, gasLimit)
    } catch (error) {
      // Upstream state not fetched yet (fork mode): the caller fetches it and mines again.
      if (missOf(error)) throw error
      if (candidates.length === 1) {
        this.pool.remove(candidates[0]!.hash)
        throw error
      }
      // Find the transactions that fit, one at a time (rare: the pool checked each one).
      included = []
      for (const p of candidates) {
        try {
          this.#build([...included, p], timestamp, gasLimit)
          included.push(p)
        } catch (error) {
          if (missOf(error)) throw error
          this.pool.remove(p.hash)
        }
        this.chain.dropWorking()
      }
      built = this.#build(included, timestamp, gasLimit)
    }
    const head = this.chain.head()
    const stored: ChainBlock = {
      hash: built.hash,
      key: bytesToHex(built.hash),
      block: built.block,
      totalDifficulty: head.totalDifficulty,
      receipts: built.receipts,
    }
    if (included.some((p) => this.#unsigned.has(bytesToHex(p.hash))))
      stored.senders = included.map((p) => (this.#unsigned.delete(bytesToHex(p.hash)) ? p.sender : undefined))
    if (built.requests.length > 0 || built.block.header.requestsHash) stored.requests = built.requests
    this.chain.commit(stored)
    const state = this.chain.working()
    this.#preimages.record(this.chain.db, state)
    this.pool.prune((sender) => state.getNonce(sender))
    if (this.#record.nextTimestamp !== undefined || this.#record.nextBaseFee !== undefined) {
      delete this.#record.nextTimestamp
      delete this.#record.nextBaseFee
      this.#writeRecord(false)
    }
    for (const listener of this.#blockListeners) listener(stored)
    return stored
  }

  #build(transactions: PooledTransaction[], timestamp: bigint, gasLimit: bigint) {
    const head = this.chain.head()
    const number = head.block.header.number + 1n
    try {
      return buildBlock(
        this.chain,
        head,
        transactions.map((p) => p.bytes),
        {
          timestamp,
          prevRandao: keccak256(bigIntToBytes(number, 32)),
          feeRecipient: hexToBytes(this.#record.coinbase),
          gasLimit,
          ...(this.#record.nextBaseFee !== undefined
            ? { baseFeePerGas: BigInt(this.#record.nextBaseFee) }
            : {}),
        },
        // The pool recovered every sender already (and impersonated ones have no signature).
        { state: this.chain.working(), senders: transactions.map((p) => p.sender) },
      )
    } catch (error) {
      this.chain.dropWorking()
      throw error
    }
  }

  /**
   * Mines `count` blocks, `interval` seconds apart (the first at the next timestamp): what
   * `anvil_mine` does. Each empty block costs the same small, constant work (its system calls
   * change a few slots; the rest of the state is shared through the trie).
   */
  async mineBlocks(count: bigint, interval = 1n): Promise<void> {
    let timestamp: bigint | undefined
    for (let i = 0n; i < count; i++) {
      const at = timestamp
      const block = await this.resolve(() => this.mine(at === undefined ? {} : { timestamp: at }))
      timestamp = block.block.header.timestamp + (interval > 0n ? interval : 1n)
      if (this.chain.db.pendingBytes > FLUSH_BYTES) await this.chain.db.flush()
    }
    await this.flush()
  }

  /** After a transaction entered the pool: mine it at once when automining. */
  async afterSubmit(hash: Uint8Array): Promise<void> {
    if (!this.#automine) return
    const pending = await this.resolve(() => this.pendingTransactions())
    // One block per transaction, as anvil does; the submitted one fails loudly.
    for (const p of pending) {
      try {
        await this.resolve(() => this.mine({ transactions: [p] }))
      } catch (error) {
        if (bytesToHex(p.hash) === bytesToHex(hash)) throw error
      }
    }
  }

  /**
   * Runs `fn` to completion: on a forked chain, each read of upstream state not fetched yet
   * is fetched and `fn` runs again (see `ForkState.run`); otherwise once.
   */
  async resolve<T>(fn: () => T | Promise<T>): Promise<T> {
    const fork = this.chain.fork
    return fork === undefined ? fn() : fork.run(fn)
  }

  /** Stops interval mining and writes what is queued. */
  async close(): Promise<void> {
    this.setIntervalMining(0)
    await this.chain.db.close()
  }

  /**
   * An out-of-band change of the pending state (`anvil_setBalance`, ...): `latest` reads
   * see it at once, the next block builds on it, and it is persisted with the record.
   */
  changeState(change: (state: WorldState) => void): void {
    const state = this.chain.working()
    state.beginTransaction()
    try {
      change(state)
    } finally {
      state.endTransaction([], false)
    }
    this.#writeRecord(true)
    this.#preimages.record(this.chain.db, state)
  }

  /** The pending state in anvil's dump format. */
  dumpState(): AnvilState {
    const state = this.chain.stateAt(this.chain.head())
    return dumpState(state as WorldState, this.chain.head(), this.#preimages.accounts(), (a) =>
      this.#preimages.slots(a),
    )
  }

  /**
   * Loads an anvil state dump (JSON text, or hex as `anvil_loadState` takes it, gzipped or
   * not) into the pending state: each account's balance, code and storage set, its nonce
   * raised to the dump's (anvil keeps the larger).
   */
  async loadState(input: string): Promise<void> {
    let json: unknown
    try {
      json = JSON.parse(await dumpText(input.trim()))
    } catch (error) {
      if (error instanceof StateDumpError) throw error
      throw new StateDumpError('the state dump is not JSON (nor gzipped JSON)')
    }
    const alloc = parseState(json)
    await this.resolve(() =>
      this.changeState((state) => {
        for (const [hex, a] of Object.entries(alloc)) {
          const address = BigInt(hex)
          const nonce = BigInt(a.nonce ?? 0)
          if (nonce > state.getNonce(address)) state.setNonce(address, nonce)
          state.setBalance(address, BigInt(a.balance ?? 0))
          if (a.code && a.code !== '0x') state.setCode(address, hexToBytes(a.code as `0x${string}`))
          for (const [slot, value] of Object.entries(a.storage ?? {}))
            state.setStorage(address, BigInt(slot), BigInt(value))
        }
      }),
    )
    await this.flush()
  }
}
