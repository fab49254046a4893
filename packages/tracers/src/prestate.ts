import type { FrameState, HaltReason, Host, Inspector, TransactionResult } from '@crucible/evm'
import { delegationTarget } from '@crucible/forks'
import {
  bigIntToBytes,
  bytesToBigInt,
  create2Address,
  createAddress,
  equalBytes,
  KECCAK256_EMPTY,
  keccak256,
  padLeft,
} from '@crucible/primitives'
import { TracerConfigError } from './errors.js'
import { address, bytes, quantity, word } from './hex.js'
import { flag, type Tracer, type TracerConfig, type TxContext } from './tracer.js'

/** geth's prestateTracer options. */
export interface PrestateTracerConfig {
  /** `{pre, post}`: only what the transaction changed, before and after. */
  diffMode?: boolean
  disableCode?: boolean
  disableStorage?: boolean
  /** Keep accounts that were empty before the transaction (not with diffMode). */
  includeEmpty?: boolean
}

/** One account as geth's prestateTracer writes it. */
export interface PrestateAccountJson {
  balance?: string
  code?: string
  codeHash?: string
  nonce?: number
  storage?: Record<string, string>
}

interface Account {
  balance: bigint | undefined
  nonce: bigint
  code: Uint8Array | undefined
  codeHash: Uint8Array | undefined
  storage: Map<bigint, bigint> | undefined
  /** Empty before the transaction (geth drops those unless includeEmpty). */
  empty: boolean
}

const ZERO_HASH = new Uint8Array(32)

/** A 20-byte address as a bigint from a stack word. */
const ADDRESS_MASK = (1n << 160n) - 1n

/**
 * geth's `prestateTracer`: every account (and storage slot) the transaction touched, as it was
 * before; with `diffMode`, `{pre, post}` of only what changed (eth/tracers/native/prestate.go).
 */
export function prestateTracer(config: TracerConfig = {}): Tracer {
  const diffMode = flag(config, 'diffMode')
  const disableCode = flag(config, 'disableCode')
  const disableStorage = flag(config, 'disableStorage')
  const includeEmpty = flag(config, 'includeEmpty')
  if (diffMode && includeEmpty) throw new TracerConfigError('cannot use diffMode with includeEmpty')

  const pre = new Map<bigint, Account>()
  const post = new Map<bigint, Account>()
  const created = new Set<bigint>()
  const deleted = new Set<bigint>()
  let host: Host
  let cancun = false
  let prague = false
  // What the current opcode looked up; kept only if the opcode did not halt (geth's OnOpcode
  // runs after the opcode's gas is charged and skips failed ones).
  let pending: (() => void) | undefined

  // geth's test harness reads the post-state before the state is finalised: an account the
  // transaction touched empty (EIP-161) still shows the empty code hash there.
  const codeHashOf = (a: bigint): Uint8Array => host.getCodeHash(a)

  /** The account as it is now, as geth's lookupAccount records it. */
  const readAccount = (a: bigint): Account => {
    const code = host.getCode(a)
    const codeHash = codeHashOf(a)
    const balance = host.getBalance(a)
    const nonce = host.getNonce(a)
    return {
      balance,
      nonce,
      code: code.length > 0 && !disableCode ? code : undefined,
      codeHash:
        equalBytes(codeHash, ZERO_HASH) || equalBytes(codeHash, KECCAK256_EMPTY) ? undefined : codeHash,
      storage: disableStorage ? undefined : new Map(),
      // The code counts for emptiness even when it is not reported.
      empty: !(nonce > 0n || code.length > 0 || balance !== 0n),
    }
  }
  const lookupAccount = (a: bigint) => {
    if (!pre.has(a)) pre.set(a, readAccount(a))
  }
  // Accounts read before an opcode runs, recorded once it has run without failing.
  const snapshots: [bigint, Account][] = []
  const snapshot = (a: bigint) => {
    if (!pre.has(a)) snapshots.push([a, readAccount(a)])
  }
  const recordSnapshots = () => {
    for (const [a, account] of snapshots) if (!pre.has(a)) pre.set(a, account)
    snapshots.length = 0
  }

  const step = (frame: FrameState) => {
    const op = frame.opcode()
    const sp = frame.sp
    const caller = frame.address
    switch (op) {
      case 0x54: // SLOAD
      case 0x55: {
        // SSTORE
        if (sp < 1) return
        const key = frame.stackItems()[sp - 1]!
        const value = disableStorage || pre.get(caller)?.storage?.has(key) ? 0n : host.getStorage(caller, key)
        pending = () => {
          if (disableStorage) return
          lookupAccount(caller)
          const storage = pre.get(caller)!.storage!
          if (!storage.has(key)) storage.set(key, value)
        }
        return
      }
      case 0x3c: // EXTCODECOPY
      case 0x3f: // EXTCODEHASH
      case 0x3b: // EXTCODESIZE
      case 0x31: // BALANCE
      case 0xff: {
        // SELFDESTRUCT
        if (sp < 1) return
        const target = frame.stackItems()[sp - 1]! & ADDRESS_MASK
        snapshot(target)
        pending = () => {
          recordSnapshots()
          if (op === 0xff && (!cancun || created.has(caller))) deleted.add(caller)
        }
        return
      }
      case 0xf1: // CALL
      case 0xf2: // CALLCODE
      case 0xf4: // DELEGATECALL
      case 0xfa: {
        // STATICCALL
        if (sp < 5) return
        const target = frame.stackItems()[sp - 2]! & ADDRESS_MASK
        snapshot(target)
        if (prague) {
          const delegate = delegationTarget(host.getCode(target))
          if (delegate !== undefined) snapshot(delegate)
        }
        pending = recordSnapshots
        return
      }
      case 0xf0: {
        // CREATE
        const a = bytesToBigInt(createAddress(addressBytes(caller), host.getNonce(caller)))
        snapshot(a)
        pending = () => {
          recordSnapshots()
          created.add(a)
        }
        return
      }
      case 0xf5: {
        // CREATE2
        if (sp < 4) return
        const items = frame.stackItems()
        const offset = items[sp - 2]!
        const size = items[sp - 3]!
        const salt = items[sp - 4]!
        const memory = frame.memoryBytes()
        if (offset + size > BigInt(memory.length)) return
        const init = memory.subarray(Number(offset), Number(offset + size))
        const a = bytesToBigInt(
          create2Address(addressBytes(caller), padLeft(bigIntToBytes(salt), 32), keccak256(init)),
        )
        snapshot(a)
        pending = () => {
          recordSnapshots()
          created.add(a)
        }
        return
      }
    }
  }

  const inspector: Inspector = {
    step,
    stepEnd(_frame: FrameState, _gasCost: number, halt: HaltReason | undefined) {
      if (pending === undefined) return
      const run = pending
      pending = undefined
      if (halt === 'OutOfGas' || halt === 'StackUnderflow' || halt === 'StackOverflow') {
        snapshots.length = 0
        return
      }
      // geth's SLOAD/SSTORE and CALL-family lookups happen once the gas is paid: an opcode
      // that ran out of gas looked nothing up.
      run()
    },
  }

  return {
    inspector,
    txStart(ctx: TxContext) {
      host = ctx.host
      cancun = ctx.rules.isActive(6780)
      prague = ctx.rules.isActive(7702)
      const { tx } = ctx
      let to: bigint
      if (tx.to === undefined) {
        to = bytesToBigInt(createAddress(addressBytes(tx.sender), host.getNonce(tx.sender)))
        created.add(to)
      } else {
        to = tx.to
        if (prague) {
          const delegate = delegationTarget(host.getCode(to))
          if (delegate !== undefined) lookupAccount(delegate)
        }
      }
      lookupAccount(tx.sender)
      lookupAccount(to)
      lookupAccount(ctx.block.coinbase)
      for (const auth of tx.authorizationList ?? [])
        if (auth.authority !== undefined) lookupAccount(auth.authority)
    },
    txEnd(_result: TransactionResult) {
      if (diffMode) diff()
      if (includeEmpty) return
      for (const [a, account] of pre) if (account.empty) pre.delete(a)
    },
    result() {
      if (!diffMode) return stateJson(pre)
      return { post: stateJson(post), pre: stateJson(pre) }
    },
  }

  function diff() {
    for (const [a, before] of pre) {
      if (deleted.has(a)) continue
      let modified = false
      const after: Account = {
        balance: undefined,
        nonce: 0n,
        code: undefined,
        codeHash: undefined,
        storage: new Map(),
        empty: false,
      }
      const balance = host.getBalance(a)
      if (balance !== before.balance) {
        modified = true
        after.balance = balance
      }
      const nonce = host.getNonce(a)
      if (nonce !== before.nonce) {
        modified = true
        after.nonce = nonce
      }
      const codeHash = codeHashOf(a)
      if (!equalBytes(codeHash, before.codeHash ?? KECCAK256_EMPTY)) {
        modified = true
        after.codeHash = codeHash
      }
      if (!disableCode) {
        const code = host.getCode(a)
        if (!equalBytes(code, before.code ?? new Uint8Array(0))) {
          modified = true
          after.code = code
        }
      }
      if (!disableStorage && before.storage !== undefined) {
        for (const [key, value] of before.storage) {
          if (value === 0n) before.storage.delete(key)
          const now = host.getStorage(a, key)
          if (now === value) before.storage.delete(key)
          else {
            modified = true
            if (now !== 0n) after.storage!.set(key, now)
          }
        }
      }
      if (modified) post.set(a, after)
      else pre.delete(a)
    }
  }
}

function addressBytes(a: bigint): Uint8Array {
  return padLeft(bigIntToBytes(a), 20)
}

function stateJson(state: Map<bigint, Account>): Record<string, PrestateAccountJson> {
  const out: Record<string, PrestateAccountJson> = {}
  for (const [a, account] of state) {
    const json: PrestateAccountJson = {}
    if (account.balance !== undefined) json.balance = quantity(account.balance)
    if (account.code !== undefined) json.code = bytes(account.code)
    if (account.codeHash !== undefined) json.codeHash = bytes(account.codeHash)
    if (account.nonce !== 0n) json.nonce = Number(account.nonce)
    if (account.storage !== undefined && account.storage.size > 0) {
      const storage: Record<string, string> = {}
      for (const [key, value] of account.storage) storage[word(key)] = word(value)
      json.storage = storage
    }
    out[address(a)] = json
  }
  return out
}
