import { decodeBlock, decodeHeader, encodeBlock, encodeHeader } from '@crucible/block'
import type { AccessListEntry, Authorization, BlockEnv, Log, TransactionInput } from '@crucible/evm-types'
import { type BlobParams, isForkName } from '@crucible/forks'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  bytesToUtf8,
  CrucibleError,
  compareBytes,
  concatBytes,
  decodeRlp,
  encodeRlp,
  equalBytes,
  keccak256,
  type RlpInput,
  type RlpItem,
  rlpBigInt,
  rlpBytes,
  rlpFixedBytes,
  rlpList,
  rlpNumber,
  utf8ToBytes,
} from '@crucible/primitives'
import { CapsuleError } from './errors.js'
import type {
  AccountEntry,
  AccountFields,
  CallOverride,
  Capsule,
  CapsuleInput,
  CapsuleOutcome,
  CapsuleRules,
  DiffEntry,
  PreState,
  SlotEntry,
} from './types.js'

/** The first four bytes of every capsule: 0x89 'C' 'A' 'P' (not text, not RLP of a list). */
export const CAPSULE_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x43, 0x41, 0x50)
/** The format version this code writes and reads. */
export const CAPSULE_VERSION = 1
/** Largest capsule decoded (a block's witness is a few MB; a hostile length is refused). */
const MAX_CAPSULE_BYTES = 512 * 1024 * 1024
const HASH_BYTES = 32

const KIND_BLOCK = 0
const KIND_TRANSACTION = 1
const KIND_CALL = 2

// ---- Encoding --------------------------------------------------------------------------

const u = (value: bigint | number): Uint8Array => bigIntToBytes(BigInt(value))
const addr = (value: bigint): Uint8Array => bigIntToBytes(value, 20)
const word = (value: bigint): Uint8Array => bigIntToBytes(value, 32)
/** An optional field: `[]` when absent, `[value]` when present (an empty string is a value). */
const opt = <T>(value: T | undefined, encode: (v: T) => RlpInput): RlpInput =>
  value === undefined ? [] : [encode(value)]

function sortedBy<T>(items: readonly T[], key: (item: T) => Uint8Array): T[] {
  return [...items].sort((a, b) => compareBytes(key(a), key(b)))
}

function rulesToRlp(rules: CapsuleRules): RlpInput {
  return [
    u(rules.chainId),
    utf8ToBytes(rules.fork),
    rules.blob ? [u(rules.blob.target), u(rules.blob.max), u(rules.blob.baseFeeUpdateFraction)] : [],
    u(rules.dao ? 1 : 0),
    rules.depositContract ?? new Uint8Array(0),
  ]
}

function accountToRlp(a: AccountFields): RlpInput {
  return [u(a.nonce), u(a.balance), a.storageRoot, a.codeHash]
}

function logToRlp(log: Log): RlpInput {
  return [addr(log.address), log.topics.map(word), log.data]
}

function slotsToRlp(slots: ReadonlyArray<readonly [bigint, bigint]>): RlpInput {
  return sortedBy(slots, ([k]) => word(k)).map(([k, v]) => [word(k), u(v)])
}

function diffToRlp(diff: readonly DiffEntry[]): RlpInput {
  return sortedBy(diff, (d) => addr(d.address)).map((d) => [
    addr(d.address),
    d.account === undefined
      ? new Uint8Array(0)
      : [u(d.account.nonce), u(d.account.balance), d.account.codeHash],
    slotsToRlp(d.storage),
  ])
}

/** The canonical bytes of a state diff (sorted), for comparing two diffs. */
export function encodeDiff(diff: readonly DiffEntry[]): Uint8Array {
  return encodeRlp(diffToRlp(diff))
}

/** The canonical bytes of a list of logs, for comparing two lists. */
export function encodeLogs(logs: readonly Log[]): Uint8Array {
  return encodeRlp(logs.map(logToRlp))
}

function envToRlp(env: BlockEnv): RlpInput {
  return [
    u(env.number),
    addr(env.coinbase),
    u(env.timestamp),
    u(env.gasLimit),
    u(env.difficulty),
    u(env.prevRandao),
    u(env.baseFee),
    u(env.blobBaseFee),
    u(env.chainId),
  ]
}

function txToRlp(tx: TransactionInput): RlpInput {
  return [
    u(tx.type),
    addr(tx.sender),
    opt(tx.to, addr),
    u(tx.nonce),
    u(tx.value),
    tx.data,
    u(tx.gasLimit),
    opt(tx.gasPrice, u),
    opt(tx.maxFeePerGas, u),
    opt(tx.maxPriorityFeePerGas, u),
    opt(tx.accessList, (list) => list.map((e) => [addr(e.address), e.storageKeys.map(word)])),
    opt(tx.maxFeePerBlobGas, u),
    opt(tx.blobVersionedHashes, (list) => list),
    opt(tx.authorizationList, (list) =>
      list.map((a) => [u(a.chainId), addr(a.address), u(a.nonce), opt(a.authority, addr)]),
    ),
    opt(tx.chainId, u),
  ]
}

function overridesToRlp(overrides: readonly CallOverride[]): RlpInput {
  return sortedBy(overrides, (o) => addr(o.address)).map((o) => [
    addr(o.address),
    opt(o.balance, u),
    opt(o.nonce, u),
    opt(o.code, (c) => c),
    opt(o.state, slotsToRlp),
    opt(o.stateDiff, slotsToRlp),
  ])
}

function inputToRlp(input: CapsuleInput): RlpInput {
  switch (input.kind) {
    case 'block':
      return [u(KIND_BLOCK), encodeBlock(input.block)]
    case 'transaction':
      return [u(KIND_TRANSACTION), encodeBlock(input.block), u(input.index)]
    case 'call':
      return [u(KIND_CALL), envToRlp(input.env), txToRlp(input.tx), overridesToRlp(input.overrides)]
  }
}

/** The pre-state lists, sorted and deduplicated (what the canonical form requires). */
function preToRlp(pre: PreState): RlpInput {
  const accounts = sortedBy(pre.accounts, (a) => addr(a.address))
  const byAddress = new Map<bigint, Array<[bigint, bigint]>>()
  for (const s of pre.storage) {
    let list = byAddress.get(s.address)
    if (list === undefined) byAddress.set(s.address, (list = []))
    list.push([s.key, s.value])
  }
  const storage = sortedBy([...byAddress], ([a]) => addr(a)).map(([a, slots]) => [addr(a), slotsToRlp(slots)])
  return [
    accounts.map((a) => [
      addr(a.address),
      a.account === undefined ? new Uint8Array(0) : accountToRlp(a.account),
    ]),
    storage,
    dedupSorted(pre.codes),
    dedupSorted(pre.nodes),
  ]
}

function dedupSorted(items: readonly Uint8Array[]): Uint8Array[] {
  const sorted = [...items].sort(compareBytes)
  return sorted.filter((b, i) => i === 0 || !equalBytes(b, sorted[i - 1]!))
}

function outcomeToRlp(outcome: CapsuleOutcome): RlpInput {
  if (outcome.kind === 'block')
    return [
      outcome.blockHash,
      outcome.stateRoot,
      outcome.receiptsRoot,
      u(outcome.gasUsed),
      outcome.receipts,
      opt(outcome.requestsHash, (h) => h),
      diffToRlp(outcome.diff),
    ]
  return [
    u(outcome.status),
    u(outcome.gasUsed),
    outcome.output,
    outcome.logs.map(logToRlp),
    diffToRlp(outcome.diff),
    opt(outcome.stateRoot, (h) => h),
  ]
}

/**
 * The canonical bytes of a capsule: magic, version, the RLP body, and the keccak256 of all of
 * that (the content hash). Lists are written sorted and deduplicated whatever order they are
 * given in, so the same capsule is the same bytes on every machine.
 */
export function encodeCapsule(capsule: Capsule): Uint8Array {
  const body = encodeRlp([
    u(capsule.mode === 'verified' ? 1 : 0),
    rulesToRlp(capsule.rules),
    capsule.headers.map(encodeHeader),
    inputToRlp(capsule.input),
    preToRlp(capsule.pre),
    outcomeToRlp(capsule.expected),
  ])
  const content = concatBytes(CAPSULE_MAGIC, Uint8Array.of(CAPSULE_VERSION), body)
  return concatBytes(content, keccak256(content))
}

/** The content hash of a capsule's bytes: its last 32 bytes (checked by {@link decodeCapsule}). */
export function capsuleHash(bytes: Uint8Array): Uint8Array {
  return bytes.slice(bytes.length - HASH_BYTES)
}

// ---- Decoding --------------------------------------------------------------------------

const big = (item: RlpItem | undefined, what: string, max = 32): bigint => rlpBigInt(item, what, max)
const address = (item: RlpItem | undefined, what: string): bigint =>
  bytesToBigInt(rlpFixedBytes(item, what, 20))
const hash32 = (item: RlpItem | undefined, what: string): Uint8Array => rlpFixedBytes(item, what, 32)
function optional<T>(item: RlpItem | undefined, what: string, decode: (i: RlpItem) => T): T | undefined {
  const list = rlpList(item, what)
  if (list.length > 1) throw new CapsuleError('MALFORMED', `${what}: an optional field holds one item`)
  return list.length === 0 ? undefined : decode(list[0]!)
}

function rulesFromRlp(item: RlpItem): CapsuleRules {
  const f = rlpList(item, 'rules', 5)
  const fork = bytesToUtf8(rlpBytes(f[1], 'fork'))
  if (!isForkName(fork)) throw new CapsuleError('MALFORMED', 'unknown fork name', { fork })
  const blobList = rlpList(f[2], 'blob parameters')
  let blob: BlobParams | undefined
  if (blobList.length > 0) {
    const b = rlpList(blobList, 'blob parameters', 3)
    blob = {
      target: rlpNumber(b[0], 'blob target'),
      max: rlpNumber(b[1], 'blob max'),
      baseFeeUpdateFraction: big(b[2], 'blob fraction'),
    }
  }
  const dao = rlpNumber(f[3], 'dao flag', 1)
  if (dao > 1) throw new CapsuleError('MALFORMED', 'the dao flag is 0 or 1')
  const deposit = rlpBytes(f[4], 'deposit contract')
  if (deposit.length !== 0 && deposit.length !== 20)
    throw new CapsuleError('MALFORMED', 'the deposit contract is empty or 20 bytes')
  const rules: CapsuleRules = { chainId: big(f[0], 'chain id'), fork, dao: dao === 1 }
  if (blob) rules.blob = blob
  if (deposit.length === 20) rules.depositContract = deposit
  return rules
}

function accountFromRlp(item: RlpItem, what: string): AccountFields {
  const f = rlpList(item, what, 4)
  return {
    nonce: big(f[0], `${what} nonce`, 8),
    balance: big(f[1], `${what} balance`),
    storageRoot: hash32(f[2], `${what} storage root`),
    codeHash: hash32(f[3], `${what} code hash`),
  }
}

function slotsFromRlp(item: RlpItem, what: string): Array<[bigint, bigint]> {
  return rlpList(item, what).map((s) => {
    const f = rlpList(s, what, 2)
    return [bytesToBigInt(hash32(f[0], `${what} key`)), big(f[1], `${what} value`)]
  })
}

function logFromRlp(item: RlpItem): Log {
  const f = rlpList(item, 'log', 3)
  return {
    address: address(f[0], 'log address'),
    topics: rlpList(f[1], 'log topics').map((t) => bytesToBigInt(hash32(t, 'log topic'))),
    data: rlpBytes(f[2], 'log data'),
  }
}

function diffFromRlp(item: RlpItem): DiffEntry[] {
  return rlpList(item, 'state diff').map((e) => {
    const f = rlpList(e, 'diff entry', 3)
    let account: DiffEntry['account']
    if (!(f[1] instanceof Uint8Array)) {
      const a = rlpList(f[1], 'diff account', 3)
      account = {
        nonce: big(a[0], 'diff nonce', 8),
        balance: big(a[1], 'diff balance'),
        codeHash: hash32(a[2], 'diff code hash'),
      }
    } else if (f[1].length !== 0)
      throw new CapsuleError('MALFORMED', 'a deleted diff account is the empty string')
    return { address: address(f[0], 'diff address'), account, storage: slotsFromRlp(f[2]!, 'diff slot') }
  })
}

function envFromRlp(item: RlpItem): BlockEnv {
  const f = rlpList(item, 'call environment', 9)
  return {
    number: big(f[0], 'number', 8),
    coinbase: address(f[1], 'coinbase'),
    timestamp: big(f[2], 'timestamp', 8),
    gasLimit: big(f[3], 'gas limit', 8),
    difficulty: big(f[4], 'difficulty'),
    prevRandao: big(f[5], 'prevRandao'),
    baseFee: big(f[6], 'base fee'),
    blobBaseFee: big(f[7], 'blob base fee'),
    chainId: big(f[8], 'chain id'),
  }
}

function txFromRlp(item: RlpItem): TransactionInput {
  const f = rlpList(item, 'call transaction', 15)
  const tx: TransactionInput = {
    type: rlpNumber(f[0], 'type', 1),
    sender: address(f[1], 'sender'),
    to: optional(f[2], 'to', (i) => address(i, 'to')),
    nonce: big(f[3], 'nonce', 8),
    value: big(f[4], 'value'),
    data: rlpBytes(f[5], 'data'),
    gasLimit: big(f[6], 'gas', 8),
  }
  const set = <K extends keyof TransactionInput>(key: K, value: TransactionInput[K] | undefined) => {
    if (value !== undefined) tx[key] = value
  }
  set(
    'gasPrice',
    optional(f[7], 'gas price', (i) => big(i, 'gas price')),
  )
  set(
    'maxFeePerGas',
    optional(f[8], 'max fee', (i) => big(i, 'max fee')),
  )
  set(
    'maxPriorityFeePerGas',
    optional(f[9], 'priority fee', (i) => big(i, 'priority fee')),
  )
  set(
    'accessList',
    optional(f[10], 'access list', (i) =>
      rlpList(i, 'access list').map((e): AccessListEntry => {
        const a = rlpList(e, 'access list entry', 2)
        return {
          address: address(a[0], 'access list address'),
          storageKeys: rlpList(a[1], 'storage keys').map((k) => bytesToBigInt(hash32(k, 'storage key'))),
        }
      }),
    ),
  )
  set(
    'maxFeePerBlobGas',
    optional(f[11], 'blob fee', (i) => big(i, 'blob fee')),
  )
  set(
    'blobVersionedHashes',
    optional(f[12], 'blob hashes', (i) => rlpList(i, 'blob hashes').map((h) => hash32(h, 'blob hash'))),
  )
  set(
    'authorizationList',
    optional(f[13], 'authorizations', (i) =>
      rlpList(i, 'authorizations').map((e): Authorization => {
        const a = rlpList(e, 'authorization', 4)
        return {
          chainId: big(a[0], 'authorization chain id'),
          address: address(a[1], 'authorization address'),
          nonce: big(a[2], 'authorization nonce', 8),
          authority: optional(a[3], 'authority', (x) => address(x, 'authority')),
        }
      }),
    ),
  )
  set(
    'chainId',
    optional(f[14], 'chain id', (i) => big(i, 'chain id')),
  )
  return tx
}

function overridesFromRlp(item: RlpItem): CallOverride[] {
  return rlpList(item, 'overrides').map((e) => {
    const f = rlpList(e, 'override', 6)
    const o: CallOverride = { address: address(f[0], 'override address') }
    const balance = optional(f[1], 'override balance', (i) => big(i, 'override balance'))
    const nonce = optional(f[2], 'override nonce', (i) => big(i, 'override nonce', 8))
    const code = optional(f[3], 'override code', (i) => rlpBytes(i, 'override code'))
    const state = optional(f[4], 'override state', (i) => slotsFromRlp(i, 'override slot'))
    const stateDiff = optional(f[5], 'override state diff', (i) => slotsFromRlp(i, 'override slot'))
    if (balance !== undefined) o.balance = balance
    if (nonce !== undefined) o.nonce = nonce
    if (code !== undefined) o.code = code
    if (state !== undefined) o.state = state
    if (stateDiff !== undefined) o.stateDiff = stateDiff
    return o
  })
}

function inputFromRlp(item: RlpItem): CapsuleInput {
  const f = rlpList(item, 'input')
  const kind = rlpNumber(f[0], 'input kind', 1)
  if (kind === KIND_BLOCK && f.length === 2)
    return { kind: 'block', block: decodeBlock(rlpBytes(f[1], 'block')) }
  if (kind === KIND_TRANSACTION && f.length === 3)
    return {
      kind: 'transaction',
      block: decodeBlock(rlpBytes(f[1], 'block')),
      index: rlpNumber(f[2], 'transaction index', 4),
    }
  if (kind === KIND_CALL && f.length === 4)
    return { kind: 'call', env: envFromRlp(f[1]!), tx: txFromRlp(f[2]!), overrides: overridesFromRlp(f[3]!) }
  throw new CapsuleError('MALFORMED', 'unknown input kind', { kind })
}

function preFromRlp(item: RlpItem): PreState {
  const f = rlpList(item, 'pre-state', 4)
  const accounts = rlpList(f[0], 'accounts').map((e): AccountEntry => {
    const a = rlpList(e, 'account entry', 2)
    const value = a[1]
    if (value instanceof Uint8Array && value.length !== 0)
      throw new CapsuleError('MALFORMED', 'an absent account is the empty string')
    return {
      address: address(a[0], 'account address'),
      account: value instanceof Uint8Array ? undefined : accountFromRlp(value!, 'account'),
    }
  })
  const storage: SlotEntry[] = []
  for (const e of rlpList(f[1], 'storage')) {
    const s = rlpList(e, 'storage entry', 2)
    const a = address(s[0], 'storage address')
    for (const [key, value] of slotsFromRlp(s[1]!, 'slot')) storage.push({ address: a, key, value })
  }
  const bytesList = (x: RlpItem | undefined, what: string) => rlpList(x, what).map((b) => rlpBytes(b, what))
  return { accounts, storage, codes: bytesList(f[2], 'code'), nodes: bytesList(f[3], 'trie node') }
}

function outcomeFromRlp(item: RlpItem, input: CapsuleInput): CapsuleOutcome {
  if (input.kind === 'block') {
    const f = rlpList(item, 'block outcome', 7)
    const outcome: CapsuleOutcome = {
      kind: 'block',
      blockHash: hash32(f[0], 'block hash'),
      stateRoot: hash32(f[1], 'state root'),
      receiptsRoot: hash32(f[2], 'receipts root'),
      gasUsed: big(f[3], 'gas used', 8),
      receipts: rlpList(f[4], 'receipts').map((r) => rlpBytes(r, 'receipt')),
      diff: diffFromRlp(f[6]!),
    }
    const requestsHash = optional(f[5], 'requests hash', (i) => hash32(i, 'requests hash'))
    if (requestsHash) outcome.requestsHash = requestsHash
    return outcome
  }
  const f = rlpList(item, 'call outcome', 6)
  const outcome: CapsuleOutcome = {
    kind: 'call',
    status: rlpNumber(f[0], 'status', 1),
    gasUsed: big(f[1], 'gas used', 8),
    output: rlpBytes(f[2], 'output'),
    logs: rlpList(f[3], 'logs').map(logFromRlp),
    diff: diffFromRlp(f[4]!),
  }
  const stateRoot = optional(f[5], 'state root', (i) => hash32(i, 'state root'))
  if (stateRoot) outcome.stateRoot = stateRoot
  return outcome
}

/**
 * Reads a capsule: magic, version, content hash, structure, and canonical form (it must be
 * exactly the bytes {@link encodeCapsule} writes for what it holds: sorted, deduplicated,
 * minimal). Any other input is a {@link CapsuleError}.
 */
export function decodeCapsule(bytes: Uint8Array): Capsule {
  const head = CAPSULE_MAGIC.length + 1
  if (bytes.length < head + HASH_BYTES || !equalBytes(bytes.subarray(0, CAPSULE_MAGIC.length), CAPSULE_MAGIC))
    throw new CapsuleError('BAD_MAGIC', 'not a capsule')
  const version = bytes[CAPSULE_MAGIC.length]!
  if (version !== CAPSULE_VERSION)
    throw new CapsuleError('UNSUPPORTED_VERSION', 'capsule format version not supported', {
      version,
      supported: CAPSULE_VERSION,
    })
  const content = bytes.subarray(0, bytes.length - HASH_BYTES)
  if (!equalBytes(keccak256(content), bytes.subarray(bytes.length - HASH_BYTES)))
    throw new CapsuleError('BAD_CONTENT_HASH', 'the content hash does not match the capsule')
  let capsule: Capsule
  try {
    const f = rlpList(decodeRlp(content.subarray(head), { maxLength: MAX_CAPSULE_BYTES }), 'capsule', 6)
    const mode = rlpNumber(f[0], 'mode', 1)
    if (mode > 1) throw new CapsuleError('MALFORMED', 'mode is 0 (flat) or 1 (verified)', { mode })
    const input = inputFromRlp(f[3]!)
    capsule = {
      mode: mode === 1 ? 'verified' : 'flat',
      rules: rulesFromRlp(f[1]!),
      headers: rlpList(f[2], 'headers').map((h) => decodeHeader(rlpBytes(h, 'header'))),
      input,
      pre: preFromRlp(f[4]!),
      expected: outcomeFromRlp(f[5]!, input),
    }
  } catch (error) {
    if (error instanceof CapsuleError) throw error
    throw new CapsuleError(
      'MALFORMED',
      'the capsule does not decode',
      { reason: error instanceof CrucibleError ? error.shortMessage : String(error) },
      { cause: error },
    )
  }
  const again = encodeCapsule(capsule)
  if (!equalBytes(again, bytes)) {
    let at = 0
    while (at < again.length && at < bytes.length && again[at] === bytes[at]) at++
    throw new CapsuleError('NOT_CANONICAL', 'the capsule is not in canonical form', { firstDifference: at })
  }
  return capsule
}

/** Lowercase 0x-hex of the capsule's content hash. */
export function capsuleId(bytes: Uint8Array): string {
  return bytesToHex(capsuleHash(bytes))
}
