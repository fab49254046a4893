import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { seededRandom } from '@crucible/test-support'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BLAKE2F_WASM_BASE64 } from './blake2f/blake2f-wasm.js'
import { blake2bCompress, blake2bCompressJs, blake2bCompressWasm } from './blake2f.js'

type Compress = (rounds: number, h: Uint8Array, m: Uint8Array, t: Uint8Array, final: boolean) => Uint8Array

const wasmCompress: Compress = (...args) => {
  const out = blake2bCompressWasm(...args)
  if (out === undefined) throw new Error('WebAssembly unavailable')
  return out
}
const paths: [string, Compress][] = [
  ['js', blake2bCompressJs],
  ['wasm', wasmCompress],
  ['default', blake2bCompress],
]

// EIP-152 test vectors 4-7 (h, m = "abc", t = 3).
const h = hexToBytes(
  '0x48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b',
)
const m = hexToBytes(`0x616263${'00'.repeat(125)}`)
const t = hexToBytes(`0x0300000000000000${'00'.repeat(8)}`)
const vectors: [number, boolean, string][] = [
  [
    0,
    true,
    '0x08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b',
  ],
  [
    12,
    true,
    '0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
  ],
  [
    12,
    false,
    '0x75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735',
  ],
  [
    1,
    true,
    '0xb63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421',
  ],
]

describe('blake2bCompress paths', () => {
  for (const [name, compress] of paths) {
    it(`${name}: EIP-152 vectors 4-7`, () => {
      for (const [rounds, final, expected] of vectors) {
        expect(bytesToHex(compress(rounds, h, m, t, final)), `${rounds} rounds, final ${final}`).toBe(
          expected,
        )
      }
    })
  }

  it('wasm and JS agree on random inputs and round counts', () => {
    const rng = seededRandom(0x152)
    const counts = [0, 1, 2, 9, 10, 11, 12, 20, 0x10000, 0x10001, 0x1000a]
    for (let i = 0; i < 30; i++) counts.push(rng.int(10001))
    for (const rounds of counts) {
      const hi = rng.bytes(64)
      const mi = rng.bytes(128)
      const ti = rng.bytes(16)
      const final = rng.int(2) === 1
      const expected = bytesToHex(blake2bCompressJs(rounds, hi, mi, ti, final))
      expect(bytesToHex(wasmCompress(rounds, hi, mi, ti, final)), `${rounds} rounds`).toBe(expected)
      expect(bytesToHex(blake2bCompress(rounds, hi, mi, ti, final))).toBe(expected)
    }
  })

  it('does not modify its inputs and returns a fresh array', () => {
    const hi = h.slice()
    const a = wasmCompress(12, hi, m, t, true)
    const b = wasmCompress(12, hi, m, t, true)
    expect(a).not.toBe(b)
    expect(a).toEqual(b)
    expect(hi).toEqual(h)
  })

  it('is small enough to compile synchronously on a browser main thread (4 KiB)', () => {
    // That the module is what its generator writes is checked by pnpm codegen:check.
    expect(atob(BLAKE2F_WASM_BASE64).length).toBeLessThan(4096)
  })
})

describe('blake2bCompress without WebAssembly', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  const fresh = async () => {
    vi.resetModules()
    return (await import('./blake2f.js')) as typeof import('./blake2f.js')
  }

  it('falls back to JS when WebAssembly is missing', async () => {
    vi.stubGlobal('WebAssembly', undefined)
    const mod = await fresh()
    expect(mod.blake2bCompressWasm(12, h, m, t, true)).toBeUndefined()
    for (const [rounds, final, expected] of vectors) {
      expect(bytesToHex(mod.blake2bCompress(rounds, h, m, t, final))).toBe(expected)
    }
  })

  it('falls back to JS when instantiation fails', async () => {
    vi.stubGlobal('WebAssembly', {
      ...WebAssembly,
      Module: class {
        constructor() {
          throw new Error('CompileError: disallowed')
        }
      },
    })
    const mod = await fresh()
    expect(mod.blake2bCompressWasm(12, h, m, t, true)).toBeUndefined()
    expect(bytesToHex(mod.blake2bCompress(12, h, m, t, true))).toBe(vectors[1]![2])
  })
})
