import { type BlockHeader, headerHash } from '@crucible/block'
import { chainAtFork, getForkRules } from '@crucible/forks'
import {
  bytesToBigInt,
  concatBytes,
  KECCAK256_RLP_EMPTY,
  KECCAK256_RLP_EMPTY_LIST,
  keccak256,
} from '@crucible/primitives'
import { MemoryStateDatabase, WorldState } from '@crucible/state'
import { describe, expect, it } from 'vitest'
import {
  type Capsule,
  CapsuleError,
  decodeCapsule,
  encodeCapsule,
  recordCall,
  replayCapsule,
  replayVerifiedCapsule,
} from '../src/index.js'

const CONTRACT = 0xaan
// BLOCKHASH(NUMBER - 2), SLOAD(0), SSTORE(1, SLOAD(0) + 1), returns the block hash.
// PUSH1 2 NUMBER SUB BLOCKHASH  PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 1 SSTORE  PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
const CODE = '0x6002430340600054600101600155600052602060' + '00f3'

function header(number: bigint, parent: BlockHeader | undefined, stateRoot: Uint8Array): BlockHeader {
  return {
    parentHash: parent ? headerHash(parent) : new Uint8Array(32),
    ommersHash: KECCAK256_RLP_EMPTY_LIST,
    coinbase: new Uint8Array(20),
    stateRoot,
    transactionsRoot: KECCAK256_RLP_EMPTY,
    receiptsRoot: KECCAK256_RLP_EMPTY,
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    timestamp: number * 12n,
    extraData: new Uint8Array(0),
    mixHash: new Uint8Array(32),
    nonce: new Uint8Array(8),
  }
}

/** A stored state and three headers on it; a call capsule at the third. */
function setup(mode: 'flat' | 'verified' = 'verified') {
  const db = new MemoryStateDatabase()
  const state = WorldState.open(db, KECCAK256_RLP_EMPTY)
  state.loadAlloc({
    [`0x${CONTRACT.toString(16).padStart(40, '0')}`]: { code: CODE, storage: { '0x0': '0x29' } },
    '0x00000000000000000000000000000000000000bb': { balance: '0x64' },
  })
  const changes = state.persistChanges()
  db.apply(changes)
  const h0 = header(0n, undefined, changes.root)
  const h1 = header(1n, h0, changes.root)
  const h2 = header(2n, h1, changes.root)
  const byHash = new Map([h0, h1, h2].map((h) => [bytesToBigInt(headerHash(h)), h]))
  const capsule = recordCall({
    database: db,
    getHeader: (hash) => byHash.get(bytesToBigInt(hash)),
    chain: chainAtFork('Prague'),
    rules: getForkRules('Prague'),
    header: h2,
    mode,
    env: {
      number: 3n,
      coinbase: 0xccn,
      timestamp: 36n,
      gasLimit: 30_000_000n,
      difficulty: 0n,
      prevRandao: 0n,
      baseFee: 0n,
      blobBaseFee: 0n,
      chainId: 1n,
    },
    tx: {
      type: 2,
      sender: 0xbbn,
      to: CONTRACT,
      nonce: 0n,
      value: 1n,
      data: new Uint8Array(0),
      gasLimit: 200_000n,
      maxFeePerGas: 0n,
      maxPriorityFeePerGas: 0n,
      accessList: [{ address: CONTRACT, storageKeys: [5n] }],
      chainId: 1n,
    },
    overrides: [{ address: 0xddn, balance: 7n, stateDiff: [[3n, 4n]] }],
  })
  return { capsule, h0, h1, h2 }
}

describe('call capsules', () => {
  it('round-trip through the canonical bytes and replay to the recorded outcome', async () => {
    const { capsule, h1 } = setup()
    const bytes = encodeCapsule(capsule)
    expect(decodeCapsule(bytes)).toEqual(capsule)
    expect(encodeCapsule(decodeCapsule(bytes))).toEqual(bytes)
    // BLOCKHASH(1) was read: headers 1 and 2, hash-linked.
    expect(capsule.headers.map((h) => h.number)).toEqual([1n, 2n])
    const report = replayVerifiedCapsule(bytes)
    expect(report.mismatches).toEqual([])
    expect(report.ok).toBe(true)
    if (report.outcome.kind !== 'call') throw new Error('a call outcome')
    expect(bytesToBigInt(report.outcome.output)).toBe(bytesToBigInt(headerHash(h1)))
    expect(report.outcome.diff.find((d) => d.address === CONTRACT)?.storage).toEqual([[1n, 0x2an]])
    expect(report.outcome.diff.find((d) => d.address === 0xddn)?.account?.balance).toBe(7n)
    expect(report.outcome.stateRoot).toEqual(capsule.expected.kind === 'call' && capsule.expected.stateRoot)
  })

  it('replay in flat mode, without the post-state root', async () => {
    const { capsule } = setup('flat')
    expect(capsule.pre.nodes).toEqual([])
    const report = await replayCapsule(encodeCapsule(capsule))
    expect(report.ok).toBe(true)
    expect(report.unchecked).toEqual(['stateRoot'])
  })

  it('refuse a BLOCKHASH outside the headers, naming the block', async () => {
    const { capsule } = setup()
    const without: Capsule = { ...capsule, headers: capsule.headers.slice(1) }
    await expect(replayCapsule(encodeCapsule(without))).rejects.toMatchObject({
      code: 'OUTSIDE_CAPSULE',
      details: { kind: 'blockhash', number: 1n },
    })
  })

  it('notice an outcome that differs', async () => {
    const { capsule } = setup()
    if (capsule.expected.kind !== 'call') throw new Error('a call outcome')
    const wrong: Capsule = {
      ...capsule,
      expected: { ...capsule.expected, gasUsed: capsule.expected.gasUsed + 1n },
    }
    const report = await replayCapsule(encodeCapsule(wrong))
    expect(report.ok).toBe(false)
    expect(report.mismatches.map((m) => m.field)).toEqual(['gasUsed'])
  })

  it('refuse what is not the canonical encoding, or not a capsule', () => {
    const bytes = encodeCapsule(setup().capsule)
    expect(() => decodeCapsule(bytes.subarray(1))).toThrow(expect.objectContaining({ code: 'BAD_MAGIC' }))
    const bumped = bytes.slice()
    bumped[4] = 2
    expect(() => decodeCapsule(bumped)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }))
    const flipped = bytes.slice()
    flipped[100] = flipped[100]! ^ 1
    expect(() => decodeCapsule(flipped)).toThrow(expect.objectContaining({ code: 'BAD_CONTENT_HASH' }))
    const junk = concatBytes(bytes.subarray(0, 5), Uint8Array.of(0xc0))
    expect(() => decodeCapsule(concatBytes(junk, keccak256(junk)))).toThrow(CapsuleError)
  })

  it('refuse a trie node the execution never read (a capsule is exactly its witness)', () => {
    const { capsule } = setup()
    const extra: Capsule = {
      ...capsule,
      pre: { ...capsule.pre, nodes: [...capsule.pre.nodes, Uint8Array.of(0xc1, 0x80)] },
    }
    expect(() => replayVerifiedCapsule(encodeCapsule(extra))).toThrow(
      expect.objectContaining({ code: 'UNUSED_ENTRY' }),
    )
  })
})
