import { type BlockHeader, headerHash } from '@crucible/block'
import { type Capsule, encodeCapsule, recordCall } from '@crucible/capsule'
import { chainAtFork, getForkRules } from '@crucible/forks'
import { bytesToBigInt, KECCAK256_RLP_EMPTY, KECCAK256_RLP_EMPTY_LIST } from '@crucible/primitives'
import { MemoryStateDatabase, WorldState } from '@crucible/state'
import { describe, expect, it } from 'vitest'
import { capsuleCase, DebugSession, type StepView } from '../src/index.js'

const CONTRACT = 0xaan
// BLOCKHASH(NUMBER - 2), SSTORE(1, SLOAD(0) + 1), returns the block hash.
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

function callCapsule(mode: 'flat' | 'verified'): { capsule: Capsule; h1: BlockHeader } {
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
      chainId: 1n,
    },
    overrides: [{ address: 0xddn, balance: 7n }],
  })
  return { capsule, h1 }
}

describe('capsuleCase', () => {
  for (const mode of ['verified', 'flat'] as const) {
    it(`debugs a ${mode} call capsule to its recorded outcome`, async () => {
      const { capsule, h1 } = callCapsule(mode)
      const session = new DebugSession(await capsuleCase(encodeCapsule(capsule)))
      expect(session.info().label).toBe('capsule call at block 3')
      if (capsule.expected.kind !== 'call') throw new Error('a call capsule')
      const end = session.handle({ cmd: 'end' })
      if (!end.ok) throw new Error(end.error.message)
      const view = end.result as StepView
      expect(BigInt(view.result.gasUsed)).toBe(capsule.expected.gasUsed)
      expect(BigInt(view.result.output)).toBe(bytesToBigInt(headerHash(h1)))
      // BLOCKHASH came from the capsule's headers; the SSTORE writes SLOAD(0) + 1.
      session.handle({ cmd: 'break', breakpoint: { kind: 'sstore' } })
      const at = session.handle({ cmd: 'reverseContinue' })
      if (!at.ok) throw new Error(at.error.message)
      const sstore = at.result as StepView
      expect(sstore.opName).toBe('SSTORE')
      expect(sstore.storage.find((s) => s.key === '0x1')?.new).toBe('0x2a')
    })
  }

  it('refuses a capsule that lacks what execution reads, naming it', async () => {
    const { capsule } = callCapsule('verified')
    const without: Capsule = { ...capsule, headers: capsule.headers.slice(1) }
    await expect(capsuleCase(encodeCapsule(without)).then((c) => new DebugSession(c))).rejects.toMatchObject({
      code: 'OUTSIDE_CAPSULE',
    })
    await expect(capsuleCase(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      details: { capsuleError: 'BAD_MAGIC' },
    })
  })
})
