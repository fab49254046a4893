import { CrucibleError } from '@crucible/primitives'

/**
 * A node the trie needs is not in its store. `hash` names it, so a caller with a slower
 * (asynchronous, remote) backend can fetch it, add it to the store and retry: every trie
 * operation either completes or throws this before changing anything.
 */
export class MissingNodeError extends CrucibleError<{ hash: Uint8Array }> {
  override name = 'MissingNodeError'
  constructor(hash: Uint8Array) {
    super('TRIE_MISSING_NODE', 'Trie node missing from storage', { hash })
  }
}

/** Bytes that should be a trie node but are not: bad RLP, wrong item count, a bad path or reference. */
export class InvalidNodeError extends CrucibleError<{ reason: string; node?: Uint8Array }> {
  override name = 'InvalidNodeError'
  constructor(reason: string, node?: Uint8Array, options?: { cause?: unknown }) {
    super('TRIE_INVALID_NODE', `Invalid trie node: ${reason}`, node ? { reason, node } : { reason }, options)
  }
}

/** A Merkle proof (single key or range) that does not prove what it claims. */
export class ProofError extends CrucibleError<{ reason: string; hash?: Uint8Array }> {
  override name = 'ProofError'
  constructor(reason: string, hash?: Uint8Array, options?: { cause?: unknown }) {
    super('TRIE_BAD_PROOF', `Invalid proof: ${reason}`, hash ? { reason, hash } : { reason }, options)
  }
}

/** `commit()` or `revert()` with no checkpoint open. */
export class CheckpointError extends CrucibleError<{ operation: string }> {
  override name = 'CheckpointError'
  constructor(operation: 'commit' | 'revert') {
    super('TRIE_NO_CHECKPOINT', `Trie ${operation} without a checkpoint`, { operation })
  }
}
