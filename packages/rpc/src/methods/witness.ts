import { recordBlock, witnessOfCapsule, witnessToJson } from '@crucible/capsule'
import { bytesToHex, KECCAK256_RLP_EMPTY } from '@crucible/primitives'
import { type Alloc, MemoryStateDatabase, type StateDatabase, WorldState } from '@crucible/state'
import type { ChainState } from '../chain.js'
import type { Handler } from '../context.js'
import { serverError } from '../errors.js'
import { stateBlock } from '../lookup.js'
import { blockRef, required } from '../params.js'

const hex = (n: bigint) => `0x${n.toString(16)}`

/**
 * The trie nodes and code of a state held only in memory, as a database: every account is
 * written out once (O(state): for in-memory chains, which are small). A chain over a
 * database gives its own (`ChainReader.stateDatabase`).
 */
function materialize(state: ChainState): StateDatabase {
  const alloc: Alloc = {}
  for (const address of state.addresses()) {
    const storage: Record<string, string> = {}
    for (const [k, v] of state.storageEntries(address)) storage[hex(k)] = hex(v)
    alloc[`0x${address.toString(16).padStart(40, '0')}`] = {
      nonce: hex(state.getNonce(address)),
      balance: hex(state.getBalance(address)),
      code: bytesToHex(state.getCode(address)),
      storage,
    }
  }
  const db = new MemoryStateDatabase()
  const stored = WorldState.open(db, KECCAK256_RLP_EMPTY)
  stored.loadAlloc(alloc)
  db.apply(stored.persistChanges())
  return db
}

export const witnessMethods: Record<string, Handler> = {
  /**
   * The execution witness of a block (execution-specs `ExecutionWitness`, execution-apis
   * #845): the trie nodes, code and headers executing it on its parent's state reads, as
   * sorted, deduplicated hex lists; a block capsule carries the same, and
   * `capsuleFromWitness` turns the answer back into one.
   */
  debug_executionWitness(ctx, params) {
    const ref = blockRef(required(params, 0), 0)
    if ('tag' in ref && ref.tag === 'pending') throw serverError('pending block has no execution witness')
    const target = stateBlock(ctx.chain, ref)
    const block = target.block
    if (block.header.number === 0n) throw serverError('genesis block has no execution witness')
    const parent = ctx.chain.blockByHash(block.header.parentHash)
    if (!parent) throw serverError('parent block not found')
    const database = ctx.chain.stateDatabase ?? materialize(ctx.chain.stateAt(parent))
    const capsule = recordBlock({
      block,
      rules: ctx.chain.rules(block),
      chain: ctx.chain.config,
      database,
      getHeader: (hash) => ctx.chain.blockByHash(hash)?.block.header,
    })
    return witnessToJson(witnessOfCapsule(capsule))
  },
}
