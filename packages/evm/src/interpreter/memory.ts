import { GAS_COPY, MAX_MEMORY_BIG } from './constants.js'
import { expansionCost, type Frame, growMemory } from './frame.js'

const M64 = 0xffff_ffff_ffff_ffffn

/**
 * End (exclusive, in bytes) of the memory range [offset, offset+size): 0 for an empty range
 * (which never expands memory, whatever its offset), Infinity when it is beyond any budget.
 */
export function rangeEnd(offset: bigint, size: bigint): number {
  if (size === 0n) return 0
  if (offset > MAX_MEMORY_BIG || size > MAX_MEMORY_BIG) return Number.POSITIVE_INFINITY
  return Number(offset) + Number(size)
}

/**
 * Charges `extra` gas plus the expansion for memory to cover `end` bytes, then grows it.
 * False (gas untouched meaning nothing) when out of gas.
 */
export function chargeMemory(f: Frame, end: number, extra: number): boolean {
  let cost = extra
  if (end > f.memorySize) {
    const e = expansionCost(f, end)
    if (e < 0) return false
    cost += e
  }
  if (f.gas < cost) return false
  f.gas -= cost
  if (end > f.memorySize) growMemory(f, end)
  return true
}

/** Gas for copying `size` bytes: 3 per (partial) word. */
export function copyCost(size: number): number {
  return GAS_COPY * Math.ceil(size / 32)
}

/**
 * The 32-byte big-endian word at `offset` (memory already covers it). Most words in memory are
 * small (offsets, lengths, counters): when the top 24 or 16 bytes are zero, one or two 64-bit
 * reads build the value, about four times faster than the general case.
 */
export function readWord(view: DataView, offset: number): bigint {
  if (
    (view.getUint32(offset) |
      view.getUint32(offset + 4) |
      view.getUint32(offset + 8) |
      view.getUint32(offset + 12)) ===
    0
  ) {
    if ((view.getUint32(offset + 16) | view.getUint32(offset + 20)) === 0)
      return view.getBigUint64(offset + 24)
    return (view.getBigUint64(offset + 16) << 64n) | view.getBigUint64(offset + 24)
  }
  return (
    (view.getBigUint64(offset) << 192n) |
    (view.getBigUint64(offset + 8) << 128n) |
    (view.getBigUint64(offset + 16) << 64n) |
    view.getBigUint64(offset + 24)
  )
}

/** Writes `value` as a 32-byte big-endian word at `offset`. */
export function writeWord(view: DataView, offset: number, value: bigint): void {
  if (value <= M64) {
    view.setUint32(offset, 0)
    view.setUint32(offset + 4, 0)
    view.setUint32(offset + 8, 0)
    view.setUint32(offset + 12, 0)
    view.setUint32(offset + 16, 0)
    view.setUint32(offset + 20, 0)
    view.setBigUint64(offset + 24, value)
    return
  }
  // setBigUint64 stores its argument modulo 2^64: no masks needed.
  view.setBigUint64(offset, value >> 192n)
  view.setBigUint64(offset + 8, value >> 128n)
  view.setBigUint64(offset + 16, value >> 64n)
  view.setBigUint64(offset + 24, value)
}

/**
 * Copies `size` bytes of `src` starting at `srcOffset` (zero-filled past its end) into memory
 * at `memOffset` (memory already covers the range).
 */
export function copyToMemory(
  f: Frame,
  memOffset: number,
  src: Uint8Array,
  srcOffset: bigint,
  size: number,
): void {
  if (size === 0) return
  const mem = f.memory
  const available = srcOffset >= BigInt(src.length) ? 0 : Math.min(size, src.length - Number(srcOffset))
  if (available > 0) {
    const start = Number(srcOffset)
    mem.set(src.subarray(start, start + available), memOffset)
  }
  if (available < size) mem.fill(0, memOffset + available, memOffset + size)
}

const scratch = new Uint8Array(32)
const scratchView = new DataView(scratch.buffer)

/** The word at `offset` of `bytes`, zero-padded past the end (CALLDATALOAD). */
export function loadPadded(bytes: Uint8Array, offset: bigint): bigint {
  const length = bytes.length
  if (offset >= BigInt(length)) return 0n
  const o = Number(offset)
  if (o + 32 <= length) {
    scratch.set(bytes.subarray(o, o + 32))
  } else {
    scratch.fill(0)
    scratch.set(bytes.subarray(o))
  }
  return readWord(scratchView, 0)
}
