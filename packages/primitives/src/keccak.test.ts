import { seededRandom } from '@crucible/test-support'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterAll, describe, expect, it } from 'vitest'
import { bytesToUnprefixedHex } from './hex.js'
import {
  KECCAK256_EMPTY,
  KECCAK256_RLP_EMPTY,
  KECCAK256_RLP_EMPTY_LIST,
  keccak256,
  keccak256Backend,
  keccak256Ts,
  keccak256Word,
  useKeccakBackend,
} from './keccak.js'
import { loadKeccakWasm } from './keccak-wasm.js'

const hex = (b: Uint8Array) => bytesToUnprefixedHex(b)
const utf8 = (s: string) => new TextEncoder().encode(s)

const EMPTY_DIGEST = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
const ABC_DIGEST = '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'
// Known Keccak-256 (Ethereum padding 0x01, not FIPS-202 SHA3-256) digests.
const VECTORS: Array<[string, Uint8Array, string]> = [
  ['empty string', new Uint8Array(0), EMPTY_DIGEST],
  ['"abc"', utf8('abc'), ABC_DIGEST],
  [
    'quick brown fox',
    utf8('The quick brown fox jumps over the lazy dog'),
    '4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15',
  ],
  [
    '200 x 0xa3 (two blocks)',
    new Uint8Array(200).fill(0xa3),
    '3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a',
  ],
  [
    '135 zero bytes (pad in one byte)',
    new Uint8Array(135),
    '29e3704feeca7fb9ba229f0fa04d9b36449cf3ad6e1d85d9cfff3a10df9abc3e',
  ],
  [
    '136 zero bytes (exactly one block)',
    new Uint8Array(136),
    '3a5912a7c5faa06ee4fe906253e339467a9ce87d533c65be3c15cb231cdb25f9',
  ],
  [
    '1,000,000 x "a" (7,353 blocks)',
    utf8('a'.repeat(1_000_000)),
    'fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96',
  ],
]

const wasm = loadKeccakWasm()
const backends: Array<[string, (d: Uint8Array) => Uint8Array]> = [['pure TS', keccak256Ts]]
if (wasm !== undefined) backends.push(['wasm', wasm.hash])

describe('keccak256 backends', () => {
  it('WebAssembly is available in the test environment', () => {
    expect(wasm).toBeDefined()
  })

  for (const [name, hash] of backends) {
    describe(name, () => {
      for (const [label, input, digest] of VECTORS)
        it(`known vector: ${label}`, () => {
          expect(hex(hash(input))).toBe(digest)
        })

      it('agrees with @noble/hashes on random inputs of every length 0-600', () => {
        for (let n = 0; n <= 600; n++) {
          const data = seededRandom(n * 7919 + 1).bytes(n)
          expect(hex(hash(data)), `length ${n}`).toBe(hex(keccak_256(data)))
        }
      })

      it('handles views with an offset, Buffers, and inputs longer than 16 KiB', () => {
        const big = seededRandom(99).bytes(40_000)
        expect(hex(hash(big))).toBe(hex(keccak_256(big)))
        const view = big.subarray(13, 13 + 16 * 1024 + 5)
        expect(hex(hash(view))).toBe(hex(keccak_256(view)))
        expect(hex(hash(Buffer.from(view)))).toBe(hex(keccak_256(view)))
      })

      it('returns a fresh 32-byte array each time and leaves the input alone', () => {
        const data = seededRandom(5).bytes(100)
        const copy = data.slice()
        const a = hash(data)
        const b = hash(data)
        expect(a).toHaveLength(32)
        expect(a).not.toBe(b)
        expect(a).toEqual(b)
        a.fill(0)
        expect(hash(data)).toEqual(b)
        expect(data).toEqual(copy)
      })
    })
  }
})

describe('keccak256 (exported)', () => {
  afterAll(() => {
    useKeccakBackend(undefined)
  })

  it('uses WebAssembly by default and can be forced to pure TS', () => {
    expect(keccak256Backend()).toBe('wasm')
    expect(hex(keccak256(utf8('abc')))).toBe(ABC_DIGEST)
    expect(useKeccakBackend('ts')).toBe('ts')
    expect(keccak256Backend()).toBe('ts')
    expect(hex(keccak256(utf8('abc')))).toBe(ABC_DIGEST)
    expect(useKeccakBackend(undefined)).toBe('wasm')
  })

  it('falls back to pure TS when WebAssembly is missing', () => {
    const saved = globalThis.WebAssembly
    try {
      // @ts-expect-error simulating an environment without WebAssembly
      globalThis.WebAssembly = undefined
      expect(loadKeccakWasm()).toBeUndefined()
      expect(useKeccakBackend(undefined)).toBe('ts')
      expect(hex(keccak256(new Uint8Array(0)))).toBe(EMPTY_DIGEST)
    } finally {
      globalThis.WebAssembly = saved
    }
  })

  it('keccak256Word equals the digest as a word, for whole inputs and ranges, on both backends', () => {
    for (const which of ['wasm', 'ts'] as const) {
      expect(useKeccakBackend(which)).toBe(which)
      for (const n of [0, 1, 31, 32, 64, 65, 135, 136, 137, 300, 17_000]) {
        const data = seededRandom(n + 3).bytes(n + 10)
        for (const [start, end] of [
          [0, n + 10],
          [5, 5 + n],
          [10, 10 + n],
        ]) {
          const want = BigInt(`0x${hex(keccak_256(data.subarray(start, end)))}`)
          expect(keccak256Word(data, start, end), `${which} ${n} [${start}, ${end})`).toBe(want)
        }
      }
      expect(keccak256Word(utf8('abc'))).toBe(BigInt(`0x${ABC_DIGEST}`))
    }
    useKeccakBackend(undefined)
  })

  it('constants', () => {
    expect(hex(KECCAK256_EMPTY)).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    expect(hex(KECCAK256_RLP_EMPTY)).toBe('56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421')
    expect(hex(KECCAK256_RLP_EMPTY_LIST)).toBe(
      '1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
    )
  })
})
