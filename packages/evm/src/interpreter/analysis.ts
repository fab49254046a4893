import { IMMEDIATE_SIZE } from './tables.js'

/**
 * Code analysis, done once per code byte array: the JUMPDEST map, every PUSH immediate decoded
 * to a bigint (so PUSH at run time is one array read), and a zero-padded copy of the code so
 * that reading past the end yields STOP without a bounds check.
 */
export interface CodeAnalysis {
  /** The code followed by 33 zero bytes. */
  readonly code: Uint8Array
  /** Length of the original code. */
  readonly length: number
  /** 1 at every offset holding a real JUMPDEST (not PUSH data). */
  readonly jumpdests: Uint8Array
  /** The value a PUSH at this offset pushes; 0n elsewhere. */
  readonly pushes: bigint[]
}

// Keyed by the code array's identity: hosts hand out the same array for the same account
// code, so a hot contract is analysed once; a collected array drops its entry with it.
const cache = new WeakMap<Uint8Array, CodeAnalysis>()

/** The (cached) analysis of `code`. */
export function analyzeCode(code: Uint8Array): CodeAnalysis {
  let analysis = cache.get(code)
  if (analysis === undefined) {
    analysis = analyze(code)
    cache.set(code, analysis)
  }
  return analysis
}

function analyze(raw: Uint8Array): CodeAnalysis {
  const length = raw.length
  const code = new Uint8Array(length + 33)
  code.set(raw)
  const jumpdests = new Uint8Array(length)
  // Built by push() so the array stays packed (no holes) for fast indexed reads.
  const pushes: bigint[] = []
  let pc = 0
  while (pc < length) {
    const op = code[pc]!
    const n = IMMEDIATE_SIZE[op]!
    if (n !== 0) {
      pushes.push(readImmediate(code, pc + 1, n))
      for (let i = 0; i < n; i++) pushes.push(0n)
      pc += n + 1
    } else {
      if (op === 0x5b /* JUMPDEST */) jumpdests[pc] = 1
      pushes.push(0n)
      pc++
    }
  }
  return { code, length, jumpdests, pushes }
}

function readImmediate(code: Uint8Array, start: number, n: number): bigint {
  if (n <= 6) {
    let v = 0
    for (let i = 0; i < n; i++) v = v * 256 + code[start + i]!
    return BigInt(v)
  }
  let result = 0n
  let i = 0
  while (i < n) {
    const take = Math.min(n - i, 6)
    let v = 0
    for (let k = 0; k < take; k++) v = v * 256 + code[start + i + k]!
    result = (result << BigInt(take * 8)) | BigInt(v)
    i += take
  }
  return result
}
