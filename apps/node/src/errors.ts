import { BlockError } from '@crucible/block'
import { CrucibleError } from '@crucible/primitives'

/**
 * Exit codes of the `crucible` command, one per kind of failure, so scripts can tell a bad
 * block from a bad file or a busy datadir without reading the message.
 */
export const EXIT = {
  OK: 0,
  /** A bug: an error that is not one of ours. */
  INTERNAL: 1,
  /** Unknown command or flag, missing argument. */
  USAGE: 2,
  /** A block was refused (validation or execution); the head stays at the last valid block. */
  INVALID_BLOCK: 3,
  /** The block file ends in the middle of a block. */
  TRUNCATED_FILE: 4,
  /** The block file holds bytes that are not RLP blocks. */
  MALFORMED_FILE: 5,
  /** The genesis given does not match the datadir's, or the genesis file is unusable. */
  GENESIS_MISMATCH: 6,
  /** The datadir cannot be created, written or opened. */
  DATADIR_UNUSABLE: 7,
  /** Another process has the datadir open. */
  DATADIR_LOCKED: 8,
  /** The datadir has no chain yet (run `crucible init`). */
  NOT_INITIALIZED: 9,
  /** A named file does not exist or cannot be read. */
  FILE_UNREADABLE: 10,
  /** A block asked for (export range) is not in the chain. */
  NOT_FOUND: 11,
  /** The genesis file is not valid JSON or lacks what a genesis needs. */
  INVALID_GENESIS: 12,
  /** A listening address is taken or cannot be bound (crucible node). */
  ADDRESS_IN_USE: 13,
  /** The Engine API JWT secret file is not 32 bytes of hex, or cannot be written. */
  INVALID_JWT_SECRET: 14,
  /** A capsule replayed to other values than it records (`crucible replay`). */
  REPLAY_MISMATCH: 15,
  /** A capsule file that is not a valid capsule, or reads outside itself. */
  INVALID_CAPSULE: 16,
  /** A JSON-RPC endpoint that cannot be reached or refuses a request (`crucible debug --rpc`). */
  RPC: 17,
  /** What `crucible debug` was given cannot be debugged (bad case, refused transaction). */
  INVALID_DEBUG_INPUT: 18,
} as const

export type NodeErrorCode = Exclude<keyof typeof EXIT, 'OK' | 'INTERNAL' | 'INVALID_BLOCK'>

/** A failure of the command (not of a block): bad usage, file or datadir. */
export class NodeError extends CrucibleError {
  override name = 'NodeError'
  declare readonly code: NodeErrorCode
  constructor(
    code: NodeErrorCode,
    shortMessage: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, shortMessage, details, options)
  }
}

/** The exit code for an error that ended a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof BlockError) return EXIT.INVALID_BLOCK
  if (error instanceof NodeError) return EXIT[error.code]
  if (error instanceof CrucibleError) {
    if (error.code === 'INVALID_RLP') return EXIT.MALFORMED_FILE
    if (error.code in EXIT) return EXIT[error.code as keyof typeof EXIT]
    // A chain database's typed refusals, by the names it uses.
    if (/LOCKED/.test(error.code)) return EXIT.DATADIR_LOCKED
    if (/GENESIS/.test(error.code)) return EXIT.GENESIS_MISMATCH
  }
  return EXIT.INTERNAL
}

/** One line saying what went wrong (geth's `Fatal: …` habit). */
export function oneLine(error: unknown): string {
  if (error instanceof BlockError) {
    const at = error.details.number === undefined ? '' : ` #${String(error.details.number)}`
    const hash = typeof error.details.hash === 'string' ? ` ${error.details.hash}` : ''
    return `invalid block${at}${hash}: ${error.reason}: ${error.details.message}`
  }
  if (error instanceof CrucibleError) {
    const detail = error.details.path ?? error.details.datadir ?? error.details.file
    return `${error.shortMessage}${detail === undefined ? '' : ` (${String(detail)})`} [${error.code}]`
  }
  if (error instanceof Error) return error.stack ?? error.message
  return String(error)
}
