import {
  bytesToHex,
  hexToBigInt,
  hexToBytes,
  KECCAK256_EMPTY,
  keccak256,
  numberToHex,
} from '@crucible/primitives'
import { Account } from './account.js'
import { StateError } from './errors.js'

/** One account in the fixture/genesis allocation form: hex quantities and hex code. */
export interface AllocAccount {
  balance?: string
  nonce?: string
  code?: string
  storage?: Record<string, string>
}

/** Accounts by `0x` address, as state tests' `pre`/`state` and genesis `alloc` write them. */
export type Alloc = Record<string, AllocAccount>

/** Parses an allocation into account records of generation `gen` (zero slots dropped). */
export function loadAlloc(alloc: Alloc, gen: number): Array<[bigint, Account]> {
  const out: Array<[bigint, Account]> = []
  for (const [addressText, entry] of Object.entries(alloc)) {
    const address = parseQuantity(addressText, 'address')
    if (address >= 1n << 160n)
      throw new StateError('INVALID_ALLOC', 'Address longer than 20 bytes', { address: addressText })
    const storage = new Map<bigint, bigint>()
    for (const [key, value] of Object.entries(entry.storage ?? {})) {
      const v = parseQuantity(value, 'storage value')
      if (v !== 0n) storage.set(parseQuantity(key, 'storage key'), v)
    }
    const code = entry.code ? hexToBytes(entry.code) : new Uint8Array(0)
    const account = new Account(
      entry.nonce ? parseQuantity(entry.nonce, 'nonce') : 0n,
      entry.balance ? parseQuantity(entry.balance, 'balance') : 0n,
      code,
      code.length === 0 ? KECCAK256_EMPTY : keccak256(code),
      storage,
      gen,
    )
    out.push([address, account])
  }
  return out
}

/** The accounts in allocation form, sorted by address, slots sorted by key. */
export function dumpAlloc(accounts: ReadonlyMap<bigint, Account>): Alloc {
  const out: Alloc = {}
  for (const address of [...accounts.keys()].sort(compareBig)) {
    const a = accounts.get(address)!
    const storage: Record<string, string> = {}
    for (const key of [...a.storage.keys()].sort(compareBig)) {
      // A partly loaded account's map may hold known-empty slots.
      const value = a.storage.get(key)!
      if (value !== 0n) storage[numberToHex(key)] = numberToHex(value)
    }
    out[`0x${address.toString(16).padStart(40, '0')}`] = {
      nonce: numberToHex(a.nonce),
      balance: numberToHex(a.balance),
      code: bytesToHex(a.code),
      storage,
    }
  }
  return out
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function parseQuantity(text: string, what: string): bigint {
  try {
    return hexToBigInt(text)
  } catch (error) {
    throw new StateError('INVALID_ALLOC', `Bad ${what} in allocation`, { value: text, cause: String(error) })
  }
}
