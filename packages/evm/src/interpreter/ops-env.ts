import { bytesToWord, keccak256Word } from '@crucible/primitives'
import type { HaltReason } from '../errors.js'
import { ADDRESS_MASK, GAS_KECCAK256_WORD, GAS_LOG_DATA } from './constants.js'
import type { Context } from './context.js'
import type { Frame } from './frame.js'
import { chargeMemory, copyCost, copyToMemory, rangeEnd } from './memory.js'

// Helpers for the opcodes that are too long to inline in the dispatch loop. Each `op*` works
// on the frame's stack, gas and memory (the loop writes sp and gas back first and reads both
// after) and returns a halt reason, or undefined to continue. Stack bounds are already checked
// by the loop. `blockHash` and `blobHash` are pure: value in, value out.

/** EIP-2929 access charge for an account (0 before Berlin: the static table has the cost). */
export function accountAccessCost(ctx: Context, address: bigint): number {
  if (!ctx.eip2929) return 0
  const p = ctx.rules.params
  return ctx.host.warmAccount(address) ? p.warmStorageReadGas : p.coldAccountAccessGas
}

function charge(f: Frame, cost: number): boolean {
  if (f.gas < cost) return false
  f.gas -= cost
  return true
}

export function opBalance(f: Frame, ctx: Context): HaltReason | undefined {
  const address = f.stack[f.sp - 1]! & ADDRESS_MASK
  if (!charge(f, accountAccessCost(ctx, address))) return 'OutOfGas'
  f.stack[f.sp - 1] = ctx.host.getBalance(address)
  return undefined
}

export function opExtCodeSize(f: Frame, ctx: Context): HaltReason | undefined {
  const address = f.stack[f.sp - 1]! & ADDRESS_MASK
  if (!charge(f, accountAccessCost(ctx, address))) return 'OutOfGas'
  f.stack[f.sp - 1] = BigInt(ctx.host.getCode(address).length)
  return undefined
}

export function opExtCodeHash(f: Frame, ctx: Context): HaltReason | undefined {
  const address = f.stack[f.sp - 1]! & ADDRESS_MASK
  if (!charge(f, accountAccessCost(ctx, address))) return 'OutOfGas'
  // EIP-1052 with EIP-161: an empty or missing account has hash 0.
  f.stack[f.sp - 1] = ctx.host.isEmpty(address) ? 0n : bytesToWord(ctx.host.getCodeHash(address))
  return undefined
}

export function opExtCodeCopy(f: Frame, ctx: Context): HaltReason | undefined {
  const s = f.stack
  const sp = (f.sp -= 4)
  const address = s[sp + 3]! & ADDRESS_MASK
  const memOffset = s[sp + 2]!
  const codeOffset = s[sp + 1]!
  const size = s[sp]!
  const end = rangeEnd(memOffset, size)
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const n = Number(size)
  if (!chargeMemory(f, end, copyCost(n) + accountAccessCost(ctx, address))) return 'OutOfGas'
  copyToMemory(f, Number(memOffset), ctx.host.getCode(address), codeOffset, n)
  return undefined
}

/** CALLDATACOPY, CODECOPY and RETURNDATACOPY (the latter checks bounds first, EIP-211). */
export function opCopy(f: Frame, source: Uint8Array, strict: boolean): HaltReason | undefined {
  const s = f.stack
  const sp = (f.sp -= 3)
  const memOffset = s[sp + 2]!
  const srcOffset = s[sp + 1]!
  const size = s[sp]!
  const end = rangeEnd(memOffset, size)
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const n = Number(size)
  if (!chargeMemory(f, end, copyCost(n))) return 'OutOfGas'
  if (strict && srcOffset + size > BigInt(source.length)) return 'OutOfBoundsRead'
  copyToMemory(f, Number(memOffset), source, srcOffset, n)
  return undefined
}

/** EIP-5656 MCOPY: memory to memory, overlap allowed. */
export function opMcopy(f: Frame): HaltReason | undefined {
  const s = f.stack
  const sp = (f.sp -= 3)
  const dst = s[sp + 2]!
  const src = s[sp + 1]!
  const size = s[sp]!
  const end = Math.max(rangeEnd(dst, size), rangeEnd(src, size))
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const n = Number(size)
  if (!chargeMemory(f, end, copyCost(n))) return 'OutOfGas'
  if (n > 0) f.memory.copyWithin(Number(dst), Number(src), Number(src) + n)
  return undefined
}

export function opKeccak(f: Frame): HaltReason | undefined {
  const s = f.stack
  const sp = --f.sp
  const offset = s[sp]!
  const size = s[sp - 1]!
  const end = rangeEnd(offset, size)
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const n = Number(size)
  if (!chargeMemory(f, end, GAS_KECCAK256_WORD * Math.ceil(n / 32))) return 'OutOfGas'
  const o = n === 0 ? 0 : Number(offset)
  s[sp - 1] = keccak256Word(f.memory, o, o + n)
  return undefined
}

/** BLOCKHASH: the hash of one of the 256 blocks before the current one, else 0. */
export function blockHash(ctx: Context, n: bigint): bigint {
  const current = ctx.block.number
  return n >= current || n + 256n < current ? 0n : ctx.host.getBlockHash(n)
}

/** BLOBHASH (EIP-4844): the transaction's versioned hash at `index`, else 0. */
export function blobHash(ctx: Context, index: bigint): bigint {
  const hashes = ctx.blobHashes
  return index < BigInt(hashes.length) ? bytesToWord(hashes[Number(index)]!) : 0n
}

export function opLog(f: Frame, ctx: Context, topicCount: number): HaltReason | undefined {
  const s = f.stack
  const sp = f.sp
  const offset = s[sp - 1]!
  const size = s[sp - 2]!
  const end = rangeEnd(offset, size)
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const n = Number(size)
  if (!chargeMemory(f, end, GAS_LOG_DATA * n)) return 'OutOfGas'
  if (f.isStatic) return 'WriteInStaticContext'
  ctx.meter?.log(f, n + 32 * topicCount)
  const topics: bigint[] = []
  for (let i = 0; i < topicCount; i++) topics.push(s[sp - 3 - i]!)
  f.sp = sp - 2 - topicCount
  const o = n === 0 ? 0 : Number(offset)
  const log = { address: f.address, topics, data: f.memory.slice(o, o + n) }
  if (f.logs === undefined) f.logs = [log]
  else f.logs.push(log)
  ctx.inspector?.log?.(f, log)
  return undefined
}
