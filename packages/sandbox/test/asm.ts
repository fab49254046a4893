import { OPCODE_NAMES } from '@crucible/evm'

const BY_NAME = new Map(OPCODE_NAMES.map((name, op) => [name, op] as const).filter(([name]) => name !== ''))

/**
 * Bytecode from mnemonics and pushes: a string is an opcode (`'MSTORE'`), a bigint is the
 * smallest PUSH of it, `{ label }` marks a JUMPDEST and `{ to }` pushes a label's offset
 * (two bytes, so offsets are known before the labels are).
 */
export function asm(...items: Array<string | bigint | { label: string } | { to: string }>): Uint8Array {
  const out: number[] = []
  const labels = new Map<string, number>()
  const fixups: Array<[number, string]> = []
  for (const item of items) {
    if (typeof item === 'string') {
      const op = BY_NAME.get(item)
      if (op === undefined) throw new Error(`asm: unknown opcode ${item}`)
      out.push(op)
    } else if (typeof item === 'bigint') {
      if (item === 0n) out.push(0x5f)
      else {
        const bytes: number[] = []
        for (let v = item; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn))
        out.push(0x5f + bytes.length, ...bytes)
      }
    } else if ('label' in item) {
      labels.set(item.label, out.length)
      out.push(0x5b)
    } else {
      fixups.push([out.length + 1, item.to])
      out.push(0x61, 0, 0)
    }
  }
  for (const [at, label] of fixups) {
    const offset = labels.get(label)
    if (offset === undefined) throw new Error(`asm: no label ${label}`)
    out[at] = offset >> 8
    out[at + 1] = offset & 0xff
  }
  return new Uint8Array(out)
}

/** `0x`-prefixed 32-byte word of a number, for call data. */
export const word = (n: bigint) => n.toString(16).padStart(64, '0')
