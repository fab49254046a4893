import { EMPTY, GAS_COPY, GAS_MEMORY, MAX_MEMORY, MAX_MEMORY_BIG } from './constants.js'
import type { Meter } from './limits.js'

// EVM memory: its gas (expansion cost), its growth (buffers pooled across frames), ranges and
// copies, and word reads and writes. A frame is a MemoryState (and, for charging, a MeteredMemory).

/** The memory of a frame. */
export interface MemoryState {
  memory: Uint8Array
  view: DataView
  /** Logical size in bytes (a multiple of 32). */
  memorySize: number
  /** A metered run's counters: buffer capacity is counted as it is taken. */
  readonly meter?: Meter | undefined
}

/** Memory together with the gas that pays for it. */
export interface MeteredMemory extends MemoryState {
  gas: number
}

export const EMPTY_VIEW = new DataView(EMPTY.buffer)

// Memory buffers are pooled: a fresh frame's first expansion takes one instead of allocating,
// and repeated calls stop paying for copy-on-grow.
const memoryPool: Uint8Array[] = []
const MAX_POOLED_MEMORY = 1 << 20

/** Returns a frame's buffer to the pool (`size`: the part in use, the only part not zero). */
export function releaseMemory(memory: Uint8Array, size: number): void {
  if (memory.length > 0 && memory.length <= MAX_POOLED_MEMORY && memoryPool.length < 64) {
    memory.fill(0, 0, size)
    memoryPool.push(memory)
  }
}

/** Gas of `words` words of memory: 3w + w²/512, exact in doubles for any w < 2^32. */
export function memoryCost(words: number): number {
  // w²/512 split as (w div 512)·w + (w mod 512)·w/512 so no product exceeds 2^53.
  return GAS_MEMORY * words + Math.floor(words / 512) * words + Math.floor(((words % 512) * words) / 512)
}

/**
 * Gas to grow memory to cover `end` bytes (0 when it already does); -1 when `end` is beyond
 * what any gas could pay for.
 */
export function expansionCost(m: MemoryState, end: number): number {
  if (end <= m.memorySize) return 0
  if (end > MAX_MEMORY) return -1
  return memoryCost(Math.ceil(end / 32)) - memoryCost(m.memorySize / 32)
}

/** Grows the logical memory to cover `end` bytes (already paid for). */
export function growMemory(m: MemoryState, end: number): void {
  const size = Math.ceil(end / 32) * 32
  if (size <= m.memorySize) return
  if (size > m.memory.length) {
    if (m.memory.length === 0 && memoryPool.length > 0 && memoryPool[memoryPool.length - 1]!.length >= size) {
      const pooled = memoryPool.pop()!
      m.meter?.hold(m, pooled.length)
      m.memory = pooled
      m.view = new DataView(pooled.buffer)
      m.memorySize = size
      return
    }
    // Geometric growth: appending workloads copy O(n) bytes in total.
    const capacity = Math.max(size, m.memory.length * 2, 1024)
    // Counted before the allocation, so a limit stops it.
    m.meter?.hold(m, capacity - m.memory.length)
    const memory = new Uint8Array(capacity)
    memory.set(m.memory.subarray(0, m.memorySize))
    m.memory = memory
    m.view = new DataView(memory.buffer)
  }
  m.memorySize = size
}

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
export function chargeMemory(f: MeteredMemory, end: number, extra: number): boolean {
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
  f: MemoryState,
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
