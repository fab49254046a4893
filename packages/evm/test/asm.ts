import { hexToBytes } from '@crucible/primitives'
import { OPCODE_NAMES } from '../src/index.js'

/** Byte of each mnemonic, from the EVM's own opcode list (so the tests and the tracer agree). */
const OPCODES: ReadonlyMap<string, number> = new Map(
  OPCODE_NAMES.flatMap((name, byte) => (name.startsWith('0x') ? [] : [[name, byte] as [string, number]])),
)

/**
 * Assembles EVM code for tests: `asm('PUSH1 0x01 PUSH1 0x02 ADD')`. Tokens are separated by
 * white space; a mnemonic is its opcode byte, and `PUSHn` takes the next token (hex with `0x`,
 * or decimal) as its n-byte immediate, left-padded. Any other token is raw hex bytes (lower
 * case, or with `0x`), so `asm('6001 6002 01')` is the same code.
 */
export function asm(source: string): Uint8Array {
  const out: number[] = []
  const tokens = source.split(/\s+/).filter((t) => t !== '')
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const op = OPCODES.get(token)
    if (op === undefined) {
      // Raw hex is lower case (or 0x-prefixed), so a mistyped mnemonic never reads as bytes.
      if (!/^(0x([0-9a-fA-F]{2})+|([0-9a-f]{2})+)$/.test(token))
        throw new Error(`asm: unknown token ${token}`)
      out.push(...hexToBytes(token.startsWith('0x') ? token : `0x${token}`))
      continue
    }
    out.push(op)
    const size = op >= 0x60 && op <= 0x7f ? op - 0x5f : 0
    if (size === 0) continue
    const immediate = tokens[++i]
    if (immediate === undefined || !/^(0x[0-9a-fA-F]+|\d+)$/.test(immediate))
      throw new Error(`asm: ${token} needs an immediate (0x… or decimal), got ${immediate ?? 'nothing'}`)
    const value = BigInt(immediate)
    if (value >> BigInt(8 * size) !== 0n) throw new Error(`asm: ${immediate} does not fit ${token}`)
    for (let b = size - 1; b >= 0; b--) out.push(Number((value >> BigInt(8 * b)) & 0xffn))
  }
  return Uint8Array.from(out)
}
