import { bytesToBigInt, bytesToUtf8 } from '@crucible/primitives'

/** geth's abi/abi.go panic reasons, by Solidity panic code. */
const PANIC_REASONS = new Map<bigint, string>([
  [0x00n, 'generic panic'],
  [0x01n, 'assert(false)'],
  [0x11n, 'arithmetic underflow or overflow'],
  [0x12n, 'division or modulo by zero'],
  [0x21n, 'enum overflow'],
  [0x22n, 'invalid encoded storage byte array accessed'],
  [0x31n, 'out-of-bounds array access; popping on an empty array'],
  [0x32n, 'out-of-bounds access of an array or bytesN'],
  [0x41n, 'out of memory'],
  [0x51n, 'uninitialized function'],
])

/**
 * The reason in revert data (geth's `abi.UnpackRevert`): the string of `Error(string)`, the
 * words of a `Panic(uint256)`; undefined for anything else or malformed data.
 */
export function unpackRevert(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined
  const selector = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0
  const body = data.subarray(4)
  if (selector === 0x08c379a0) {
    if (body.length < 64) return undefined
    const offset = bytesToBigInt(body.subarray(0, 32))
    if (offset + 32n > BigInt(body.length)) return undefined
    const start = Number(offset)
    const length = bytesToBigInt(body.subarray(start, start + 32))
    if (BigInt(start + 32) + length > BigInt(body.length)) return undefined
    return bytesToUtf8(body.subarray(start + 32, start + 32 + Number(length)))
  }
  if (selector === 0x4e487b71) {
    if (body.length < 32) return undefined
    const code = bytesToBigInt(body.subarray(0, 32))
    return PANIC_REASONS.get(code) ?? `unknown panic code: 0x${code.toString(16)}`
  }
  return undefined
}
