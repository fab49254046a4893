import { ExecutionAbortedError } from '@crucible/evm'
import { bytesToHex, CrucibleError } from '@crucible/primitives'

export type CapsuleErrorCode =
  /** Not a capsule: the first bytes are not the magic. */
  | 'BAD_MAGIC'
  /** A capsule of a format version this code does not read. */
  | 'UNSUPPORTED_VERSION'
  /** The trailing content hash is not the keccak256 of the bytes before it. */
  | 'BAD_CONTENT_HASH'
  /** The bytes do not decode as a capsule (structure, field widths, unknown names). */
  | 'MALFORMED'
  /** Decodes, but is not the canonical encoding of what it holds (order, duplicates, widths). */
  | 'NOT_CANONICAL'
  /** Execution read an account, slot, code or block hash the capsule does not hold. */
  | 'OUTSIDE_CAPSULE'
  /** Headers that do not hash-link to each other or to the block. */
  | 'HEADER_LINK'
  /** Verified mode: a listed account or slot differs from what the trie nodes prove. */
  | 'PROOF_MISMATCH'
  /** Verified mode: an entry execution never read (a capsule holds exactly the witness). */
  | 'UNUSED_ENTRY'
  /** What was asked cannot be cut into a capsule (genesis, an unsupported override…). */
  | 'NOT_RECORDABLE'

/** A capsule that is not what it claims, or a read outside it. `details` names the item. */
export class CapsuleError extends CrucibleError {
  override name = 'CapsuleError'
  declare readonly code: CapsuleErrorCode
  constructor(
    code: CapsuleErrorCode,
    shortMessage: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, shortMessage, details, options)
  }
}

/** The first {@link CapsuleError} in an error's cause chain (block execution wraps what it calls). */
export function findCapsuleError(error: unknown): CapsuleError | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof CapsuleError) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** The `ExecutionAbortedError` in an error's cause chain (a limit stopped a transaction of a block). */
export function findExecutionAborted(error: unknown): ExecutionAbortedError | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof ExecutionAbortedError) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** A read the state refused (flat: not prefetched; verified: node or code absent), named. */
export function outsideCapsule(error: unknown): unknown {
  const found = findCapsuleError(error)
  if (found) return found
  for (let e = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof CrucibleError) {
      const d = e.details as Record<string, unknown>
      if (e.code === 'STATE_MISS' || e.code === 'MISSING_CODE')
        return new CapsuleError(
          'OUTSIDE_CAPSULE',
          `execution read ${String(d.kind)} outside the capsule`,
          d,
          {
            cause: error,
          },
        )
      if (e.code === 'TRIE_MISSING_NODE')
        return new CapsuleError(
          'OUTSIDE_CAPSULE',
          'execution read a trie node outside the capsule',
          { kind: 'node', hash: bytesToHex(d.hash as Uint8Array) },
          { cause: error },
        )
    }
    e = (e as { cause?: unknown }).cause
  }
  return error
}
