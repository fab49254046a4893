import { type Block, type BlockHeader, decodeHeader, encodeHeader, headerHash } from '@crucible/block'
import type { ChainConfig, ForkRules } from '@crucible/forks'
import {
  bytesToHex,
  bytesToUnprefixedHex,
  compareBytes,
  equalBytes,
  hexToBytes,
  keccak256,
} from '@crucible/primitives'
import type { StateDatabase } from '@crucible/state'
import { CapsuleError, outsideCapsule } from './errors.js'
import { recordBlock } from './record.js'
import type { Capsule } from './types.js'

/**
 * An execution witness as execution-specs' `stateless.py` and `debug_executionWitness` carry it:
 * the trie-node preimages execution reads (`state`), the contract code it reads (`codes`) and
 * the headers BLOCKHASH needs with the parent last (`headers`, RLP). `state` and `codes` are
 * sorted bytewise and deduplicated; headers ascend by number.
 */
export interface ExecutionWitness {
  state: Uint8Array[]
  codes: Uint8Array[]
  headers: Uint8Array[]
}

/** The JSON form (`debug_executionWitness`'s result): the same lists as 0x-hex strings. */
export interface ExecutionWitnessJson {
  state: string[]
  codes: string[]
  headers: string[]
}

function sortedUnique(items: readonly Uint8Array[]): Uint8Array[] {
  const sorted = [...items].sort(compareBytes)
  return sorted.filter((b, i) => i === 0 || !equalBytes(b, sorted[i - 1]!))
}

/** The witness a verified capsule carries (its nodes, codes and headers). */
export function witnessOfCapsule(capsule: Capsule): ExecutionWitness {
  if (capsule.mode !== 'verified')
    throw new CapsuleError('NOT_RECORDABLE', 'a flat capsule carries no trie nodes, so no witness')
  return {
    state: sortedUnique(capsule.pre.nodes),
    codes: sortedUnique(capsule.pre.codes),
    headers: capsule.headers.map(encodeHeader),
  }
}

export function witnessToJson(witness: ExecutionWitness): ExecutionWitnessJson {
  return {
    state: witness.state.map(bytesToHex),
    codes: witness.codes.map(bytesToHex),
    headers: witness.headers.map(bytesToHex),
  }
}

/** Reads the JSON form; anything but three lists of hex strings is a `MALFORMED` {@link CapsuleError}. */
export function witnessFromJson(json: unknown): ExecutionWitness {
  const o = json as Record<string, unknown> | null
  const list = (key: string): Uint8Array[] => {
    const value = o?.[key]
    if (!Array.isArray(value)) throw new CapsuleError('MALFORMED', `the witness has no ${key} list`)
    return value.map((item, i) => {
      try {
        return hexToBytes(item as string)
      } catch (error) {
        throw new CapsuleError('MALFORMED', `witness ${key}[${i}] is not hex`, {}, { cause: error })
      }
    })
  }
  return { state: list('state'), codes: list('codes'), headers: list('headers') }
}

/** The witness's nodes and code as a state database (looked up by keccak256). */
function witnessDatabase(witness: ExecutionWitness): StateDatabase {
  const nodes = new Map(witness.state.map((n) => [bytesToUnprefixedHex(keccak256(n)), n]))
  const codes = new Map(witness.codes.map((c) => [bytesToUnprefixedHex(keccak256(c)), c]))
  return {
    getNode: (hash) => nodes.get(bytesToUnprefixedHex(hash)),
    getCode: (hash) => codes.get(bytesToUnprefixedHex(hash)),
  }
}

export interface CapsuleFromWitnessOptions {
  witness: ExecutionWitness
  block: Block
  chain: ChainConfig
  rules: ForkRules
  transactionIndex?: number
}

/**
 * A verified capsule from an execution witness (ours or another client's) and the block: the
 * block is executed over the witness alone, which lists the accounts and slots read and gives
 * the outcome. A witness that lacks something execution reads fails with the missing node or
 * code named (`OUTSIDE_CAPSULE`); its headers must hash-link to the block's parent.
 */
export function capsuleFromWitness(options: CapsuleFromWitnessOptions): Capsule {
  const headers: BlockHeader[] = options.witness.headers.map((h) => decodeHeader(h))
  const byHash = new Map(headers.map((h) => [bytesToUnprefixedHex(headerHash(h)), h]))
  const parent = byHash.get(bytesToUnprefixedHex(options.block.header.parentHash))
  if (parent === undefined)
    throw new CapsuleError('HEADER_LINK', "the witness does not hold the block's parent header", {
      parentHash: bytesToHex(options.block.header.parentHash),
    })
  const database = witnessDatabase(options.witness)
  try {
    return recordBlock({
      block: options.block,
      chain: options.chain,
      rules: options.rules,
      database,
      getHeader: (hash) => byHash.get(bytesToUnprefixedHex(hash)),
      mode: 'verified',
      ...(options.transactionIndex === undefined ? {} : { transactionIndex: options.transactionIndex }),
    })
  } catch (error) {
    throw outsideCapsule(error)
  }
}
