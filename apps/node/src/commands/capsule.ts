import { writeFileSync } from 'node:fs'
import { type Block, type BlockHeader, headerHash } from '@crucible/block'
import type { CallOverride } from '@crucible/capsule'
import {
  type Capsule,
  type CapsuleMode,
  capsuleId,
  encodeCapsule,
  recordBlock,
  recordCall,
} from '@crucible/capsule'
import { hexToBytes } from '@crucible/primitives'
import { callArgs, DEFAULT_LIMITS, parseStateOverrides, prepareCall } from '@crucible/rpc'
import { flagValue, type ParsedArgs } from '../args.js'
import type { NodeChain } from '../chain.js'
import { openChain } from '../datadir.js'
import { NodeError } from '../errors.js'
import { formatLine, size } from '../log.js'
import type { Io } from './io.js'

/** A block of the chain by number (decimal or 0x) or hash, or `latest`. */
export function findBlock(chain: NodeChain, ref: string): Block {
  const db = chain.db
  let block: Block | undefined
  if (ref === 'latest') block = db.getBlock(chain.head().hash)
  else if (/^0x[0-9a-fA-F]{64}$/.test(ref)) block = db.getBlock(hexToBytes(ref))
  else if (/^(0x[0-9a-fA-F]+|\d+)$/.test(ref)) block = db.getBlockByNumber(BigInt(ref))
  else throw new NodeError('USAGE', `not a block number or hash: ${ref}`)
  if (block === undefined) throw new NodeError('NOT_FOUND', `no block ${ref} in the chain`)
  return block
}

/** What recording needs from a datadir's chain. */
export function recordSource(chain: NodeChain, mode: CapsuleMode) {
  const db = chain.db
  return {
    database: db.state,
    getHeader: (hash: Uint8Array): BlockHeader | undefined => db.getHeader(hash),
    chain: chain.blockchain.chain,
    mode,
  }
}

/** The rules of a stored block (the merge by total difficulty included). */
export function rulesOf(chain: NodeChain, header: BlockHeader) {
  const blockchain = chain.blockchain
  const parent = header.number === 0n ? undefined : blockchain.getBlock(header.parentHash)
  return blockchain.rulesFor(header, parent)
}

/** The capsule of a stored block, or of one of its transactions. */
export function blockCapsule(
  chain: NodeChain,
  block: Block,
  mode: CapsuleMode,
  transactionIndex?: number,
): Capsule {
  if (block.header.number === 0n)
    throw new NodeError('USAGE', 'the genesis block has no capsule (no parent state)')
  return recordBlock({
    ...recordSource(chain, mode),
    block,
    rules: rulesOf(chain, block.header),
    ...(transactionIndex === undefined ? {} : { transactionIndex }),
  })
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new NodeError('USAGE', `${what} is not JSON`, {}, { cause: error })
  }
}

function callCapsule(chain: NodeChain, json: string, args: ParsedArgs, mode: CapsuleMode): Capsule {
  const block = findBlock(chain, flagValue(args, 'block') ?? 'latest')
  const header = block.header
  const rules = rulesOf(chain, header)
  const source = recordSource(chain, mode)
  // Only for the call's defaults (the sender's nonce); the capsule records its own reads.
  const stored = chain.blockchain.getBlock(headerHash(header))
  if (stored === undefined) throw new NodeError('NOT_FOUND', `block ${header.number} is not stored`)
  const state = chain.blockchain.stateAt(stored)
  let call: ReturnType<typeof prepareCall>
  try {
    call = prepareCall(
      callArgs(parseJson(json, 'the call'), 0),
      state,
      header,
      rules,
      source.chain,
      DEFAULT_LIMITS,
    )
  } catch (error) {
    throw new NodeError('USAGE', `bad call: ${(error as Error).message}`, {}, { cause: error })
  }
  const overridesText = flagValue(args, 'overrides')
  const overrides: CallOverride[] = []
  if (overridesText !== undefined)
    for (const [address, o] of parseStateOverrides(parseJson(overridesText, '--overrides'), 2)) {
      if (o.movePrecompileToAddress !== undefined)
        throw new NodeError('USAGE', 'movePrecompileToAddress cannot be put in a capsule')
      const { movePrecompileToAddress: _move, ...rest } = o
      overrides.push({ address, ...rest })
    }
  return recordCall({ ...source, header, rules, env: call.env, tx: call.tx, overrides })
}

export async function capsuleCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [what, ref, extra] = args.positional
  if (what !== 'block' && what !== 'tx' && what !== 'call')
    throw new NodeError('USAGE', 'capsule takes block N|HASH, tx HASH or call JSON')
  if (ref === undefined)
    throw new NodeError(
      'USAGE',
      `capsule ${what} needs ${what === 'call' ? 'a JSON call' : 'a block or hash'}`,
    )
  if (extra !== undefined) throw new NodeError('USAGE', `unexpected argument ${extra}`)
  const mode: CapsuleMode = args.flags.has('flat') ? 'flat' : 'verified'
  const chain = await openChain(flagValue(args, 'datadir'), { create: false })
  let capsule: Capsule
  try {
    if (what === 'block') capsule = blockCapsule(chain, findBlock(chain, ref), mode)
    else if (what === 'tx') {
      if (!/^0x[0-9a-fA-F]{64}$/.test(ref)) throw new NodeError('USAGE', `not a transaction hash: ${ref}`)
      const location = chain.db.getTransactionLocation(hexToBytes(ref))
      if (location === undefined) throw new NodeError('NOT_FOUND', `no canonical transaction ${ref}`)
      const block = chain.db.getBlock(location.blockHash)!
      capsule = blockCapsule(chain, block, mode, location.index)
    } else capsule = callCapsule(chain, ref, args, mode)
  } finally {
    await chain.close()
  }
  const bytes = encodeCapsule(capsule)
  const out = flagValue(args, 'out')
  if (out === undefined) {
    // The capsule itself on standard output (`crucible replay -` reads it back).
    await new Promise<void>((done, fail) => process.stdout.write(bytes, (e) => (e ? fail(e) : done())))
    return 0
  }
  writeFileSync(out, bytes)
  io.err(
    `${formatLine('INFO', 'Wrote capsule', {
      file: out,
      kind: capsule.input.kind,
      mode,
      size: size(bytes.length),
      accounts: capsule.pre.accounts.length,
      slots: capsule.pre.storage.length,
      codes: capsule.pre.codes.length,
      nodes: capsule.pre.nodes.length,
      headers: capsule.headers.length,
      id: capsuleId(bytes),
    })}\n`,
  )
  return 0
}
