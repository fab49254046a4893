import { type BlockHeader, headerHash, validateResult } from '@crucible/block'
import type { ExecutionLimits, Inspector } from '@crucible/evm'
import { Fork } from '@crucible/forks'
import {
  bytesToBigInt,
  bytesToHex,
  bytesToUnprefixedHex,
  decodeRlp,
  EMPTY_BYTES,
  encodeRlp,
  equalBytes,
  KECCAK256_EMPTY,
  KECCAK256_RLP_EMPTY,
  keccak256,
  numberToHex,
} from '@crucible/primitives'
import { accountKey, type StateBackend, type StateDatabase, slotKey, WorldState } from '@crucible/state'
import { Trie } from '@crucible/trie'
import { decodeCapsule, encodeDiff, encodeLogs } from './codec.js'
import { CapsuleError, findExecutionAborted, outsideCapsule } from './errors.js'
import { type RunResult, runInput, stateDiff } from './execute.js'
import { nodeStoreOf } from './record.js'
import { chainOfCapsule } from './rules.js'
import type { AccountFields, Capsule, CapsuleOutcome } from './types.js'

/** One value the replay computed differently from the capsule's expected outcome. */
export interface Mismatch {
  field: string
  expected: string
  actual: string
}

/** What a replay found. */
export interface ReplayReport {
  /** True when every recomputed value matches the capsule (and, for a block, its header). */
  ok: boolean
  mismatches: Mismatch[]
  /** What a flat capsule cannot recompute (the post-state root; pre-Byzantium receipts). */
  unchecked: string[]
  /** The outcome as recomputed. */
  outcome: CapsuleOutcome
}

const hexAddress = (a: bigint): string => `0x${a.toString(16).padStart(40, '0')}`
/** The root a flat replay reports: it cannot compute one (no trie nodes). */
const UNCOMPUTED_ROOT = new Uint8Array(32)

/** A state over a backend, for flat capsules: the post-state root is not computable. */
class FlatState extends WorldState {
  override stateRoot(): Uint8Array {
    return UNCOMPUTED_ROOT
  }
}

/** The capsule's trie nodes and code, by keccak256, noting which were read. */
export class CapsuleDatabase implements StateDatabase {
  // Annotated: an inferred type is emitted as `Uint8Array<ArrayBufferLike>`, which TypeScript < 5.7 rejects.
  readonly nodes: Map<string, Uint8Array> = new Map()
  readonly codes: Map<string, Uint8Array> = new Map()
  readonly usedNodes = new Set<string>()
  readonly usedCodes = new Set<string>()
  constructor(capsule: Capsule) {
    for (const node of capsule.pre.nodes) this.nodes.set(bytesToUnprefixedHex(keccak256(node)), node)
    for (const code of capsule.pre.codes) this.codes.set(bytesToUnprefixedHex(keccak256(code)), code)
  }
  getNode(hash: Uint8Array): Uint8Array | undefined {
    const id = bytesToUnprefixedHex(hash)
    this.usedNodes.add(id)
    return this.nodes.get(id)
  }
  getCode(codeHash: Uint8Array): Uint8Array | undefined {
    const id = bytesToUnprefixedHex(codeHash)
    this.usedCodes.add(id)
    return this.codes.get(id)
  }
  /** Reads that do not count as use (the proof checks). */
  get unobserved(): StateDatabase {
    return {
      getNode: (h) => this.nodes.get(bytesToUnprefixedHex(h)),
      getCode: (h) => this.codes.get(bytesToUnprefixedHex(h)),
    }
  }
}

/** The headers link (each is its successor's parent) and end at the block's parent. */
export function checkHeaders(capsule: Capsule): void {
  const headers = capsule.headers
  if (headers.length === 0)
    throw new CapsuleError('HEADER_LINK', 'a capsule holds at least its anchor header')
  for (let i = 1; i < headers.length; i++) {
    const h = headers[i]!
    if (!equalBytes(h.parentHash, headerHash(headers[i - 1]!)) || h.number !== headers[i - 1]!.number + 1n)
      throw new CapsuleError('HEADER_LINK', 'a header is not the parent of the next one', {
        number: h.number,
      })
  }
  const input = capsule.input
  if (input.kind !== 'call') {
    const anchor = headers[headers.length - 1]!
    const header = input.block.header
    if (!equalBytes(header.parentHash, headerHash(anchor)) || header.number !== anchor.number + 1n)
      throw new CapsuleError('HEADER_LINK', 'the last header is not the parent of the block', {
        number: header.number,
      })
  }
}

/** BLOCKHASH from the capsule's headers; any other number in the window is outside it. */
function blockHashes(headers: readonly BlockHeader[]): (n: bigint) => bigint {
  const first = headers[0]!.number
  const hashes = headers.map((h) => bytesToBigInt(headerHash(h)))
  return (n) => {
    const i = n - first
    if (i < 0n || i >= BigInt(hashes.length))
      throw new CapsuleError('OUTSIDE_CAPSULE', 'BLOCKHASH of a block outside the capsule', {
        kind: 'blockhash',
        number: n,
      })
    return hashes[Number(i)]!
  }
}

function encodeFields(a: AccountFields): Uint8Array {
  return encodeRlp([a.nonce, a.balance, a.storageRoot, a.codeHash])
}

/** Verified mode: every listed account and slot is what the trie nodes prove at the anchor's root. */
export function checkProofs(capsule: Capsule, db: StateDatabase): void {
  const store = nodeStoreOf(db)
  const trie = new Trie({ store, root: capsule.headers[capsule.headers.length - 1]!.stateRoot })
  const roots = new Map<bigint, Uint8Array>()
  for (const { address, account } of capsule.pre.accounts) {
    const leaf = trie.getRaw(accountKey(address))
    const listed = account === undefined ? undefined : encodeFields(account)
    if (leaf === undefined ? listed !== undefined : listed === undefined || !equalBytes(leaf, listed))
      throw new CapsuleError('PROOF_MISMATCH', 'a listed account is not what the state root proves', {
        kind: 'account',
        address: hexAddress(address),
      })
    if (account !== undefined) roots.set(address, account.storageRoot)
  }
  const tries = new Map<bigint, Trie>()
  for (const { address, key, value } of capsule.pre.storage) {
    const root = roots.get(address)
    // A slot of an unlisted account: execution reads that account first and stops there, or
    // never does and the slot is an unused entry.
    if (root === undefined) continue
    if (equalBytes(root, KECCAK256_RLP_EMPTY))
      throw new CapsuleError('PROOF_MISMATCH', 'a listed slot belongs to an account without storage', {
        kind: 'storage',
        address: hexAddress(address),
        key: numberToHex(key),
      })
    let storage = tries.get(address)
    if (storage === undefined) tries.set(address, (storage = new Trie({ store, root })))
    const enc = storage.getRaw(slotKey(key))
    const proven = enc === undefined ? 0n : bytesToBigInt(decodeRlp(enc) as Uint8Array)
    if (proven !== value)
      throw new CapsuleError('PROOF_MISMATCH', 'a listed slot is not what the storage root proves', {
        kind: 'storage',
        address: hexAddress(address),
        key: numberToHex(key),
      })
  }
}

/** How a replay runs (see {@link replayCapsule}). */
export interface ReplayOptions {
  /**
   * Bounds beyond gas for the capsule's execution (a capsule from anywhere is untrusted
   * input): crossing one throws `ExecutionAbortedError` from `@crucible/evm` (found with
   * `findExecutionAborted`), never a report.
   */
  limits?: ExecutionLimits
  /** Sees the steps of the capsule's own transactions (a step cap counts them). */
  inspector?: Inspector
}

function run(capsule: Capsule, state: WorldState, withRoot: boolean, options: ReplayOptions): RunResult {
  const number = capsule.input.kind === 'call' ? capsule.input.env.number : capsule.input.block.header.number
  const { chain, rules } = chainOfCapsule(capsule.rules, number)
  try {
    return runInput(capsule.input, state, chain, rules, withRoot, options)
  } catch (error) {
    const aborted = findExecutionAborted(error)
    if (aborted !== undefined) throw aborted
    throw outsideCapsule(error)
  }
}

/**
 * The pre-state of a verified capsule: reads go through its trie nodes from the anchor's root,
 * and only to listed accounts and slots (any other is `OUTSIDE_CAPSULE`); `seen` collects what was read.
 */
export function openVerifiedState(
  capsule: Capsule,
  db: CapsuleDatabase = new CapsuleDatabase(capsule),
  seen: { accounts: Set<bigint>; slots: Set<string> } = { accounts: new Set(), slots: new Set() },
): WorldState {
  const accounts = new Set(capsule.pre.accounts.map((a) => a.address))
  const slots = new Map<bigint, Set<bigint>>()
  for (const s of capsule.pre.storage) {
    let keys = slots.get(s.address)
    if (keys === undefined) slots.set(s.address, (keys = new Set()))
    keys.add(s.key)
  }
  const anchor = capsule.headers[capsule.headers.length - 1]!
  return WorldState.open(db, anchor.stateRoot, {
    blockHash: blockHashes(capsule.headers),
    observer: {
      account(address) {
        if (!accounts.has(address))
          throw new CapsuleError('OUTSIDE_CAPSULE', 'execution read an account outside the capsule', {
            kind: 'account',
            address: hexAddress(address),
          })
        seen.accounts.add(address)
      },
      storage(address, key) {
        if (!slots.get(address)?.has(key))
          throw new CapsuleError('OUTSIDE_CAPSULE', 'execution read a storage slot outside the capsule', {
            kind: 'storage',
            address: hexAddress(address),
            key: numberToHex(key),
          })
        seen.slots.add(`${address}:${key}`)
      },
    },
  })
}

/** Verified replay: reads go through the trie nodes from the anchor's root, and only to listed items. */
function replayVerified(capsule: Capsule, options: ReplayOptions): { result: RunResult; state: WorldState } {
  const db = new CapsuleDatabase(capsule)
  checkProofs(capsule, db.unobserved)
  const seenAccounts = new Set<bigint>()
  const seenSlots = new Set<string>()
  const state = openVerifiedState(capsule, db, { accounts: seenAccounts, slots: seenSlots })
  const result = run(capsule, state, true, options)
  // A capsule holds exactly what execution reads: anything more is not the canonical witness.
  const unused = (what: string, details: Record<string, unknown>) =>
    new CapsuleError('UNUSED_ENTRY', `the capsule holds ${what} that execution never read`, details)
  for (const a of capsule.pre.accounts)
    if (!seenAccounts.has(a.address))
      throw unused('an account', { kind: 'account', address: hexAddress(a.address) })
  for (const s of capsule.pre.storage)
    if (!seenSlots.has(`${s.address}:${s.key}`))
      throw unused('a storage slot', {
        kind: 'storage',
        address: hexAddress(s.address),
        key: numberToHex(s.key),
      })
  for (const id of db.codes.keys())
    if (!db.usedCodes.has(id)) throw unused('code', { kind: 'code', codeHash: `0x${id}` })
  for (const id of db.nodes.keys())
    if (!db.usedNodes.has(id)) throw unused('a trie node', { kind: 'node', hash: `0x${id}` })
  return { result, state }
}

/** Flat replay: the listed accounts, slots and code loaded up front; any other read is a miss. */
/** The pre-state of a flat capsule: the listed accounts, slots and code loaded up front; any other read is a miss. */
export async function openFlatState(capsule: Capsule): Promise<WorldState> {
  const accounts = new Map(capsule.pre.accounts.map((a) => [a.address, a.account]))
  const slots = new Map<string, bigint>(capsule.pre.storage.map((s) => [`${s.address}:${s.key}`, s.value]))
  const codes = new Map(capsule.pre.codes.map((c) => [bytesToUnprefixedHex(keccak256(c)), c]))
  const backend: StateBackend = {
    async getAccount(address) {
      const a = accounts.get(address)
      if (a === undefined) return undefined
      if (!equalBytes(a.codeHash, KECCAK256_EMPTY) && !codes.has(bytesToUnprefixedHex(a.codeHash)))
        throw new CapsuleError('OUTSIDE_CAPSULE', 'an account has code the capsule does not hold', {
          kind: 'code',
          address: hexAddress(address),
          codeHash: bytesToHex(a.codeHash),
        })
      return a
    },
    async getStorage(address, key) {
      return slots.get(`${address}:${key}`) ?? 0n
    },
    async getCode(codeHash) {
      return codes.get(bytesToUnprefixedHex(codeHash)) ?? EMPTY_BYTES
    },
  }
  const state = new FlatState({ backend, blockHash: blockHashes(capsule.headers) })
  await state.prefetch(
    accounts.keys(),
    capsule.pre.storage.map((s) => [s.address, s.key] as const),
  )
  return state
}

/** Flat replay: the listed accounts, slots and code loaded up front; any other read is a miss. */
async function replayFlat(
  capsule: Capsule,
  options: ReplayOptions,
): Promise<{ result: RunResult; state: WorldState }> {
  const state = await openFlatState(capsule)
  return { result: run(capsule, state, false, options), state }
}

function compare(capsule: Capsule, result: RunResult, state: WorldState): ReplayReport {
  const outcome = result.outcome
  outcome.diff = stateDiff(state, capsule.pre)
  const expected = capsule.expected
  const mismatches: Mismatch[] = []
  const unchecked: string[] = []
  const flat = capsule.mode === 'flat'
  const check = (field: string, want: Uint8Array | bigint | number, got: Uint8Array | bigint | number) => {
    const same = want instanceof Uint8Array ? equalBytes(want, got as Uint8Array) : want === got
    if (!same) {
      const show = (v: Uint8Array | bigint | number) => (v instanceof Uint8Array ? bytesToHex(v) : String(v))
      mismatches.push({ field, expected: show(want), actual: show(got) })
    }
  }
  if (expected.kind === 'block' && outcome.kind === 'block' && capsule.input.kind === 'block') {
    check('blockHash', expected.blockHash, outcome.blockHash)
    check('gasUsed', expected.gasUsed, outcome.gasUsed)
    check('requestsHash', expected.requestsHash ?? EMPTY_BYTES, outcome.requestsHash ?? EMPTY_BYTES)
    const preByzantium = Fork[capsule.rules.fork] < Fork.Byzantium
    if (flat) unchecked.push('stateRoot')
    else check('stateRoot', expected.stateRoot, outcome.stateRoot)
    if (flat && preByzantium) unchecked.push('receiptsRoot', 'receipts')
    else {
      check('receiptsRoot', expected.receiptsRoot, outcome.receiptsRoot)
      check('receipts', encodeRlp(expected.receipts), encodeRlp(outcome.receipts))
    }
    if (!flat && result.block) {
      try {
        validateResult(capsule.input.block.header, result.block)
      } catch (error) {
        mismatches.push({ field: 'header', expected: 'the header', actual: (error as Error).message })
      }
    }
  } else if (expected.kind === 'call' && outcome.kind === 'call') {
    check('status', expected.status, outcome.status)
    check('gasUsed', expected.gasUsed, outcome.gasUsed)
    check('output', expected.output, outcome.output)
    check('logs', encodeLogs(expected.logs), encodeLogs(outcome.logs))
    if (flat) unchecked.push('stateRoot')
    else check('stateRoot', expected.stateRoot ?? EMPTY_BYTES, outcome.stateRoot ?? EMPTY_BYTES)
  } else mismatches.push({ field: 'kind', expected: expected.kind, actual: outcome.kind })
  check('diff', encodeDiff(expected.diff), encodeDiff(outcome.diff))
  return { ok: mismatches.length === 0, mismatches, unchecked, outcome }
}

/**
 * Replays a verified capsule synchronously, with no database: headers hash-linked, every
 * listed account and slot proven against the anchor's state root, execution confined to
 * the capsule (a read outside it is a {@link CapsuleError} `OUTSIDE_CAPSULE` naming the
 * account, slot, code, node or block number), and the outcome recomputed and compared.
 */
export function replayVerifiedCapsule(
  capsule: Capsule | Uint8Array,
  options: ReplayOptions = {},
): ReplayReport {
  const c = capsule instanceof Uint8Array ? decodeCapsule(capsule) : capsule
  if (c.mode !== 'verified') throw new CapsuleError('MALFORMED', 'a flat capsule replays with replayCapsule')
  checkHeaders(c)
  const { result, state } = replayVerified(c, options)
  return compare(c, result, state)
}

/** Replays a capsule of either mode (a flat one loads its pre-state asynchronously first). */
export async function replayCapsule(
  capsule: Capsule | Uint8Array,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const c = capsule instanceof Uint8Array ? decodeCapsule(capsule) : capsule
  if (c.mode === 'verified') return replayVerifiedCapsule(c, options)
  checkHeaders(c)
  const { result, state } = await replayFlat(c, options)
  return compare(c, result, state)
}
