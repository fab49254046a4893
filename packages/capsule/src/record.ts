import { type Block, type BlockHeader, headerHash, validateResult } from '@crucible/block'
import type { BlockEnv, TransactionInput } from '@crucible/evm-types'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import {
  bytesToBigInt,
  bytesToHex,
  bytesToUnprefixedHex,
  compareBytes,
  decodeRlp,
  equalBytes,
  KECCAK256_EMPTY,
  KECCAK256_RLP_EMPTY,
} from '@crucible/primitives'
import { accountKey, type StateDatabase, slotKey, WorldState } from '@crucible/state'
import { type NodeStore, Trie } from '@crucible/trie'
import { CapsuleError } from './errors.js'
import { runInput, stateDiff } from './execute.js'
import { capsuleRules, chainOfCapsule } from './rules.js'
import type {
  AccountEntry,
  AccountFields,
  CallOverride,
  Capsule,
  CapsuleInput,
  CapsuleMode,
  PreState,
  SlotEntry,
} from './types.js'

/** BLOCKHASH reaches this many ancestors back (the EVM applies the window). */
const BLOCKHASH_WINDOW = 256

/** Where a recording reads: the stored state and the headers of the chain. */
export interface RecordSource {
  /** A database holding the anchor's post-state (an archive holds every block's). */
  database: StateDatabase
  /** A header by hash: the anchor's ancestors are walked through it for BLOCKHASH. */
  getHeader(hash: Uint8Array): BlockHeader | undefined
  chain: ChainConfig
  /** `verified` (default) carries the trie nodes; `flat` only accounts, slots and code. */
  mode?: CapsuleMode
}

export interface RecordBlockOptions extends RecordSource {
  block: Block
  /** The rules in force at the block (`Blockchain.rulesFor` knows the merge). */
  rules: ForkRules
  /** Cut a capsule of this one transaction of the block (the ones before it run first). */
  transactionIndex?: number
}

export interface RecordCallOptions extends RecordSource {
  /** The block whose post-state the call runs on. */
  header: BlockHeader
  /** The rules the call runs under. */
  rules: ForkRules
  env: BlockEnv
  tx: TransactionInput
  overrides?: CallOverride[]
}

/** A read-only node store over a state database. */
export function nodeStoreOf(database: StateDatabase): NodeStore {
  return {
    get: (hash) => database.getNode(hash),
    put: () => {},
  }
}

function accountFromLeaf(leaf: Uint8Array): AccountFields {
  const f = decodeRlp(leaf) as Uint8Array[]
  return { nonce: bytesToBigInt(f[0]!), balance: bytesToBigInt(f[1]!), storageRoot: f[2]!, codeHash: f[3]! }
}

/**
 * Notes everything one execution reads: accounts and slots (through the state's read
 * observer), trie nodes and code (through the database), and BLOCKHASH numbers.
 */
class Recorder {
  readonly accounts = new Set<bigint>()
  readonly slots = new Map<bigint, Set<bigint>>()
  readonly nodes = new Map<string, Uint8Array>()
  readonly codes = new Map<string, Uint8Array>()
  private readonly ancestors: BlockHeader[]
  private oldest: number
  readonly db: StateDatabase

  constructor(
    private readonly source: RecordSource,
    readonly anchor: BlockHeader,
  ) {
    this.ancestors = [anchor]
    this.oldest = 0
    const database = source.database
    this.db = {
      getNode: (hash) => {
        const node = database.getNode(hash)
        if (node !== undefined) this.nodes.set(bytesToUnprefixedHex(hash), node)
        return node
      },
      getCode: (hash) => {
        const code = database.getCode(hash)
        if (code !== undefined) this.codes.set(bytesToUnprefixedHex(hash), code)
        return code
      },
    }
  }

  open(): WorldState {
    return WorldState.open(this.db, this.anchor.stateRoot, {
      blockHash: (n) => this.blockHash(n),
      observer: {
        account: (address) => {
          this.accounts.add(address)
        },
        storage: (address, key) => {
          let keys = this.slots.get(address)
          if (keys === undefined) this.slots.set(address, (keys = new Set()))
          keys.add(key)
        },
      },
    })
  }

  private blockHash(number: bigint): bigint {
    const back = Number(this.anchor.number - number)
    if (back < 0 || back >= BLOCKHASH_WINDOW) return 0n
    while (this.ancestors.length <= back) {
      const last = this.ancestors[this.ancestors.length - 1]!
      if (last.number === 0n) return 0n
      const parent = this.source.getHeader(last.parentHash)
      if (parent === undefined)
        throw new CapsuleError('NOT_RECORDABLE', 'an ancestor header is not known', {
          parentHash: bytesToHex(last.parentHash),
        })
      this.ancestors.push(parent)
    }
    if (back > this.oldest) this.oldest = back
    return bytesToBigInt(headerHash(this.ancestors[back]!))
  }

  /** The headers from the oldest BLOCKHASH read to the anchor, ascending. */
  headers(): BlockHeader[] {
    return this.ancestors.slice(0, this.oldest + 1).reverse()
  }

  /** The pre-state values of what was read, looked up in the anchor's state (not observed). */
  preState(mode: CapsuleMode): PreState {
    const store = nodeStoreOf(this.source.database)
    const trie = new Trie({ store, root: this.anchor.stateRoot })
    const accounts: AccountEntry[] = []
    const fields = new Map<bigint, AccountFields>()
    for (const address of this.accounts) {
      const leaf = trie.getRaw(accountKey(address))
      const account = leaf === undefined ? undefined : accountFromLeaf(leaf)
      if (account) fields.set(address, account)
      accounts.push({ address, account })
    }
    const storage: SlotEntry[] = []
    for (const [address, keys] of this.slots) {
      const account = fields.get(address)
      if (account === undefined || equalBytes(account.storageRoot, KECCAK256_RLP_EMPTY)) continue
      const storageTrie = new Trie({ store, root: account.storageRoot })
      for (const key of keys) {
        const enc = storageTrie.getRaw(slotKey(key))
        storage.push({
          address,
          key,
          value: enc === undefined ? 0n : bytesToBigInt(decodeRlp(enc) as Uint8Array),
        })
      }
    }
    const codes = [...this.codes.values()].filter((c) => c.length > 0)
    for (const account of fields.values()) {
      if (equalBytes(account.codeHash, KECCAK256_EMPTY)) continue
      if (!this.codes.has(bytesToUnprefixedHex(account.codeHash)))
        throw new CapsuleError('NOT_RECORDABLE', 'an account read has code that was not read')
    }
    // In memory as on the wire: sorted (see encodeCapsule), so a decoded capsule equals this one.
    const byNumber = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)
    accounts.sort((a, b) => byNumber(a.address, b.address))
    storage.sort((a, b) => byNumber(a.address, b.address) || byNumber(a.key, b.key))
    codes.sort(compareBytes)
    const nodes = mode === 'verified' ? [...this.nodes.values()].sort(compareBytes) : []
    return { accounts, storage, codes, nodes }
  }
}

function record(
  source: RecordSource,
  anchor: BlockHeader,
  input: CapsuleInput,
  rules: ForkRules,
  blockNumber?: bigint,
): Capsule {
  const mode = source.mode ?? 'verified'
  // The run uses the rules as the capsule will carry them, so that replay sees the same.
  const kept = capsuleRules(source.chain, rules, blockNumber)
  const replayed = chainOfCapsule(kept, blockNumber ?? 0n)
  const recorder = new Recorder(source, anchor)
  const state = recorder.open()
  const { outcome, block } = runInput(input, state, replayed.chain, replayed.rules, mode === 'verified')
  if (block !== undefined && input.kind === 'block') validateResult(input.block.header, block)
  const pre = recorder.preState(mode)
  outcome.diff = stateDiff(state, pre)
  return { mode, rules: kept, headers: recorder.headers(), input, pre, expected: outcome }
}

function parentOf(source: RecordSource, block: Block): BlockHeader {
  if (block.header.number === 0n)
    throw new CapsuleError('NOT_RECORDABLE', 'the genesis block has no parent state')
  const parent = source.getHeader(block.header.parentHash)
  if (parent === undefined)
    throw new CapsuleError('NOT_RECORDABLE', 'the parent header is not known', {
      parentHash: bytesToHex(block.header.parentHash),
    })
  return parent
}

/**
 * Cuts the capsule of a block (or of one of its transactions) by executing it on its
 * parent's post-state and noting every read. A block must execute to its header's roots.
 */
export function recordBlock(options: RecordBlockOptions): Capsule {
  const { block } = options
  const parent = parentOf(options, block)
  const index = options.transactionIndex
  if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= block.transactions.length))
    throw new CapsuleError('NOT_RECORDABLE', 'the block has no such transaction', { index })
  const input: CapsuleInput =
    index === undefined ? { kind: 'block', block } : { kind: 'transaction', block, index }
  return record(options, parent, input, options.rules, block.header.number)
}

/** Cuts the capsule of one call on the post-state of `header`. */
export function recordCall(options: RecordCallOptions): Capsule {
  const input: CapsuleInput = {
    kind: 'call',
    env: options.env,
    tx: options.tx,
    overrides: options.overrides ?? [],
  }
  return record(options, options.header, input, options.rules)
}
