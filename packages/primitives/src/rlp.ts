import { bytesToBigInt, bytesToNumber, EMPTY_BYTES, utf8ToBytes } from './bytes.js'
import { describeType, RlpError } from './errors.js'
import { hexToBytes } from './hex.js'

/*
 * A bounded RLP codec. Decoding costs O(input) time and memory whatever the shape of the
 * input: byte strings come back as views into the input (never copies), one-byte strings as
 * shared constants, and nesting is walked with an explicit stack (no recursion), under a
 * depth limit and a length limit. Encoding measures first and then writes into one exact
 * allocation, also without recursion or argument spreading, so a list of any width encodes.
 * The accepted forms are exactly the canonical ones (the RLPTests invalid cases).
 */

/**
 * A decoded RLP item: a byte string or a list of items. Decoded byte strings are views into
 * the decoded input, and one-byte strings are shared: treat them as read-only.
 */
export type RlpItem = Uint8Array | RlpItem[]

/**
 * What {@link encodeRlp} accepts: bytes, non-negative integers (minimal big-endian; zero is
 * the empty string), strings (`0x`-prefixed hex, otherwise UTF-8), null or undefined (the
 * empty string), and lists of these.
 */
export type RlpInput = Uint8Array | bigint | number | string | null | undefined | readonly RlpInput[]

/** Limits for {@link decodeRlp} and {@link decodeRlpPrefix}. */
export interface RlpDecodeOptions {
  /**
   * The most lists that may nest inside one another: a byte string is depth 0, `[]` depth 1,
   * `[[]]` depth 2. Protocol decoders pass the depth their structure has.
   */
  maxDepth?: number
  /** The longest input accepted, in bytes. */
  maxLength?: number
}

/** Default nesting limit: far beyond any protocol structure, far below any stack. */
export const RLP_DEFAULT_MAX_DEPTH = 1024
/** Default input limit: 32 MiB, above any block or message a peer may send. */
export const RLP_DEFAULT_MAX_LENGTH = 32 * 1024 * 1024

/** One-byte strings, shared: a list of single bytes then costs a pointer per item. */
const SINGLE_BYTES: Uint8Array[] = /* @__PURE__ */ (() => {
  const table = new Array<Uint8Array>(256)
  for (let i = 0; i < 256; i++) table[i] = Uint8Array.of(i)
  return table
})()

/** The input as a byte string, or an RlpError (never a TypeError, never a silent conversion). */
function checkInput(bytes: unknown, options: RlpDecodeOptions | undefined): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new RlpError(`input is not a Uint8Array (${describeType(bytes)})`)
  if (bytes.length === 0) throw new RlpError('empty input', bytes)
  const maxLength = options?.maxLength ?? RLP_DEFAULT_MAX_LENGTH
  if (bytes.length > maxLength) {
    throw new RlpError(`input of ${bytes.length} bytes is longer than the limit of ${maxLength}`)
  }
  return bytes
}

/**
 * Decodes exactly one RLP item that fills `bytes`. Non-canonical forms (a single byte below
 * 0x80 wrapped in a prefix, long forms for short payloads, leading zeros in lengths), lengths
 * that run past the input, trailing bytes, nesting deeper than `maxDepth` and input longer
 * than `maxLength` are all {@link RlpError}s.
 */
export function decodeRlp(bytes: Uint8Array, options?: RlpDecodeOptions): RlpItem {
  const input = checkInput(bytes, options)
  const item = decodeItem(input, 0, input.length, options?.maxDepth ?? RLP_DEFAULT_MAX_DEPTH)
  if (decodedEnd !== input.length) {
    throw new RlpError(`${input.length - decodedEnd} trailing bytes after the item`, input)
  }
  return item
}

/** Decodes the first RLP item of `bytes` and returns it with the bytes that follow it (a view). */
export function decodeRlpPrefix(
  bytes: Uint8Array,
  options?: RlpDecodeOptions,
): { item: RlpItem; rest: Uint8Array } {
  const input = checkInput(bytes, options)
  const item = decodeItem(input, 0, input.length, options?.maxDepth ?? RLP_DEFAULT_MAX_DEPTH)
  return { item, rest: input.subarray(decodedEnd) }
}

/*
 * The item header just read by readHeader: payload [headStart, headEnd), and whether it is a
 * list. Module state instead of a returned object: the decoder reads one header per item.
 */
let headStart = 0
let headEnd = 0
let headIsList = false
/** Where the item decodeItem last returned ends. */
let decodedEnd = 0

/** Reads the header of the item at `pos`, which must end by `end`; returns where it ends. */
function readHeader(b: Uint8Array, pos: number, end: number): number {
  const x = b[pos]!
  if (x < 0x80) {
    headStart = pos
    headEnd = pos + 1
    headIsList = false
    return headEnd
  }
  let len: number
  if (x < 0xb8 || (x >= 0xc0 && x < 0xf8)) {
    headIsList = x >= 0xc0
    len = x - (headIsList ? 0xc0 : 0x80)
    headStart = pos + 1
    if (len === 1 && !headIsList && headStart < end && b[headStart]! < 0x80) {
      throw new RlpError('single byte below 0x80 must not have a prefix', b)
    }
  } else {
    headIsList = x >= 0xf8
    const lengthBytes = x - (headIsList ? 0xf7 : 0xb7)
    if (pos + 1 + lengthBytes > end) throw new RlpError('not enough bytes for the length', b)
    if (b[pos + 1] === 0) throw new RlpError('length has leading zeros', b)
    len = 0
    for (let i = 1; i <= lengthBytes; i++) len = len * 256 + b[pos + i]!
    if (len < 56) throw new RlpError('long form used for a payload shorter than 56 bytes', b)
    headStart = pos + 1 + lengthBytes
  }
  headEnd = headStart + len
  if (headEnd > end) {
    throw new RlpError(`${headIsList ? 'list' : 'string'} runs past the end of its container`, b)
  }
  return headEnd
}

/** The byte string b[start, end) as a view (or a shared constant when 0 or 1 bytes long). */
function view(b: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start
  if (n === 0) return EMPTY_BYTES
  if (n === 1) return SINGLE_BYTES[b[start]!]!
  return new Uint8Array(b.buffer, b.byteOffset + start, n)
}

function tooDeep(b: Uint8Array, maxDepth: number): RlpError {
  return new RlpError(`lists nested deeper than the limit of ${maxDepth}`, b)
}

/** How many items the list payload b[pos, end) holds (validating each header on the way). */
function countItems(b: Uint8Array, pos: number, end: number): number {
  let n = 0
  while (pos < end) {
    pos = readHeader(b, pos, end)
    n++
  }
  return n
}

/**
 * Decodes the item at `pos` (ending by `end`) without recursion: each open list is a frame
 * on an explicit stack of (list, next index, end of its payload). Lists are allocated at their
 * exact length (counted first), so a list of tiny items costs no spare capacity. Sets
 * {@link decodedEnd}.
 */
function decodeItem(b: Uint8Array, pos: number, end: number, maxDepth: number): RlpItem {
  let next = readHeader(b, pos, end)
  decodedEnd = next
  if (!headIsList) return view(b, headStart, headEnd)
  if (maxDepth < 1) throw tooDeep(b, maxDepth)
  if (headStart === next) return []
  pos = headStart
  let topEnd = next
  let top: RlpItem[] = new Array(countItems(b, pos, topEnd))
  const root = top
  let index = 0
  const lists: RlpItem[][] = []
  const indices: number[] = []
  const ends: number[] = []
  for (;;) {
    next = readHeader(b, pos, topEnd)
    if (headIsList) {
      if (lists.length + 1 >= maxDepth) throw tooDeep(b, maxDepth)
      if (headStart === next) {
        top[index++] = []
      } else {
        const start = headStart
        const child: RlpItem[] = new Array(countItems(b, start, next))
        top[index++] = child
        lists.push(top)
        indices.push(index)
        ends.push(topEnd)
        top = child
        index = 0
        topEnd = next
        pos = start
        continue
      }
    } else {
      top[index++] = view(b, headStart, next)
    }
    pos = next
    while (pos === topEnd) {
      const depth = lists.length
      if (depth === 0) return root
      top = lists.pop()!
      index = indices.pop()!
      topEnd = ends.pop()!
    }
  }
}

// ---------------------------------------------------------------------------------------
// Encoding

/** The most lists that may nest in an encoded value (also what catches a cyclic list). */
const ENCODE_MAX_DEPTH = 1_000_000

/** A leaf value as bytes, as {@link RlpInput} describes. */
function leafBytes(value: RlpInput): Uint8Array {
  if (value instanceof Uint8Array) return value
  switch (typeof value) {
    case 'bigint':
    case 'number':
      return integerBytes(value)
    case 'string':
      if (value.length >= 2 && value[0] === '0' && value[1] === 'x') {
        const digits = value.slice(2)
        try {
          return hexToBytes(digits.length % 2 ? `0${digits}` : digits)
        } catch (error) {
          throw new RlpError('cannot encode a string that starts with 0x but is not hex', undefined, {
            cause: error,
          })
        }
      }
      return utf8ToBytes(value)
    default:
      if (value === null || value === undefined) return EMPTY_BYTES
      throw new RlpError(`cannot encode ${describeType(value)}`)
  }
}

function integerBytes(value: bigint | number): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RlpError(`cannot encode the number ${value} (not a safe integer)`)
  }
  if (value < 0) throw new RlpError(`cannot encode a negative integer (${value})`)
  if (value === 0 || value === 0n) return EMPTY_BYTES
  if (typeof value === 'number' && value < 256) return SINGLE_BYTES[value]!
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return hexToBytes(hex)
}

function lengthOfLength(n: number): number {
  let bytes = 1
  while (n >= 256) {
    n = Math.floor(n / 256)
    bytes++
  }
  return bytes
}

/** Encoded size of a byte string. */
function stringSize(b: Uint8Array): number {
  const n = b.length
  if (n === 1 && b[0]! < 0x80) return 1
  return n < 56 ? n + 1 : n + 1 + lengthOfLength(n)
}

function headerSize(payload: number): number {
  return payload < 56 ? 1 : 1 + lengthOfLength(payload)
}

function writeHeader(out: Uint8Array, pos: number, base: number, n: number): number {
  if (n < 56) {
    out[pos] = base + n
    return pos + 1
  }
  const ll = lengthOfLength(n)
  out[pos] = base + 55 + ll
  for (let i = ll; i >= 1; i--) {
    out[pos + i] = n % 256
    n = Math.floor(n / 256)
  }
  return pos + 1 + ll
}

function writeString(out: Uint8Array, pos: number, b: Uint8Array): number {
  const n = b.length
  if (n === 1 && b[0]! < 0x80) {
    out[pos] = b[0]!
    return pos + 1
  }
  pos = writeHeader(out, pos, 0x80, n)
  if (n < 32) for (let i = 0; i < n; i++) out[pos + i] = b[i]!
  else out.set(b, pos)
  return pos + n
}

/**
 * RLP-encodes bytes, integers (minimal big-endian) and nested lists of any width and depth.
 * Values it cannot encode (negative integers, unsafe numbers, objects, `0x` strings that are
 * not hex) are {@link RlpError}s.
 */
export function encodeRlp(input: RlpInput): Uint8Array {
  if (!Array.isArray(input)) {
    const b = leafBytes(input as RlpInput)
    const out = new Uint8Array(stringSize(b))
    writeString(out, 0, b)
    return out
  }
  // Pass 1: the payload size of every list (in the order lists open) and every leaf's bytes.
  const payloads: number[] = []
  const leaves: Uint8Array[] = []
  const stack: (readonly RlpInput[])[] = [input]
  const index: number[] = [0]
  const slot: number[] = [0]
  const sum: number[] = [0]
  payloads.push(0)
  let total = 0
  for (;;) {
    const depth = stack.length - 1
    const list = stack[depth]!
    const i = index[depth]!
    if (i < list.length) {
      index[depth] = i + 1
      const element = list[i]
      if (Array.isArray(element)) {
        if (stack.length >= ENCODE_MAX_DEPTH) throw new RlpError('lists nested too deeply to encode')
        stack.push(element)
        index.push(0)
        slot.push(payloads.length)
        sum.push(0)
        payloads.push(0)
      } else {
        const b = leafBytes(element as RlpInput)
        leaves.push(b)
        sum[depth] = sum[depth]! + stringSize(b)
      }
      continue
    }
    const payload = sum[depth]!
    payloads[slot[depth]!] = payload
    stack.pop()
    index.pop()
    slot.pop()
    sum.pop()
    const size = headerSize(payload) + payload
    if (depth === 0) {
      total = size
      break
    }
    sum[depth - 1] = sum[depth - 1]! + size
  }
  // Pass 2: the same walk, writing.
  const out = new Uint8Array(total)
  let pos = writeHeader(out, 0, 0xc0, payloads[0]!)
  let listNo = 1
  let leafNo = 0
  stack.push(input)
  index.push(0)
  while (stack.length > 0) {
    const depth = stack.length - 1
    const list = stack[depth]!
    const i = index[depth]!
    if (i === list.length) {
      stack.pop()
      index.pop()
      continue
    }
    index[depth] = i + 1
    const element = list[i]
    if (Array.isArray(element)) {
      pos = writeHeader(out, pos, 0xc0, payloads[listNo++]!)
      stack.push(element)
      index.push(0)
    } else {
      pos = writeString(out, pos, leaves[leafNo++]!)
    }
  }
  return out
}

/**
 * The RLP list whose items are `encoded`, each already an RLP encoding (embedded as it is,
 * not checked): how a caller embeds bytes it holds in encoded form, such as a legacy
 * transaction inside a block body.
 */
export function encodeRlpList(encoded: readonly Uint8Array[]): Uint8Array {
  let payload = 0
  for (let i = 0; i < encoded.length; i++) {
    const item = encoded[i]
    if (!(item instanceof Uint8Array))
      throw new RlpError(`list item ${i} is not a Uint8Array (${describeType(item)})`)
    payload += item.length
  }
  const out = new Uint8Array(headerSize(payload) + payload)
  let pos = writeHeader(out, 0, 0xc0, payload)
  for (const item of encoded) {
    out.set(item, pos)
    pos += item.length
  }
  return out
}

// ---------------------------------------------------------------------------------------
// Typed readers of decoded items

/** The item as a byte string, or {@link RlpError} naming `what` if it is a list. */
export function rlpBytes(item: RlpItem | undefined, what: string): Uint8Array {
  if (item instanceof Uint8Array) return item
  throw new RlpError(`${what}: expected a byte string, got ${item === undefined ? 'nothing' : 'a list'}`)
}

/** The item as a list, or {@link RlpError} naming `what`; with `length`, exactly that many items. */
export function rlpList(item: RlpItem | undefined, what: string, length?: number): RlpItem[] {
  if (!Array.isArray(item))
    throw new RlpError(`${what}: expected a list, got ${item === undefined ? 'nothing' : 'a byte string'}`)
  if (length !== undefined && item.length !== length) {
    throw new RlpError(`${what}: expected ${length} items, got ${item.length}`)
  }
  return item
}

/**
 * The item as a canonical unsigned integer: a byte string with no leading zero byte, at most
 * `maxBytes` long (32 by default).
 */
export function rlpBigInt(item: RlpItem | undefined, what: string, maxBytes = 32): bigint {
  const bytes = rlpBytes(item, what)
  if (bytes.length > 0 && bytes[0] === 0) throw new RlpError(`${what}: integer has leading zero bytes`)
  if (bytes.length > maxBytes) throw new RlpError(`${what}: integer longer than ${maxBytes} bytes`)
  return bytesToBigInt(bytes)
}

/** Like {@link rlpBigInt} for values that fit a safe integer (at most 6 bytes by default). */
export function rlpNumber(item: RlpItem | undefined, what: string, maxBytes = 6): number {
  const bytes = rlpBytes(item, what)
  if (bytes.length > 0 && bytes[0] === 0) throw new RlpError(`${what}: integer has leading zero bytes`)
  if (bytes.length > maxBytes) throw new RlpError(`${what}: integer longer than ${maxBytes} bytes`)
  return bytesToNumber(bytes)
}

/** The item as a byte string of exactly `length` bytes. */
export function rlpFixedBytes(item: RlpItem | undefined, what: string, length: number): Uint8Array {
  const bytes = rlpBytes(item, what)
  if (bytes.length !== length) throw new RlpError(`${what}: expected ${length} bytes, got ${bytes.length}`)
  return bytes
}
