import { bytesToHex, keccak256, utf8ToBytes } from '@crucible/primitives'

/**
 * A small ABI decoder (Solidity's contract ABI): every static and dynamic type solc emits —
 * uintN, intN, address, bool, bytesN, bytes, string, T[], T[k], tuples. Written here rather
 * than taken from viem so the package stays small, dependency-free and browser-safe; decoding
 * is all a debugger needs (no encoding).
 */

/** An ABI parameter as the compiler's JSON gives it. */
export interface AbiParameter {
  name?: string
  type: string
  components?: AbiParameter[]
  indexed?: boolean
  internalType?: string
}

/** An ABI item (function, event, error, constructor, fallback, receive). */
export interface AbiItem {
  type: string
  name?: string
  inputs?: AbiParameter[]
  outputs?: AbiParameter[]
  anonymous?: boolean
}

/** A decoded value as JSON: numbers as decimal strings, bytes and addresses as 0x-hex. */
export type AbiValue = string | boolean | AbiValue[]

export interface DecodedArgument {
  name: string
  type: string
  value: AbiValue
}

class AbiDecodeError extends Error {}

/** The canonical type of a parameter (tuples spelled out), as in signatures. */
export function canonicalType(p: AbiParameter): string {
  if (p.type.startsWith('tuple')) {
    const inner = (p.components ?? []).map(canonicalType).join(',')
    return `(${inner})${p.type.slice(5)}`
  }
  return p.type
}

/** `name(type,…)`. */
export function signature(item: AbiItem): string {
  return `${item.name ?? ''}(${(item.inputs ?? []).map(canonicalType).join(',')})`
}

/** The 4-byte selector of a function or error, 0x-hex. */
export function selectorOf(item: AbiItem): string {
  return bytesToHex(keccak256(utf8ToBytes(signature(item))).subarray(0, 4))
}

/** An event's topic 0, 0x-hex (32 bytes). */
export function topicOf(item: AbiItem): string {
  return bytesToHex(keccak256(utf8ToBytes(signature(item))))
}

interface Type {
  kind: 'uint' | 'int' | 'address' | 'bool' | 'fixedBytes' | 'bytes' | 'string' | 'array' | 'tuple'
  bits?: number
  size?: number
  /** Array: element type and length (-1: dynamic). */
  element?: Type
  length?: number
  components?: { name: string; type: Type }[]
  text: string
}

function parseType(p: AbiParameter): Type {
  return parseText(p.type, p.components, canonicalType(p))
}

function parseText(text: string, components: AbiParameter[] | undefined, canonical: string): Type {
  const array = /^(.*)\[(\d*)\]$/.exec(text)
  if (array !== null) {
    const innerCanonical = canonical.slice(0, canonical.lastIndexOf('['))
    return {
      kind: 'array',
      element: parseText(array[1]!, components, innerCanonical),
      length: array[2] === '' ? -1 : Number(array[2]),
      text: canonical,
    }
  }
  if (text === 'tuple')
    return {
      kind: 'tuple',
      components: (components ?? []).map((c, i) => ({ name: c.name || `${i}`, type: parseType(c) })),
      text: canonical,
    }
  if (text === 'address') return { kind: 'address', text }
  if (text === 'bool') return { kind: 'bool', text }
  if (text === 'bytes') return { kind: 'bytes', text }
  if (text === 'string') return { kind: 'string', text }
  const int = /^(u?)int(\d*)$/.exec(text)
  if (int !== null) return { kind: int[1] === 'u' ? 'uint' : 'int', bits: Number(int[2] || 256), text }
  const fixed = /^bytes(\d+)$/.exec(text)
  if (fixed !== null) return { kind: 'fixedBytes', size: Number(fixed[1]), text }
  // Function pointers are 24 bytes left-aligned, like bytes24.
  if (text === 'function') return { kind: 'fixedBytes', size: 24, text }
  throw new AbiDecodeError(`unsupported type ${text}`)
}

function isDynamic(t: Type): boolean {
  if (t.kind === 'bytes' || t.kind === 'string') return true
  if (t.kind === 'array') return t.length! < 0 || isDynamic(t.element!)
  if (t.kind === 'tuple') return t.components!.some((c) => isDynamic(c.type))
  return false
}

/** Bytes a static type takes in the head. */
function headSize(t: Type): number {
  if (isDynamic(t)) return 32
  if (t.kind === 'array') return t.length! * headSize(t.element!)
  if (t.kind === 'tuple') return t.components!.reduce((n, c) => n + headSize(c.type), 0)
  return 32
}

const MAX_ITEMS = 100_000

class Reader {
  constructor(readonly data: Uint8Array) {}

  word(at: number): bigint {
    if (at < 0 || at + 32 > this.data.length) throw new AbiDecodeError(`read past the data at ${at}`)
    let v = 0n
    for (let i = at; i < at + 32; i++) v = (v << 8n) | BigInt(this.data[i]!)
    return v
  }

  offset(at: number): number {
    const v = this.word(at)
    if (v > BigInt(this.data.length)) throw new AbiDecodeError(`offset ${v} past the data`)
    return Number(v)
  }

  value(t: Type, at: number, base: number): AbiValue {
    switch (t.kind) {
      case 'uint': {
        const v = this.word(at)
        if (t.bits! < 256 && v >> BigInt(t.bits!) !== 0n) throw new AbiDecodeError(`${t.text} out of range`)
        return v.toString()
      }
      case 'int': {
        const v = BigInt.asIntN(256, this.word(at))
        if (BigInt.asIntN(t.bits!, v) !== v) throw new AbiDecodeError(`${t.text} out of range`)
        return v.toString()
      }
      case 'address': {
        const v = this.word(at)
        if (v >> 160n !== 0n) throw new AbiDecodeError('address out of range')
        return `0x${v.toString(16).padStart(40, '0')}`
      }
      case 'bool': {
        const v = this.word(at)
        if (v > 1n) throw new AbiDecodeError('bool out of range')
        return v === 1n
      }
      case 'fixedBytes':
        this.word(at)
        return bytesToHex(this.data.subarray(at, at + t.size!))
      case 'bytes':
      case 'string': {
        const start = base + this.offset(at)
        const length = this.offset(start)
        if (start + 32 + length > this.data.length) throw new AbiDecodeError(`${t.kind} past the data`)
        const raw = this.data.subarray(start + 32, start + 32 + length)
        return t.kind === 'bytes' ? bytesToHex(raw) : new TextDecoder().decode(raw)
      }
      case 'array': {
        let start = at
        let length = t.length!
        if (isDynamic(t)) {
          start = base + this.offset(at)
          if (length < 0) {
            length = this.offset(start)
            start += 32
          }
        }
        if (length > MAX_ITEMS) throw new AbiDecodeError('array too long')
        return this.sequence(
          Array.from({ length }, () => t.element!),
          start,
        )
      }
      case 'tuple': {
        const start = isDynamic(t) ? base + this.offset(at) : at
        return this.sequence(
          t.components!.map((c) => c.type),
          start,
        )
      }
    }
  }

  /** A head/tail sequence (a tuple's or array's items) starting at `start`. */
  sequence(types: Type[], start: number): AbiValue[] {
    const out: AbiValue[] = []
    let at = start
    for (const t of types) {
      out.push(this.value(t, at, start))
      at += headSize(t)
    }
    return out
  }
}

/**
 * Decodes `data` as the parameters `params` (a function's inputs after the selector, its
 * outputs, an error's arguments, an event's data). Undefined when the data does not fit.
 */
export function decodeParameters(
  params: readonly AbiParameter[],
  data: Uint8Array,
): DecodedArgument[] | undefined {
  try {
    const types = params.map(parseType)
    const values = new Reader(data).sequence(types, 0)
    return params.map((p, i) => ({ name: p.name ?? '', type: types[i]!.text, value: values[i]! }))
  } catch (error) {
    if (error instanceof AbiDecodeError) return undefined
    throw error
  }
}

/**
 * An event's arguments from its topics and data: indexed ones from the topics (a dynamic
 * indexed argument is only its keccak hash), the rest from the data.
 */
export function decodeEvent(
  item: AbiItem,
  topics: readonly Uint8Array[],
  data: Uint8Array,
): DecodedArgument[] | undefined {
  const inputs = item.inputs ?? []
  const plain = inputs.filter((p) => p.indexed !== true)
  const fromData = decodeParameters(plain, data)
  if (fromData === undefined) return undefined
  let topic = item.anonymous === true ? 0 : 1
  let k = 0
  const out: DecodedArgument[] = []
  for (const p of inputs) {
    if (p.indexed !== true) {
      out.push(fromData[k++]!)
      continue
    }
    const t = topics[topic++]
    if (t === undefined) return undefined
    const type = canonicalType(p)
    if (isDynamic(parseType(p)) || p.type.startsWith('tuple') || p.type.endsWith(']'))
      out.push({ name: p.name ?? '', type, value: bytesToHex(t) })
    else {
      const one = decodeParameters([p], t)
      if (one === undefined) return undefined
      out.push(one[0]!)
    }
  }
  return out
}

/** The panic codes of Solidity's `Panic(uint256)`. */
export const PANIC_REASONS: Record<number, string> = {
  0: 'generic compiler panic',
  1: 'assert(false)',
  17: 'arithmetic overflow or underflow',
  18: 'division or modulo by zero',
  33: 'conversion to an invalid enum value',
  34: 'incorrectly encoded storage byte array',
  49: 'pop() on an empty array',
  50: 'array index out of bounds',
  65: 'too much memory allocated',
  81: 'call to a zero-initialised internal function',
}
