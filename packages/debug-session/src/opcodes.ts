import { forkTable, OPCODE_NAMES } from '@crucible/evm'
import type { ForkRules } from '@crucible/forks'

/** A byte range of memory. */
export interface MemoryRange {
  offset: number
  length: number
}

const LIMIT = 2 ** 32

function range(offset: bigint | undefined, length: bigint | number | undefined): MemoryRange[] {
  if (offset === undefined || length === undefined) return []
  const size = typeof length === 'number' ? BigInt(length) : length
  // A range the opcode cannot pay for never touches memory (it runs out of gas).
  if (size === 0n || offset + size > BigInt(LIMIT)) return []
  return [{ offset: Number(offset), length: Number(size) }]
}

/**
 * The memory an opcode reads and writes, from its operands (`stack` bottom first, as the frame
 * holds it before the opcode): what the memory pane marks.
 */
export function memoryEffects(
  op: number,
  stack: readonly bigint[],
): { reads: MemoryRange[]; writes: MemoryRange[] } {
  const s = (i: number) => stack[stack.length - 1 - i]
  switch (op) {
    case 0x20: // KECCAK256
    case 0xa0: // LOG0..LOG4
    case 0xa1:
    case 0xa2:
    case 0xa3:
    case 0xa4:
    case 0xf3: // RETURN
    case 0xfd: // REVERT
      return { reads: range(s(0), s(1)), writes: [] }
    case 0x37: // CALLDATACOPY
    case 0x39: // CODECOPY
    case 0x3e: // RETURNDATACOPY
      return { reads: [], writes: range(s(0), s(2)) }
    case 0x3c: // EXTCODECOPY
      return { reads: [], writes: range(s(1), s(3)) }
    case 0x51: // MLOAD
      return { reads: range(s(0), 32), writes: [] }
    case 0x52: // MSTORE
      return { reads: [], writes: range(s(0), 32) }
    case 0x53: // MSTORE8
      return { reads: [], writes: range(s(0), 1) }
    case 0x5e: // MCOPY
      return { reads: range(s(1), s(2)), writes: range(s(0), s(2)) }
    case 0xf0: // CREATE
    case 0xf5: // CREATE2
      return { reads: range(s(1), s(2)), writes: [] }
    case 0xf1: // CALL
    case 0xf2: // CALLCODE
      return { reads: range(s(3), s(4)), writes: range(s(5), s(6)) }
    case 0xf4: // DELEGATECALL
    case 0xfa: // STATICCALL
      return { reads: range(s(2), s(3)), writes: range(s(4), s(5)) }
    default:
      return { reads: [], writes: [] }
  }
}

/** How many stack items the opcode consumes under `rules` (the top ones). */
export function stackInputs(rules: ForkRules, op: number): number {
  return forkTable(rules).minSp[op]!
}

/** One disassembled instruction. */
export interface Instruction {
  pc: number
  op: number
  name: string
  /** PUSH data, 0x-hex (cut short at the end of the code). */
  immediate?: string
}

const starts = new WeakMap<Uint8Array, Int32Array>()

/** The pc of every instruction of `code` (PUSH data skipped), cached per code array. */
export function instructionStarts(code: Uint8Array): Int32Array {
  let out = starts.get(code)
  if (out !== undefined) return out
  const list: number[] = []
  for (let pc = 0; pc < code.length; pc++) {
    list.push(pc)
    const op = code[pc]!
    if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f
  }
  out = Int32Array.from(list)
  starts.set(code, out)
  return out
}

/** Instructions `from` .. `from + count` (by instruction index) of `code`. */
export function disassemble(code: Uint8Array, from: number, count: number): Instruction[] {
  const pcs = instructionStarts(code)
  const out: Instruction[] = []
  const end = Math.min(pcs.length, from + count)
  for (let i = Math.max(0, from); i < end; i++) {
    const pc = pcs[i]!
    const op = code[pc]!
    const line: Instruction = { pc, op, name: OPCODE_NAMES[op]! }
    if (op >= 0x60 && op <= 0x7f) {
      let hex = '0x'
      for (let k = pc + 1; k <= pc + op - 0x5f && k < code.length; k++)
        hex += code[k]!.toString(16).padStart(2, '0')
      line.immediate = hex
    }
    out.push(line)
  }
  return out
}

/** Index of the instruction at (or containing) `pc`. */
export function instructionIndex(code: Uint8Array, pc: number): number {
  const pcs = instructionStarts(code)
  let lo = 0
  let hi = pcs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (pcs[mid]! <= pc) lo = mid + 1
    else hi = mid
  }
  return Math.max(0, lo - 1)
}

/** The opcode byte of a mnemonic (any fork), undefined when unknown. */
export function opcodeByName(name: string): number | undefined {
  const i = OPCODE_NAMES.indexOf(name.toUpperCase())
  return i < 0 ? undefined : i
}
