/**
 * EIP-2681: an account nonce is at most 2^64 - 1. A transaction or authorization with this
 * nonce is invalid, and CREATE from an account at it fails (the nonce could not advance).
 */
export const MAX_NONCE: bigint = (1n << 64n) - 1n
