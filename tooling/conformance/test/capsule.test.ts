import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  Blockchain,
  chainFromGethConfig,
  decodeBlock,
  defaultVm,
  type GethGenesis,
  genesisHeader,
  normalizeAlloc,
} from '@crucible/block'
import {
  type Capsule,
  CapsuleError,
  capsuleFromWitness,
  chainOfCapsule,
  decodeCapsule,
  encodeCapsule,
  recordBlock,
  replayCapsule,
  replayVerifiedCapsule,
  witnessFromJson,
  witnessOfCapsule,
  witnessToJson,
} from '@crucible/capsule'
import { ChainDb, ChainDbStore } from '@crucible/chaindb'
import { MemoryKv } from '@crucible/kv'
import { concatBytes, decodeRlp, decodeRlpPrefix, keccak256, type RlpItem } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { describe, expect, it } from 'vitest'
import { parseArgs } from '../src/args.js'
import { FIXTURES_ROOT } from '../src/paths.js'
import { runSuite } from '../src/run.js'
import { flatten, roundTrip } from '../src/suites/capsule.js'

const CHAIN_DIR = join(FIXTURES_ROOT, 'execution-apis/tests')

/** The execution-apis test chain imported into an in-memory chain database, with a capsule cut per block. */
async function executionApisCapsules(): Promise<
  Array<{ capsule: Capsule; header: Capsule['headers'][number] }>
> {
  const json = JSON.parse(readFileSync(join(CHAIN_DIR, 'genesis.json'), 'utf8')) as GethGenesis
  const chain = chainFromGethConfig(json.config, 'genesis.json')
  const state = WorldState.fromAlloc(normalizeAlloc(json.alloc ?? {}))
  const genesis = genesisHeader(json, chain, state.stateRoot())
  const db = await ChainDb.open(new MemoryKv())
  const blockchain = new Blockchain({ chain, genesis, state, vm: defaultVm, store: new ChainDbStore(db) })
  let rest: Uint8Array = new Uint8Array(readFileSync(join(CHAIN_DIR, 'chain.rlp')))
  const out: Array<{ capsule: Capsule; header: Capsule['headers'][number] }> = []
  while (rest.length > 0) {
    const next = decodeRlpPrefix(rest).rest
    const block = decodeBlock(rest.slice(0, rest.length - next.length))
    rest = next
    blockchain.importDecoded(block)
    const parent = blockchain.getBlock(block.header.parentHash)!
    const capsule = recordBlock({
      block,
      chain,
      rules: blockchain.rulesFor(block.header, parent),
      database: db.state,
      getHeader: (hash) => blockchain.getBlock(hash)?.block.header,
    })
    out.push({ capsule, header: block.header })
  }
  return out
}

/** Byte ranges of the leaf strings under the item at `index` of the capsule body (views into `bytes`). */
function leafRanges(bytes: Uint8Array, index: number): Array<[number, number]> {
  const body = decodeRlp(bytes.subarray(5, bytes.length - 32), { maxLength: 1 << 30 }) as RlpItem[]
  const out: Array<[number, number]> = []
  const walk = (item: RlpItem) => {
    if (item instanceof Uint8Array) {
      if (item.length > 0) out.push([item.byteOffset - bytes.byteOffset, item.length])
    } else for (const child of item) walk(child)
  }
  walk(body[index]!)
  return out
}

/** The capsule's bytes with one byte changed and the content hash recomputed (a forger's edit). */
function resealed(bytes: Uint8Array, at: number): Uint8Array {
  const content = bytes.slice(0, bytes.length - 32)
  content[at] = content[at]! ^ 0x01
  return concatBytes(content, keccak256(content))
}

async function fails(bytes: Uint8Array): Promise<boolean> {
  try {
    const report = await replayCapsule(bytes)
    return !report.ok
  } catch {
    return true
  }
}

describe('capsules', () => {
  it('round-trip all 54 blocks of the execution-apis test chain with no database', async () => {
    const capsules = await executionApisCapsules()
    expect(capsules.length).toBe(54)
    for (const { capsule, header } of capsules) expect(await roundTrip(capsule, header)).toBeUndefined()
  }, 300_000)

  it('carry the execution witness, and are cut again from it alone, byte for byte', async () => {
    const chain = chainFromGethConfig(
      (JSON.parse(readFileSync(join(CHAIN_DIR, 'genesis.json'), 'utf8')) as GethGenesis).config,
      'genesis.json',
    )
    for (const { capsule } of await executionApisCapsules()) {
      if (capsule.input.kind !== 'block') throw new Error('a block capsule')
      const witness = witnessFromJson(JSON.parse(JSON.stringify(witnessToJson(witnessOfCapsule(capsule)))))
      const again = capsuleFromWitness({
        witness,
        block: capsule.input.block,
        chain,
        rules: chainOfCapsule(capsule.rules, capsule.input.block.header.number).rules,
      })
      expect(encodeCapsule(again)).toEqual(encodeCapsule(capsule))
    }
  }, 300_000)

  it('fail strict replay, naming the item, when any single pre-state entry is removed', async () => {
    const capsules = await executionApisCapsules()
    // The blocks that read the most: storage, code, absent accounts.
    const sample = capsules
      .map((c) => c.capsule)
      .sort((a, b) => b.pre.storage.length + b.pre.codes.length - (a.pre.storage.length + a.pre.codes.length))
      .slice(0, 3)
    let removals = 0
    for (const capsule of sample) {
      for (const mode of ['verified', 'flat'] as const) {
        const base = mode === 'flat' ? flatten(capsule) : capsule
        const { accounts, storage, codes } = base.pre
        const variants: Array<[Capsule, Record<string, unknown>]> = [
          ...accounts.map((a, i): [Capsule, Record<string, unknown>] => [
            { ...base, pre: { ...base.pre, accounts: accounts.filter((_, j) => j !== i) } },
            { kind: 'account', address: `0x${a.address.toString(16).padStart(40, '0')}` },
          ]),
          ...storage.map((s, i): [Capsule, Record<string, unknown>] => [
            { ...base, pre: { ...base.pre, storage: storage.filter((_, j) => j !== i) } },
            { kind: 'storage', key: `0x${s.key.toString(16)}` },
          ]),
          ...codes.map((c, i): [Capsule, Record<string, unknown>] => [
            { ...base, pre: { ...base.pre, codes: codes.filter((_, j) => j !== i) } },
            { kind: 'code', codeHash: `0x${Buffer.from(keccak256(c)).toString('hex')}` },
          ]),
        ]
        for (const [variant, named] of variants) {
          const bytes = encodeCapsule(variant)
          const error = await replayCapsule(bytes).then(
            () => undefined,
            (e: unknown) => e,
          )
          expect(error, JSON.stringify(named)).toBeInstanceOf(CapsuleError)
          expect((error as CapsuleError).code).toBe('OUTSIDE_CAPSULE')
          expect((error as CapsuleError).details).toMatchObject(named)
          removals++
        }
      }
    }
    expect(removals).toBeGreaterThan(50)
  }, 300_000)

  it('fail verification when any byte is flipped', async () => {
    const capsules = await executionApisCapsules()
    const capsule = capsules
      .map((c) => c.capsule)
      .sort((a, b) => b.pre.storage.length - a.pre.storage.length)[0]!
    const bytes = encodeCapsule(capsule)
    expect(replayVerifiedCapsule(decodeCapsule(bytes)).ok).toBe(true)
    // As stored: every flip breaks the magic, the version or the content hash.
    for (let at = 0; at < bytes.length; at++) {
      const copy = bytes.slice()
      copy[at] = copy[at]! ^ 0x01
      expect(() => decodeCapsule(copy), `byte ${at}`).toThrow(CapsuleError)
    }
    // A forger who recomputes the hash: an edit of the headers or of the pre-state (accounts,
    // slots, code, trie nodes) still fails, by structure, by canonical form or by replay.
    const ranges = [...leafRanges(bytes, 2), ...leafRanges(bytes, 4)]
    let edits = 0
    for (const [start, length] of ranges)
      for (let at = start; at < start + length; at += Math.max(1, Math.floor(length / 16))) {
        expect(await fails(resealed(bytes, at)), `byte ${at}`).toBe(true)
        edits++
      }
    expect(edits).toBeGreaterThan(200)
  }, 600_000)

  it('runs as a conformance suite (a slice of BlockchainTests)', async () => {
    const summary = await runSuite(
      parseArgs([
        'capsule',
        'ethereum-tests/BlockchainTests/ValidBlocks/bcStateTests',
        'ethereum-tests/BlockchainTests/TransitionTests',
        '--quiet',
        '--workers',
        '1',
      ]),
      () => {},
    )
    expect(summary!.failed, JSON.stringify(summary!.cases.filter((c) => !c.ok).slice(0, 3))).toBe(0)
    expect(summary!.passed).toBeGreaterThan(100)
  }, 300_000)
})
