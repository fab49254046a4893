/** JSON forms: words and amounts as minimal 0x-hex, addresses as 20-byte hex, bytes as 0x-hex. */
export const word = (v: bigint): string => `0x${v.toString(16)}`
export const address = (v: bigint): string => `0x${v.toString(16).padStart(40, '0')}`

export function bytes(b: Uint8Array, from = 0, to = b.length): string {
  let out = '0x'
  const end = Math.min(to, b.length)
  for (let i = Math.max(0, from); i < end; i++) out += b[i]!.toString(16).padStart(2, '0')
  return out
}
