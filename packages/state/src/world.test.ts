import {
  bytesToHex,
  KECCAK256_EMPTY,
  KECCAK256_RLP_EMPTY,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { seededRandom } from '@crucible/test-support'
import { describe, expect, it } from 'vitest'
import { logsHash } from './logs.js'
import { WorldState } from './world.js'

const A = 0xaaaan
const B = 0xbbbbn

/** Everything observable about one account, for before/after comparisons. */
function view(s: WorldState, address: bigint, keys: bigint[] = []) {
  return {
    exists: s.exists(address),
    balance: s.getBalance(address),
    nonce: s.getNonce(address),
    code: bytesToHex(s.getCode(address)),
    codeHash: bytesToHex(s.getCodeHash(address)),
    storage: keys.map((k) => s.getStorage(address, k)),
    transient: keys.map((k) => s.getTransientStorage(address, k)),
    created: s.isCreatedInTransaction(address),
  }
}

describe('state roots', () => {
  it('empty state has the empty-trie root', () => {
    expect(new WorldState().stateRoot()).toEqual(KECCAK256_RLP_EMPTY)
  })

  it('matches a fixture root (EEST 7702 pointer_to_static post state, with storage)', () => {
    const s = WorldState.fromAlloc({
      '0xdc2617addc43dd285f9fe635a0b2cbb8af508381': {
        nonce: '0x01',
        balance: '0x3635c9adc5de2eb930',
        code: '0x',
      },
      '0x8ad5c1bd95f0b2147ec55508372980dcd9a5c37b': {
        nonce: '0x01',
        balance: '0x3635c9adc5dea00000',
        code: '0xef0100096fec08774bc2a36c61daa00d11da4a0395f4bb',
        storage: { '0x01': '0x01' },
      },
      '0x096fec08774bc2a36c61daa00d11da4a0395f3bb': { nonce: '0x01', balance: '0x00', code: '0x6005600055' },
      '0x096fec08774bc2a36c61daa00d11da4a0395f4bb': {
        nonce: '0x01',
        balance: '0x00',
        code: '0x60206103e86020600073096fec08774bc2a36c61daa00d11da4a0395f3bb620f4240fa6000556001600155',
      },
    })
    expect(bytesToHex(s.stateRoot())).toBe(
      '0x5feb43a54b674275df895f6834c584c59eb15fa937e6f129061b54c39194b73d',
    )
  })

  it('matches a fixture pre-state root (EEST tx_gas_limit_cap_exceeded: rejected, so post = pre)', () => {
    const s = WorldState.fromAlloc({
      '0x3480e0217c74a2899368e2a6307ff986324f32f3': {
        nonce: '0x01',
        balance: '0x00',
        code: '0x600160005500',
        storage: {},
      },
      '0x80f3b93c56de49f580b7bb7744f9346e22fa1790': {
        nonce: '0x00',
        balance: '0x3635c9adc5dea00000',
        code: '0x',
      },
    })
    expect(bytesToHex(s.stateRoot())).toBe(
      '0xe656b172e3495bf09466fda808e9753001baee1a2be17afcca663e6bf7d9cc9b',
    )
  })

  it('incremental roots equal roots built from scratch', () => {
    const s = new WorldState()
    const rng = seededRandom(7)
    for (let round = 0; round < 30; round++) {
      s.beginTransaction()
      for (let i = 0; i < 20; i++) {
        const address = BigInt(Math.floor(rng() * 12))
        const op = Math.floor(rng() * 4)
        if (op === 0) s.setBalance(address, BigInt(Math.floor(rng() * 3)))
        else if (op === 1) s.setStorage(address, BigInt(Math.floor(rng() * 6)), BigInt(Math.floor(rng() * 3)))
        else if (op === 2) s.setNonce(address, BigInt(Math.floor(rng() * 2)))
        else s.touch(address)
      }
      if (rng() < 0.3) s.revert(0)
      s.endTransaction(rng() < 0.2 ? [BigInt(Math.floor(rng() * 12))] : [], true)
      const incremental = s.stateRoot()
      expect(WorldState.fromAlloc(s.dumpAlloc()).stateRoot()).toEqual(incremental)
    }
  })

  it('zero storage values are not part of the storage trie', () => {
    const s = WorldState.fromAlloc({ '0x01': { balance: '0x1', storage: { '0x01': '0x00' } } })
    expect(s.hasStorage(1n)).toBe(false)
    expect(s.storageRoot(1n)).toEqual(KECCAK256_RLP_EMPTY)
  })
})

describe('journal', () => {
  it('revert restores balances, nonces, code, storage, transient storage and existence', () => {
    const s = WorldState.fromAlloc({
      '0xaaaa': { balance: '0x10', nonce: '0x1', code: '0x00', storage: { '0x1': '0x5' } },
    })
    const before = view(s, A, [1n, 2n])
    const beforeB = view(s, B, [1n])
    const root = s.stateRoot()
    s.beginTransaction()
    const cp = s.checkpoint()
    s.setBalance(A, 7n)
    s.setNonce(A, 9n)
    s.setCode(A, Uint8Array.of(0x60, 0x00))
    s.setStorage(A, 1n, 0n)
    s.setStorage(A, 2n, 3n)
    s.setTransientStorage(A, 1n, 4n)
    s.setBalance(B, 1n)
    s.setStorage(B, 1n, 1n)
    expect(view(s, A, [1n, 2n])).not.toEqual(before)
    s.revert(cp)
    expect(view(s, A, [1n, 2n])).toEqual(before)
    expect(view(s, B, [1n])).toEqual(beforeB)
    s.endTransaction([], true)
    expect(s.stateRoot()).toEqual(root)
  })

  it('nested checkpoints: an inner commit is still undone by an outer revert', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': { balance: '0x10' } })
    s.beginTransaction()
    const outer = s.checkpoint()
    s.setBalance(A, 1n)
    const inner = s.checkpoint()
    s.setBalance(A, 2n)
    s.setStorage(A, 5n, 5n)
    const innermost = s.checkpoint()
    s.setBalance(A, 3n)
    s.revert(innermost)
    expect(s.getBalance(A)).toBe(2n)
    s.commit(inner)
    expect(s.getStorage(A, 5n)).toBe(5n)
    s.revert(outer)
    expect(s.getBalance(A)).toBe(0x10n)
    expect(s.getStorage(A, 5n)).toBe(0n)
  })

  it('revert undoes warm marks, touches and the created set', () => {
    const s = new WorldState()
    s.beginTransaction()
    expect(s.warmAccount(A)).toBe(false)
    const cp = s.checkpoint()
    expect(s.warmAccount(A)).toBe(true)
    expect(s.warmAccount(B)).toBe(false)
    expect(s.warmSlot(A, 1n)).toBe(false)
    expect(s.warmSlot(A, 1n)).toBe(true)
    s.createAccount(B)
    s.touch(B)
    expect(s.isCreatedInTransaction(B)).toBe(true)
    s.revert(cp)
    expect(s.warmAccount(A)).toBe(true)
    expect(s.warmAccount(B)).toBe(false)
    expect(s.warmSlot(A, 1n)).toBe(false)
    expect(s.isCreatedInTransaction(B)).toBe(false)
    expect(s.exists(B)).toBe(false)
    // The touch of B was undone too: B, recreated empty, is not deleted at the end.
    s.setBalance(B, 0n)
    s.endTransaction([], true)
    expect(s.exists(B)).toBe(true)
  })

  it('createAccount keeps the balance, clears the rest, and reverts exactly', () => {
    const s = WorldState.fromAlloc({
      '0xaaaa': { balance: '0x10', nonce: '0x3', code: '0x00', storage: { '0x1': '0x5' } },
    })
    const before = view(s, A, [1n])
    s.beginTransaction()
    const cp = s.checkpoint()
    s.createAccount(A)
    expect(view(s, A, [1n])).toEqual({
      exists: true,
      balance: 0x10n,
      nonce: 0n,
      code: '0x',
      codeHash: bytesToHex(KECCAK256_EMPTY),
      storage: [0n],
      transient: [0n],
      created: true,
    })
    expect(s.hasStorage(A)).toBe(false)
    s.revert(cp)
    expect(view(s, A, [1n])).toEqual(before)
  })

  it('rejects unknown checkpoints', () => {
    const s = new WorldState()
    expect(() => s.revert(4)).toThrow(/unknown checkpoint/)
  })
})

describe('transactions', () => {
  it('original storage is the value at the start of the transaction', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': { storage: { '0x1': '0x5' } } })
    s.beginTransaction()
    s.setStorage(A, 1n, 6n)
    s.setStorage(A, 1n, 7n)
    s.setStorage(A, 2n, 1n)
    expect(s.getOriginalStorage(A, 1n)).toBe(5n)
    expect(s.getOriginalStorage(A, 2n)).toBe(0n)
    expect(s.getOriginalStorage(A, 3n)).toBe(0n)
    s.endTransaction([], true)
    s.beginTransaction()
    expect(s.getOriginalStorage(A, 1n)).toBe(7n)
  })

  it('storage of an account created in the transaction has original value zero', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': { storage: { '0x1': '0x5' } } })
    s.beginTransaction()
    s.createAccount(A)
    s.setStorage(A, 1n, 6n)
    expect(s.getOriginalStorage(A, 1n)).toBe(0n)
  })

  it('transient storage, warm sets and the created set are per transaction', () => {
    const s = new WorldState()
    s.beginTransaction()
    s.setTransientStorage(A, 1n, 1n)
    s.warmAccount(A)
    s.warmSlot(A, 1n)
    s.createAccount(A)
    s.setNonce(A, 1n)
    s.endTransaction([], true)
    s.beginTransaction()
    expect(s.getTransientStorage(A, 1n)).toBe(0n)
    expect(s.warmAccount(A)).toBe(false)
    expect(s.warmSlot(A, 1n)).toBe(false)
    expect(s.isCreatedInTransaction(A)).toBe(false)
  })

  it('EIP-161: touched empty accounts are deleted at the end, untouched ones kept', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': {}, '0xbbbb': {}, '0xcccc': { balance: '0x1' } })
    s.beginTransaction()
    s.touch(A)
    s.touch(0xccccn)
    s.endTransaction([], true)
    expect(s.exists(A)).toBe(false)
    expect(s.exists(B)).toBe(true)
    expect(s.exists(0xccccn)).toBe(true)
    // Before Spurious Dragon nothing is deleted.
    s.beginTransaction()
    s.touch(B)
    s.endTransaction([], false)
    expect(s.exists(B)).toBe(true)
  })

  it('destroyed accounts are deleted at the end of the transaction', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': { balance: '0x5', storage: { '0x1': '0x1' } } })
    s.beginTransaction()
    s.endTransaction([A], false)
    expect(s.exists(A)).toBe(false)
    expect(s.stateRoot()).toEqual(KECCAK256_RLP_EMPTY)
  })

  it('EIP-716: a touch of RIPEMD-160 (0x03) survives a revert', () => {
    const s = WorldState.fromAlloc({ '0x0000000000000000000000000000000000000003': {}, '0xbbbb': {} })
    s.beginTransaction()
    const cp = s.checkpoint()
    s.touch(3n)
    s.touch(B)
    s.revert(cp)
    s.endTransaction([], true)
    expect(s.exists(3n)).toBe(false)
    expect(s.exists(B)).toBe(true)
  })

  it('touch creates a missing account; kept before Spurious Dragon, deleted after', () => {
    const s = new WorldState()
    s.beginTransaction()
    s.touch(A)
    expect(s.exists(A)).toBe(true)
    s.endTransaction([], false)
    expect(s.exists(A)).toBe(true)
    s.beginTransaction()
    s.touch(B)
    s.endTransaction([], true)
    expect(s.exists(B)).toBe(false)
  })

  it('a reverted touch of a missing 0x03 leaves nothing behind', () => {
    const s = new WorldState()
    s.beginTransaction()
    const cp = s.checkpoint()
    s.touch(3n)
    s.revert(cp)
    expect(s.exists(3n)).toBe(false)
    s.endTransaction([], true)
    expect(s.exists(3n)).toBe(false)
    expect(s.stateRoot()).toEqual(KECCAK256_RLP_EMPTY)
  })
})

describe('snapshots', () => {
  it('restore brings back the whole state, and the snapshot stays usable', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': { balance: '0x10', storage: { '0x1': '0x1' } } })
    const root = s.stateRoot()
    const snap = s.snapshot()
    for (let i = 0; i < 2; i++) {
      s.beginTransaction()
      s.setBalance(A, 1n)
      s.setStorage(A, 1n, 2n)
      s.setBalance(B, 3n)
      s.endTransaction([], true)
      expect(s.stateRoot()).not.toEqual(root)
      s.restore(snap)
      expect(s.getBalance(A)).toBe(0x10n)
      expect(s.getStorage(A, 1n)).toBe(1n)
      expect(s.exists(B)).toBe(false)
      expect(s.stateRoot()).toEqual(root)
    }
  })

  it('a snapshot taken before any root still gives correct roots after restore', () => {
    const s = WorldState.fromAlloc({ '0xaaaa': { balance: '0x10', storage: { '0x1': '0x1' } } })
    const snap = s.snapshot()
    s.beginTransaction()
    s.setStorage(A, 2n, 2n)
    s.endTransaction([], true)
    const changed = s.stateRoot()
    s.restore(snap)
    expect(s.stateRoot()).toEqual(
      WorldState.fromAlloc({ '0xaaaa': { balance: '0x10', storage: { '0x1': '0x1' } } }).stateRoot(),
    )
    s.beginTransaction()
    s.setStorage(A, 2n, 2n)
    s.endTransaction([], true)
    expect(s.stateRoot()).toEqual(changed)
  })

  it('is refused in the middle of a transaction', () => {
    const s = new WorldState()
    s.beginTransaction()
    s.setBalance(A, 1n)
    expect(() => s.snapshot()).toThrow(/between transactions/)
  })
})

describe('alloc, block hashes, logs', () => {
  it('dumps what it loads', () => {
    const alloc = {
      '0x000000000000000000000000000000000000aaaa': {
        nonce: '0x1',
        balance: '0x10',
        code: '0x6000',
        storage: { '0x1': '0x2' },
      },
    }
    expect(WorldState.fromAlloc(alloc).dumpAlloc()).toEqual(alloc)
  })

  it('asks the block-hash function', () => {
    const s = new WorldState({ blockHash: (n) => n + 1n })
    expect(s.getBlockHash(5n)).toBe(6n)
    expect(new WorldState().getBlockHash(5n)).toBe(0n)
  })

  it('hashes an empty log list to keccak(rlp([]))', () => {
    expect(bytesToHex(logsHash([]))).toBe(
      '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
    )
    expect(logsHash([{ address: 1n, topics: [2n], data: utf8ToBytes('x') }])).toEqual(
      keccak256(
        Uint8Array.from([
          0xf8,
          0x3a,
          0xf8,
          0x38,
          0x94,
          ...new Uint8Array(19),
          1,
          0xe1,
          0xa0,
          ...new Uint8Array(31),
          2,
          0x78,
        ]),
      ),
    )
  })
})

describe('snapshots across instances', () => {
  it('a snapshot restored into two states is shared safely', () => {
    const source = WorldState.fromAlloc({ '0xaaaa': { balance: '0x10', storage: { '0x1': '0x1' } } })
    const snap = source.snapshot()
    const x = new WorldState()
    const y = new WorldState()
    x.restore(snap)
    y.restore(snap)
    x.beginTransaction()
    x.setBalance(A, 1n)
    x.setStorage(A, 1n, 9n)
    x.endTransaction([], true)
    expect(y.getBalance(A)).toBe(0x10n)
    expect(y.getStorage(A, 1n)).toBe(1n)
    expect(source.getStorage(A, 1n)).toBe(1n)
    y.restore(snap)
    expect(y.stateRoot()).toEqual(source.stateRoot())
  })
})

describe('backend prefetch', () => {
  it('loads accounts, code and slots before execution; misses stay absent', async () => {
    const code = Uint8Array.of(0x60, 0x01)
    const codeHash = keccak256(code)
    const backend = {
      getAccount: async (address: bigint) =>
        address === A
          ? { nonce: 1n, balance: 5n, codeHash, storageRoot: new Uint8Array(32).fill(3) }
          : undefined,
      getStorage: async (_address: bigint, key: bigint) => (key === 1n ? 9n : 0n),
      getCode: async () => code,
    }
    const s = new WorldState({ backend })
    await s.prefetch(
      [A, B],
      [
        [A, 1n],
        [A, 2n],
      ],
    )
    expect(s.getNonce(A)).toBe(1n)
    expect(s.getBalance(A)).toBe(5n)
    expect(s.getCode(A)).toEqual(code)
    expect(s.getStorage(A, 1n)).toBe(9n)
    expect(s.getStorage(A, 2n)).toBe(0n)
    expect(s.exists(B)).toBe(false)
  })

  it('keeps the backend storage root of a partly loaded account until a slot changes', async () => {
    const root = new Uint8Array(32).fill(7)
    const backend = {
      getAccount: async () => ({ nonce: 0n, balance: 1n, codeHash: KECCAK256_EMPTY, storageRoot: root }),
      getStorage: async () => 0n,
      getCode: async () => new Uint8Array(0),
    }
    const s = new WorldState({ backend })
    await s.prefetch([A], [[A, 1n]])
    expect(s.hasStorage(A)).toBe(true)
    expect(s.storageRoot(A)).toEqual(root)
    s.beginTransaction()
    s.setStorage(A, 1n, 1n)
    s.endTransaction([], true)
    expect(() => s.storageRoot(A)).toThrow(/partly loaded/)
  })
})
