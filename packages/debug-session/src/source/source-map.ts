import { instructionStarts } from '../opcodes.js'

/** Jump kinds of a source map entry: into a function, out of one, or a plain jump / no jump. */
export const JUMP_NONE = 0
export const JUMP_IN = 1
export const JUMP_OUT = 2

/**
 * A decoded legacy solc source map: one entry per instruction (not per byte), as columns.
 * `file[i] === -1` means the compiler tied instruction `i` to no source.
 */
export interface SourceMap {
  readonly length: number
  /** Byte offset of the range in its source (UTF-8 bytes). */
  readonly start: Int32Array
  readonly span: Int32Array
  /** Source id (`output.sources[path].id`, or a generated source's id); -1: none. */
  readonly file: Int32Array
  /** {@link JUMP_NONE}, {@link JUMP_IN} or {@link JUMP_OUT}. */
  readonly jump: Uint8Array
  /** Modifier depth. */
  readonly modifierDepth: Int32Array
}

const JUMPS: Record<string, number> = { i: JUMP_IN, o: JUMP_OUT, '-': JUMP_NONE }

/**
 * Decodes the compressed `s:l:f:j:m;…` form: entries are separated by `;`, fields by `:`; an
 * empty or missing field keeps the previous entry's value (an empty entry repeats it whole).
 * Throws a plain Error on a malformed field (the caller turns it into a typed error).
 */
export function decodeSourceMap(text: string): SourceMap {
  const entries = text.length === 0 ? [] : text.split(';')
  const n = entries.length
  const start = new Int32Array(n)
  const span = new Int32Array(n)
  const file = new Int32Array(n)
  const jump = new Uint8Array(n)
  const modifierDepth = new Int32Array(n)
  let s = 0
  let l = 0
  let f = -1
  let j = JUMP_NONE
  let m = 0
  const int = (field: string, i: number): number => {
    if (!/^-?\d+$/.test(field)) throw new Error(`source map entry ${i}: bad number "${field}"`)
    return Number(field)
  }
  for (let i = 0; i < n; i++) {
    const fields = entries[i]!.split(':')
    if (fields[0] !== undefined && fields[0] !== '') s = int(fields[0], i)
    if (fields[1] !== undefined && fields[1] !== '') l = int(fields[1], i)
    if (fields[2] !== undefined && fields[2] !== '') f = int(fields[2], i)
    if (fields[3] !== undefined && fields[3] !== '') {
      const kind = JUMPS[fields[3]]
      if (kind === undefined) throw new Error(`source map entry ${i}: bad jump "${fields[3]}"`)
      j = kind
    }
    if (fields[4] !== undefined && fields[4] !== '') m = int(fields[4], i)
    start[i] = s
    span[i] = l
    file[i] = f
    jump[i] = j
    modifierDepth[i] = m
  }
  return { length: n, start, span, file, jump, modifierDepth }
}

/**
 * pc → instruction index for `code` (PUSH immediates belong to their PUSH): -1 for a byte inside
 * an immediate or past the code. Source map entry `i` describes the instruction at the i-th
 * instruction start.
 */
export function instructionOfPc(code: Uint8Array): Int32Array {
  const out = new Int32Array(code.length).fill(-1)
  const starts = instructionStarts(code)
  for (let i = 0; i < starts.length; i++) out[starts[i]!] = i
  return out
}
