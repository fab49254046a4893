import type { Random } from '@crucible/test-support'
import { bytecodeCase, type TransactionCase } from '../src/index.js'

/** Addresses of the random contracts: the entry calls later ones only, so trees stay small. */
export const CONTRACTS = [
  0xc0de0000000000000000000000000000000000a0n,
  0xc0de0000000000000000000000000000000000b0n,
  0xc0de0000000000000000000000000000000000c0n,
]

function push(out: number[], v: bigint | number): void {
  let value = BigInt(v)
  const bytesOf: number[] = []
  do {
    bytesOf.unshift(Number(value & 0xffn))
    value >>= 8n
  } while (value > 0n)
  out.push(0x5f + bytesOf.length, ...bytesOf)
}

/** A random snippet of code that leaves the stack as it found it (most of the time). */
function snippet(r: Random, self: number, out: number[], depth: number): void {
  const small = () => r.int(4)
  // Memory offsets over three 4 KiB pages (and across their ends), so checkpoints share some.
  const at = () => r.pick([r.int(100), 4060 + r.int(60), 8190 + r.int(40)])
  const word = () => (r.int(4) === 0 ? (1n << 256n) - 1n - BigInt(r.int(5)) : BigInt(r.int(300)))
  switch (r.int(17)) {
    case 0:
      push(out, word())
      push(out, small())
      out.push(0x55) // SSTORE
      break
    case 1:
      push(out, small())
      out.push(0x54, 0x50) // SLOAD POP
      break
    case 2:
      push(out, word())
      push(out, small())
      out.push(0x5d) // TSTORE
      break
    case 3:
      push(out, small())
      out.push(0x5c, 0x50) // TLOAD POP
      break
    case 4:
      push(out, word())
      push(out, at())
      out.push(r.int(2) === 0 ? 0x52 : 0x53) // MSTORE / MSTORE8
      break
    case 5:
      push(out, at())
      out.push(0x51, 0x50) // MLOAD POP
      break
    case 6:
      push(out, word())
      push(out, word())
      out.push(r.pick([0x01, 0x02, 0x03, 0x04, 0x06, 0x0a, 0x10, 0x1b, 0x1c]), 0x50)
      break
    case 7: {
      // LOGn of a small memory range
      const n = r.int(3)
      for (let i = 0; i < n; i++) push(out, word())
      push(out, r.int(40))
      push(out, r.int(64))
      out.push(0xa0 + n)
      break
    }
    case 8:
    case 9: {
      // CALL / STATICCALL / DELEGATECALL a later contract
      if (self + 1 >= CONTRACTS.length || depth > 0) break
      const target = CONTRACTS[self + 1 + r.int(CONTRACTS.length - self - 1)]!
      const kind = r.pick([0xf1, 0xf1, 0xfa, 0xf4])
      push(out, r.int(33)) // retSize
      push(out, at()) // retOffset
      push(out, r.int(33)) // argsSize
      push(out, at()) // argsOffset
      if (kind === 0xf1) push(out, r.int(3)) // value
      push(out, target)
      if (r.int(3) === 0) push(out, 5000 + r.int(30000))
      else out.push(0x5a) // GAS
      out.push(kind, 0x50)
      break
    }
    case 10: {
      // CREATE of initcode that stores and returns a byte of code
      const init = [0x60, 0x07, 0x60, 0x01, 0x55, 0x60, 0x00, 0x60, 0x00, r.int(2) === 0 ? 0xf3 : 0xfd]
      let value = 0n
      for (const b of init) value = (value << 8n) | BigInt(b)
      push(out, value)
      push(out, 0)
      out.push(0x52) // MSTORE at 0: initcode in bytes 22..31
      push(out, init.length)
      push(out, 32 - init.length)
      push(out, 0)
      out.push(0xf0, 0x50) // CREATE POP
      break
    }
    case 11:
      push(out, r.int(64))
      push(out, r.int(64))
      out.push(0x20, 0x50) // KECCAK256 POP
      break
    case 12:
      out.push(0x3d, 0x50) // RETURNDATASIZE POP
      break
    case 13: {
      // JUMPI over a snippet
      const inner: number[] = []
      snippet(r, self, inner, depth + 1)
      push(out, r.int(2))
      const dest = out.length + 4 + inner.length
      out.push(0x61, dest >> 8, dest & 0xff, 0x57, ...inner, 0x5b)
      break
    }
    case 14:
      push(out, r.int(40))
      push(out, at())
      push(out, at())
      out.push(0x5e) // MCOPY
      break
    case 15:
      // CALLDATACOPY / CODECOPY / RETURNDATACOPY (size within the return data, mostly)
      push(out, r.int(3) === 0 ? r.int(40) : 0)
      push(out, 0)
      push(out, at())
      out.push(r.pick([0x37, 0x39, 0x3e]))
      break
    default:
      out.push(0x30, 0x31, 0x50) // ADDRESS BALANCE POP
  }
}

function ending(r: Random, out: number[]): void {
  // Output that is not all zeros, so where a caller's memory receives it shows.
  push(out, (0xfeedfacen + BigInt(r.int(1000))) << 200n)
  push(out, 0)
  out.push(0x52)
  switch (r.int(6)) {
    case 0:
      out.push(0x00)
      break
    case 1:
      push(out, 32)
      push(out, 0)
      out.push(0xfd) // REVERT
      break
    case 2:
      out.push(0xfe) // INVALID
      break
    case 3:
      out.push(0x50) // POP on empty stack: underflow
      break
    default:
      push(out, r.int(40))
      push(out, 0)
      out.push(0xf3) // RETURN
  }
}

export function randomCode(r: Random, self: number): Uint8Array {
  const out: number[] = []
  const n = 2 + r.int(12)
  for (let i = 0; i < n; i++) snippet(r, self, out, 0)
  ending(r, out)
  return Uint8Array.from(out)
}

const hex = (b: Uint8Array) => `0x${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`

/** A random small transaction over three random contracts (some storage set beforehand). */
export function randomCase(r: Random): TransactionCase {
  const prestate: Record<string, { balance?: string; code?: string; storage?: Record<string, string> }> = {}
  for (let i = 1; i < CONTRACTS.length; i++)
    prestate[`0x${CONTRACTS[i]!.toString(16).padStart(40, '0')}`] = {
      balance: '0x10',
      code: hex(randomCode(r, i)),
      storage: { '0x1': '0x5', '0x2': '0x0' },
    }
  return bytecodeCase({
    code: randomCode(r, 0),
    address: CONTRACTS[0]!,
    prestate,
    fork: 'Cancun',
    value: BigInt(r.int(3)),
    gasLimit: BigInt(r.pick([60_000, 120_000, 1_000_000])),
    calldata: hex(r.bytes(r.int(40))),
  })
}
