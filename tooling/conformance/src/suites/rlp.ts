import { bytesToHex, decodeRlp, encodeRlp, hexToBytes, type RlpItem, utf8ToBytes } from '@crucible/primitives'
import type { Suite } from '../suite.js'

/**
 * RLPTests: `in` is the value (a string of bytes, an integer, `#<decimal>` for a big
 * integer, or a list), `out` its canonical encoding. `in: "INVALID"` means the decoder must
 * reject `out`; `in: "VALID"` means it must accept it. Valid cases check both directions.
 */
type RlpValue = string | number | RlpValue[]

const suite: Suite = {
  name: 'rlp',
  defaultPaths: ['ethereum-tests/RLPTests'],
  format: 'rlp',
  runFile(ctx) {
    for (const [name, test] of Object.entries(ctx.tests as Record<string, { in: RlpValue; out: string }>)) {
      if (!ctx.begin(name, '', 0)) continue
      ctx.report({ test: name, fork: '', index: 0, ...check(test.in, test.out) })
    }
  },
}
export default suite

function check(input: RlpValue, out: string): { ok: boolean; reason?: string } {
  let encoded: Uint8Array
  try {
    encoded = hexToBytes(out)
  } catch (error) {
    // An `out` that is not even hex can only be an invalid case.
    return input === 'INVALID'
      ? { ok: true }
      : { ok: false, reason: `bad hex in fixture: ${(error as Error).message}` }
  }
  if (input === 'INVALID') {
    try {
      const decoded = decodeRlp(encoded)
      return { ok: false, reason: `decoded invalid RLP as ${describe(decoded)}` }
    } catch {
      return { ok: true }
    }
  }
  let decoded: RlpItem
  try {
    decoded = decodeRlp(encoded)
  } catch (error) {
    return { ok: false, reason: `rejected valid RLP: ${(error as Error).message.split('\n')[0]}` }
  }
  if (input === 'VALID') {
    const again = bytesToHex(encodeRlp(decoded))
    return again === bytesToHex(encoded) ? { ok: true } : { ok: false, reason: `re-encoded as ${again}` }
  }
  const expected = toItem(input)
  const got = bytesToHex(encodeRlp(expected))
  if (got !== bytesToHex(encoded))
    return { ok: false, reason: `encoded as ${got}, expected ${bytesToHex(encoded)}` }
  if (!sameItem(decoded, expected)) return { ok: false, reason: `decoded as ${describe(decoded)}` }
  return { ok: true }
}

/** The fixture value as the byte strings RLP carries. */
function toItem(value: RlpValue): RlpItem {
  if (Array.isArray(value)) return value.map(toItem)
  if (typeof value === 'number') return integerBytes(BigInt(value))
  if (value.startsWith('#')) return integerBytes(BigInt(value.slice(1)))
  return utf8ToBytes(value)
}

function integerBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0)
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return hexToBytes(hex)
}

function sameItem(a: RlpItem, b: RlpItem): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesToHex(a) === bytesToHex(b)
  }
  return a.length === b.length && a.every((item, i) => sameItem(item, b[i]!))
}

function describe(item: RlpItem): string {
  return item instanceof Uint8Array ? bytesToHex(item) : `[${item.map(describe).join(', ')}]`
}
