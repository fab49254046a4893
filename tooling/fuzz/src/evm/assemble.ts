import { hexToBytes } from '@crucible/primitives'
import type { Snippet } from './model.js'

/** Opcodes the assembler and the generator write by name. */
export const OP = {
  STOP: 0x00,
  JUMP: 0x56,
  JUMPI: 0x57,
  JUMPDEST: 0x5b,
  PUSH0: 0x5f,
  PUSH1: 0x60,
  PUSH2: 0x61,
  PUSH32: 0x7f,
  MSTORE: 0x52,
  RETURN: 0xf3,
} as const

/** Minimal PUSH of a word (PUSH0 for zero: every fuzzed fork has EIP-3855). */
export function push(value: bigint): string {
  if (value < 0n) value &= (1n << 256n) - 1n
  if (value === 0n) return '5f'
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const n = hex.length / 2
  return (0x5f + n).toString(16) + hex
}

export function pushN(value: number): string {
  return push(BigInt(value))
}

/** `MSTORE`s that put `bytes` in memory at `offset` (32-byte chunks, the last one left-aligned). */
export function memStore(bytes: Uint8Array, offset: number): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 32) {
    const chunk = new Uint8Array(32)
    chunk.set(bytes.subarray(i, i + 32))
    out += `7f${hex(chunk)}${pushN(offset + i)}52`
  }
  return out
}

export function hex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** Assembles a snippet list into code. */
export function assemble(snippets: readonly Snippet[]): Uint8Array {
  const out: number[] = []
  for (const s of snippets) emit(s, out)
  return Uint8Array.from(out)
}

/** The init code of a creation snippet: its constructor `c`, then RETURN of runtime `r`. */
export function initCode(s: Snippet): Uint8Array {
  const ctor = assemble(s.c ?? [])
  if (s.r === undefined) return ctor
  const prefix = s.rp ? hexToBytes(`0x${s.rp}`) : new Uint8Array(0)
  const body = assemble(s.r)
  const runtime = new Uint8Array(prefix.length + body.length)
  runtime.set(prefix)
  runtime.set(body, prefix.length)
  const tail = hexToBytes(`0x${memStore(runtime, 0)}${pushN(runtime.length)}5ff3`)
  const code = new Uint8Array(ctor.length + tail.length)
  code.set(ctor)
  code.set(tail, ctor.length)
  return code
}

function emit(s: Snippet, out: number[]): void {
  const labels = new Map<string, number>()
  const fixups: Array<[number, string]> = []
  for (const token of s.t) {
    if (token.startsWith('@')) {
      labels.set(token.slice(1), out.length)
      out.push(OP.JUMPDEST)
    } else if (token.startsWith('&')) {
      out.push(OP.PUSH2, 0, 0)
      fixups.push([out.length - 2, token.slice(1)])
    } else if (token === '*') {
      for (const child of s.c ?? []) emit(child, out)
    } else if (token === '!') {
      const code = initCode(s)
      for (const b of hexToBytes(`0x${memStore(code, 0)}${pushN(code.length)}`)) out.push(b)
    } else {
      for (let i = 0; i < token.length; i += 2) out.push(Number.parseInt(token.slice(i, i + 2), 16))
    }
  }
  for (const [at, name] of fixups) {
    const target = labels.get(name) ?? 0
    out[at] = (target >> 8) & 0xff
    out[at + 1] = target & 0xff
  }
}
