/** 2^256: word arithmetic wraps modulo this. */
export const WORD_MOD = 1n << 256n
/** 2^256 - 1. */
export const MAX_WORD = WORD_MOD - 1n
/** 2^255: the sign bit of a word. */
export const SIGN_BIT = 1n << 255n
/** Largest bigint that converts to an exact JS number. */
export const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER)
/**
 * Memory beyond 4 GiB is never granted: its expansion cost (over 2^45 gas) exceeds any real
 * gas limit, and treating a larger offset as out of gas keeps every offset a safe number.
 */
export const MAX_MEMORY = 0x1_0000_0000
export const MAX_MEMORY_BIG = BigInt(MAX_MEMORY)
/** The low 160 bits of a word: the address an account-taking opcode reads from it. */
export const ADDRESS_MASK = (1n << 160n) - 1n
/** Stack depth limit (yellow paper) and call depth limit. */
export const STACK_LIMIT = 1024
export const CALL_DEPTH_LIMIT = 1024
export const EMPTY = new Uint8Array(0)

// Costs that no fork changed, named as in the execution-specs' `vm/gas.py`. Costs that a
// repricing EIP changed live in @crucible/forks' `ForkParams`.
export const GAS_ZERO = 0
export const GAS_JUMPDEST = 1
export const GAS_BASE = 2
export const GAS_VERY_LOW = 3
export const GAS_LOW = 5
/** SELFBALANCE (EIP-1884). */
export const GAS_FAST_STEP = 5
export const GAS_MID = 8
export const GAS_HIGH = 10
export const GAS_EXPONENTIATION = 10
export const GAS_BLOCK_HASH = 20
export const GAS_KECCAK256 = 30
export const GAS_KECCAK256_WORD = 6
/** Per 32-byte word of memory, before the quadratic part (w²/512). */
export const GAS_MEMORY = 3
/** Per 32-byte word copied (the *COPY opcodes, MCOPY). */
export const GAS_COPY = 3
/** BLOBHASH (EIP-4844). */
export const GAS_BLOB_HASH = 3
/** TLOAD and TSTORE (EIP-1153): the EIP-2929 warm-read price. */
export const GAS_WARM_ACCESS = 100
export const GAS_LOG = 375
export const GAS_LOG_TOPIC = 375
export const GAS_LOG_DATA = 8
export const GAS_CREATE = 32000
/** Per byte of deployed code. */
export const GAS_CODE_DEPOSIT = 200
/** Extra cost of a CALL that sends value. */
export const GAS_CALL_VALUE = 9000
/** Gas given to a callee on top of what the caller passes, when value is sent. */
export const GAS_CALL_STIPEND = 2300
/** Extra cost of a CALL (with value, from EIP-161) that brings an account into existence. */
export const GAS_NEW_ACCOUNT = 25000
