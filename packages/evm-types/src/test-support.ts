import { describe, expect, it } from 'vitest'
import type { Host } from './host.js'

/** How the shared suite gets hosts. */
export interface HostSuiteOptions {
  /** A new host with an empty state. */
  create(): Host
}

const A = 0xaaaan
const B = 0xbbbbn
const RIPEMD = 0x03n
const KECCAK_EMPTY = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

const hex = (bytes: Uint8Array) => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`

/** Runs `body` as a whole transaction (begin ... end, nothing destroyed, EIP-161 on or off). */
function inTransaction(host: Host, body: () => void, deleteTouchedEmpty = true): void {
  host.beginTransaction()
  body()
  host.endTransaction([], deleteTouchedEmpty)
}

/**
 * The semantics every {@link Host} must have (documented on the interface), as one vitest
 * suite. Call it from a test file of the implementation:
 * `hostContractSuite('WorldState', { create: () => new WorldState() })`.
 */
export function hostContractSuite(name: string, options: HostSuiteOptions): void {
  describe(`Host contract: ${name}`, () => {
    it('a missing account does not exist, is empty, and reads as zero with the empty code hash', () => {
      const host = options.create()
      expect(host.exists(A)).toBe(false)
      expect(host.isEmpty(A)).toBe(true)
      expect(host.getBalance(A)).toBe(0n)
      expect(host.getNonce(A)).toBe(0n)
      expect(host.getCode(A)).toEqual(new Uint8Array(0))
      expect(hex(host.getCodeHash(A))).toBe(KECCAK_EMPTY)
      expect(host.getStorage(A, 1n)).toBe(0n)
      expect(host.hasStorage(A)).toBe(false)
    })

    it('setBalance creates the account; a non-zero balance, nonce or code makes it non-empty', () => {
      const host = options.create()
      inTransaction(
        host,
        () => {
          host.setBalance(A, 0n)
          expect(host.exists(A)).toBe(true)
          expect(host.isEmpty(A)).toBe(true)
          host.setNonce(B, 1n)
        },
        false,
      )
      expect(host.exists(A)).toBe(true)
      expect(host.isEmpty(B)).toBe(false)
      inTransaction(host, () => host.setCode(A, Uint8Array.of(0x00)))
      expect(host.isEmpty(A)).toBe(false)
      expect(host.getCode(A)).toEqual(Uint8Array.of(0x00))
      expect(hex(host.getCodeHash(A))).toBe(
        '0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a',
      )
    })

    it('touch creates a missing account; EIP-161 end of transaction deletes it again while empty', () => {
      const host = options.create()
      inTransaction(host, () => host.touch(A), false)
      expect(host.exists(A)).toBe(true)
      inTransaction(host, () => host.touch(A), true)
      expect(host.exists(A)).toBe(false)
      // A touched account that is not empty stays.
      inTransaction(host, () => {
        host.setBalance(B, 5n)
        host.touch(B)
      })
      expect(host.getBalance(B)).toBe(5n)
    })

    it('revert undoes every kind of write back to the checkpoint; commit folds into the enclosing one', () => {
      const host = options.create()
      inTransaction(host, () => {
        host.setBalance(A, 10n)
        host.setStorage(A, 1n, 1n)
      })
      host.beginTransaction()
      const outer = host.checkpoint()
      host.setBalance(A, 20n)
      const inner = host.checkpoint()
      host.setNonce(A, 7n)
      host.setCode(A, Uint8Array.of(0x60, 0x00))
      host.setStorage(A, 1n, 2n)
      host.setStorage(A, 2n, 3n)
      host.setTransientStorage(A, 1n, 4n)
      host.setBalance(B, 1n)
      expect(host.warmAccount(B)).toBe(false)
      expect(host.warmSlot(A, 9n)).toBe(false)
      host.revert(inner)
      expect(host.getBalance(A)).toBe(20n)
      expect(host.getNonce(A)).toBe(0n)
      expect(host.getCode(A)).toEqual(new Uint8Array(0))
      expect(host.getStorage(A, 1n)).toBe(1n)
      expect(host.getStorage(A, 2n)).toBe(0n)
      expect(host.getTransientStorage(A, 1n)).toBe(0n)
      expect(host.exists(B)).toBe(false)
      expect(host.warmAccount(B)).toBe(false)
      expect(host.warmSlot(A, 9n)).toBe(false)
      // A committed inner checkpoint is undone with its outer one.
      const inner2 = host.checkpoint()
      host.setNonce(A, 3n)
      host.commit(inner2)
      expect(host.getNonce(A)).toBe(3n)
      host.revert(outer)
      expect(host.getNonce(A)).toBe(0n)
      expect(host.getBalance(A)).toBe(10n)
      host.endTransaction([], true)
      expect(host.getBalance(A)).toBe(10n)
    })

    it('a touch of RIPEMD-160 (0x03) survives a revert (EIP-716); other touches do not', () => {
      const host = options.create()
      // Two empty accounts, as a pre-Spurious-Dragon chain leaves them.
      inTransaction(
        host,
        () => {
          host.touch(RIPEMD)
          host.touch(A)
        },
        false,
      )
      host.beginTransaction()
      const cp = host.checkpoint()
      host.touch(RIPEMD)
      host.touch(A)
      host.revert(cp)
      host.endTransaction([], true)
      expect(host.exists(RIPEMD)).toBe(false)
      expect(host.exists(A)).toBe(true)
    })

    it('original storage is the value at the start of the transaction', () => {
      const host = options.create()
      inTransaction(host, () => host.setStorage(A, 1n, 5n))
      host.beginTransaction()
      expect(host.getOriginalStorage(A, 1n)).toBe(5n)
      host.setStorage(A, 1n, 6n)
      host.setStorage(A, 2n, 7n)
      expect(host.getStorage(A, 1n)).toBe(6n)
      expect(host.getOriginalStorage(A, 1n)).toBe(5n)
      expect(host.getOriginalStorage(A, 2n)).toBe(0n)
      host.endTransaction([], true)
      host.beginTransaction()
      expect(host.getOriginalStorage(A, 1n)).toBe(6n)
      expect(host.getOriginalStorage(A, 2n)).toBe(7n)
      host.endTransaction([], true)
    })

    it('transient storage lives for one transaction (EIP-1153)', () => {
      const host = options.create()
      host.beginTransaction()
      host.setTransientStorage(A, 1n, 9n)
      expect(host.getTransientStorage(A, 1n)).toBe(9n)
      expect(host.getTransientStorage(B, 1n)).toBe(0n)
      host.endTransaction([], true)
      host.beginTransaction()
      expect(host.getTransientStorage(A, 1n)).toBe(0n)
      host.endTransaction([], true)
    })

    it('warm sets: the first mark reports cold, later ones warm; a new transaction starts cold', () => {
      const host = options.create()
      host.beginTransaction()
      expect(host.warmAccount(A)).toBe(false)
      expect(host.warmAccount(A)).toBe(true)
      expect(host.warmSlot(A, 1n)).toBe(false)
      expect(host.warmSlot(A, 1n)).toBe(true)
      expect(host.warmSlot(B, 1n)).toBe(false)
      host.endTransaction([], true)
      host.beginTransaction()
      expect(host.warmAccount(A)).toBe(false)
      expect(host.warmSlot(A, 1n)).toBe(false)
      host.endTransaction([], true)
    })

    it('createAccount clears storage, code and nonce, keeps the balance, and marks it created in this transaction', () => {
      const host = options.create()
      inTransaction(host, () => {
        host.setBalance(A, 3n)
        host.setStorage(A, 1n, 1n)
      })
      expect(host.hasStorage(A)).toBe(true)
      host.beginTransaction()
      expect(host.isCreatedInTransaction(A)).toBe(false)
      host.createAccount(A)
      expect(host.isCreatedInTransaction(A)).toBe(true)
      expect(host.isCreatedInTransaction(B)).toBe(false)
      expect(host.getBalance(A)).toBe(3n)
      expect(host.getNonce(A)).toBe(0n)
      expect(host.getStorage(A, 1n)).toBe(0n)
      expect(host.hasStorage(A)).toBe(false)
      host.endTransaction([], true)
      host.beginTransaction()
      expect(host.isCreatedInTransaction(A)).toBe(false)
      host.endTransaction([], true)
      expect(host.getStorage(A, 1n)).toBe(0n)
    })

    it('endTransaction deletes the destroyed accounts, and the changes can no longer be reverted', () => {
      const host = options.create()
      inTransaction(host, () => {
        host.setBalance(A, 1n)
        host.setStorage(A, 1n, 1n)
        host.setCode(A, Uint8Array.of(0x00))
        host.setBalance(B, 2n)
      })
      host.beginTransaction()
      host.checkpoint()
      host.setBalance(B, 4n)
      host.endTransaction([A], true)
      expect(host.exists(A)).toBe(false)
      expect(host.getStorage(A, 1n)).toBe(0n)
      expect(host.hasStorage(A)).toBe(false)
      expect(host.getCode(A)).toEqual(new Uint8Array(0))
      // A new transaction starts from the ended one's result, open checkpoint and all.
      host.beginTransaction()
      expect(host.getBalance(B)).toBe(4n)
      host.endTransaction([], true)
    })
  })
}
