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
/** Stack depth limit (EIP: yellow paper) and call depth limit. */
export const STACK_LIMIT = 1024
export const CALL_DEPTH_LIMIT = 1024
/** Gas stipend given to a callee when value is sent. */
export const CALL_STIPEND = 2300
export const CALL_VALUE_GAS = 9000
export const NEW_ACCOUNT_GAS = 25000
export const CREATE_GAS = 32000
export const CODE_DEPOSIT_GAS = 200
export const KECCAK_WORD_GAS = 6
export const COPY_WORD_GAS = 3
export const LOG_DATA_GAS = 8
/** EIP-7702 delegation designator length: 0xef0100 || address. */
export const DELEGATION_LENGTH = 23
export const EMPTY = new Uint8Array(0)
