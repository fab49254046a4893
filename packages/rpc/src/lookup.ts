import type { ChainBlock, ChainReader } from './chain.js'
import { serverError } from './errors.js'
import type { BlockRef } from './params.js'

/** The block a reference names, or undefined when there is none. */
export function findBlock(chain: ChainReader, ref: BlockRef): ChainBlock | undefined {
  if ('tag' in ref) {
    switch (ref.tag) {
      case 'earliest':
        return chain.genesis()
      case 'safe':
        return chain.safe()
      case 'finalized':
        return chain.finalized()
      default:
        return chain.head()
    }
  }
  if ('number' in ref) return chain.blockByNumber(ref.number)
  return chain.blockByHash(ref.hash)
}

/** The block a state read names: a missing block is an error, as in geth. */
export function stateBlock(chain: ChainReader, ref: BlockRef): ChainBlock {
  if ('tag' in ref && (ref.tag === 'safe' || ref.tag === 'finalized')) {
    const b = findBlock(chain, ref)
    if (!b) throw serverError(`${ref.tag} block not found`)
    return b
  }
  const block = findBlock(chain, ref)
  if (!block) throw serverError('hash' in ref ? 'header for hash not found' : 'header not found')
  if ('hash' in ref && ref.requireCanonical && !chain.isCanonical(block))
    throw serverError('hash is not currently canonical')
  return block
}
