import { getForkRules } from '@crucible/forks'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { blake2f } from './blake2f.js'
import { bn254Add, bn254Mul, bn254Pairing } from './bn254.js'
import { ecrecover } from './ecrecover.js'
import { identity, ripemd160, sha256 } from './hashes.js'
import { modexp, modexpGas, modPow, readModexpHeader } from './modexp.js'
import { getPrecompile } from './registry.js'

const byzantium = getForkRules('Byzantium')
const istanbul = getForkRules('Istanbul')
const berlin = getForkRules('Berlin')
const osaka = getForkRules('Osaka')
const word = (n: number | bigint) => BigInt(n).toString(16).padStart(64, '0')

describe('availability', () => {
  it('follows the fork', () => {
    expect(getPrecompile(1, getForkRules('Frontier'))).toBe(ecrecover)
    expect(getPrecompile(5, getForkRules('Homestead'))).toBeUndefined()
    expect(getPrecompile(5, byzantium)).toBeDefined()
    expect(getPrecompile(9, byzantium)).toBeUndefined()
    expect(getPrecompile(9, istanbul)).toBe(blake2f)
    expect(getPrecompile(0x12, osaka)).toBeUndefined()
    expect(getPrecompile(0, osaka)).toBeUndefined()
  })
})

describe('hashes', () => {
  it('sha256, ripemd160, identity', () => {
    const abc = new TextEncoder().encode('abc')
    expect(sha256(abc, 72)).toEqual({
      ok: true,
      gasUsed: 72,
      output: hexToBytes('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
    })
    const r = ripemd160(abc, 720)
    expect(r.ok && bytesToHex(r.output)).toBe(`0x${'00'.repeat(12)}8eb208f7e05d987a9b044a8e98c6b087f15a0bfc`)
    expect(identity(abc, 18)).toEqual({ ok: true, gasUsed: 18, output: abc })
    expect(identity(new Uint8Array(33), 21).gasUsed).toBe(21)
    expect(sha256(abc, 71)).toEqual({ ok: false, gasUsed: 71, error: 'OutOfGas' })
  })
})

describe('ecrecover', () => {
  // A signature from the Ethereum test suite (the recovered address is well known).
  const hash = '456e9aea5e197a1f1af7a3e85a3212fa4049a3ba34c2289b4c860fc0b0c64ef3'
  const v = word(28)
  const r = '9242685bf161793cc25603c231bc2f568eb630ea16aa137d2664ac8038825608'
  const s = '4f8ae3bd7535248d0bd448298cc2e2071e56992d0774dc340c368ae950852ada'
  it('recovers the signer', () => {
    const out = ecrecover(hexToBytes(hash + v + r + s), 3000)
    expect(out.ok && bytesToHex(out.output)).toBe(
      `0x${'00'.repeat(12)}7156526fbd7a3c72969b54f64e42c10fbb768c8a`,
    )
  })
  it('returns empty output for bad v, r or s', () => {
    for (const bad of [
      hash + word(29) + r + s,
      `${hash}${'01'}${v.slice(2)}${r}${s}`,
      hash + v + word(0) + s,
      hash + v + r + word(0),
      hash + v + r + 'f'.repeat(64),
    ])
      expect(ecrecover(hexToBytes(bad), 5000)).toEqual({ ok: true, gasUsed: 3000, output: new Uint8Array(0) })
    expect(ecrecover(new Uint8Array(0), 3000)).toEqual({ ok: true, gasUsed: 3000, output: new Uint8Array(0) })
    expect(ecrecover(new Uint8Array(0), 2999).ok).toBe(false)
  })
})

describe('blake2f (EIP-152 vectors)', () => {
  const h =
    '48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b'
  const m = `616263${'00'.repeat(125)}`
  const t = `0300000000000000${'00'.repeat(8)}`
  const run = (rounds: string, f: string, gas = 1e9) => blake2f(hexToBytes(rounds + h + m + t + f), gas)
  it('vector 4: 0 rounds', () => {
    const out = run('00000000', '01')
    expect(out.ok && bytesToHex(out.output)).toBe(
      '0x08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b',
    )
  })
  it('vector 5: 12 rounds (BLAKE2b-512 of "abc")', () => {
    const out = run('0000000c', '01')
    expect(out).toMatchObject({ ok: true, gasUsed: 12 })
    expect(out.ok && bytesToHex(out.output)).toBe(
      '0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    )
  })
  it('vector 6: final flag 0', () => {
    const out = run('0000000c', '00')
    expect(out.ok && bytesToHex(out.output)).toBe(
      '0x75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735',
    )
  })
  it('vector 7: 1 round', () => {
    const out = run('00000001', '01')
    expect(out.ok && bytesToHex(out.output)).toBe(
      '0xb63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421',
    )
  })
  it('vectors 0-3: bad length or flag fail', () => {
    expect(blake2f(new Uint8Array(0), 100)).toEqual({ ok: false, gasUsed: 100, error: 'InvalidInput' })
    expect(blake2f(hexToBytes(`00000c${h}${m}${t}01`), 100).ok).toBe(false)
    expect(blake2f(hexToBytes(`000000000c${h}${m}${t}01`), 100).ok).toBe(false)
    expect(run('0000000c', '02').ok).toBe(false)
  })
  it('charges rounds before running them', () => {
    expect(run('ffffffff', '01', 1000)).toEqual({ ok: false, gasUsed: 1000, error: 'OutOfGas' })
  })
})

describe('modexp', () => {
  const call = (b: string, e: string, m: string, rules = byzantium) =>
    modexp(hexToBytes(word(b.length / 2) + word(e.length / 2) + word(m.length / 2) + b + e + m), 1e9, rules)
  it('EIP-198 examples', () => {
    // 3^(p-1) mod p = 1 (Fermat), example 1 of EIP-198.
    const p = 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e'
    const out = call('03', p, 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f')
    expect(out.ok && bytesToHex(out.output)).toBe(`0x${word(1)}`)
    expect(out.gasUsed).toBe(13056)
    // Example 2: modulus zero gives zeros.
    const zero = modexp(hexToBytes(`${word(0)}${word(32)}${word(32)}${p}${'00'.repeat(32)}`), 1e9, byzantium)
    expect(zero.ok && bytesToHex(zero.output)).toBe(`0x${word(0)}`)
  })
  it('zero lengths', () => {
    expect(modexp(new Uint8Array(0), 1e9, byzantium)).toEqual({
      ok: true,
      gasUsed: 0,
      output: new Uint8Array(0),
    })
    expect(modexp(new Uint8Array(0), 1e9, berlin)).toEqual({
      ok: true,
      gasUsed: 200,
      output: new Uint8Array(0),
    })
    expect(modexp(new Uint8Array(0), 1e9, osaka)).toEqual({
      ok: true,
      gasUsed: 500,
      output: new Uint8Array(0),
    })
    const out = call('', '', '05')
    expect(out.ok && bytesToHex(out.output)).toBe('0x01') // 0^0 = 1
    expect(call('', '', '01').ok && bytesToHex((call('', '', '01') as { output: Uint8Array }).output)).toBe(
      '0x00',
    )
  })
  it('huge lengths fail out of gas, priced from the header before any work', () => {
    // No buffer of 2^255 bytes can exist: a typed OutOfGas (not a RangeError) shows the price,
    // computed from the 96-byte header alone, refused the call before anything was allocated.
    // How fast the refusal is: the precompiles bench (`pnpm bench --suite precompiles`).
    const huge = word(1n << 255n)
    for (const input of [huge + word(1) + word(1), word(1) + huge + word(1), word(1) + word(1) + huge])
      for (const rules of [byzantium, berlin, osaka]) {
        const bytes = hexToBytes(input)
        expect(modexpGas(readModexpHeader(bytes), rules)).toBeGreaterThan(30_000_000n)
        expect(modexp(bytes, 30_000_000, rules)).toEqual({
          ok: false,
          gasUsed: 30_000_000,
          error: 'OutOfGas',
        })
      }
    // Zero base and modulus with a huge exponent cost nothing before Berlin and return nothing.
    expect(modexp(hexToBytes(word(0) + huge + word(0)), 100, byzantium)).toEqual({
      ok: true,
      gasUsed: 0,
      output: new Uint8Array(0),
    })
  })
  it('EIP-2565 and EIP-7883 gas', () => {
    const header = (b: number, e: number, m: number, head: bigint) => ({
      baseLength: BigInt(b),
      exponentLength: BigInt(e),
      modulusLength: BigInt(m),
      exponentHead: head,
    })
    // EIP-2565 test vectors (geth's modexp_eip2565 set): nagydani-1-square etc.
    expect(modexpGas(header(64, 1, 64, 2n), berlin)).toBe(200n)
    expect(modexpGas(header(64, 1, 64, 0x10001n), berlin)).toBe(341n)
    expect(modexpGas(header(512, 3, 512, 0x10001n), berlin)).toBe(21845n)
    expect(modexpGas(header(64, 1, 64, 2n), byzantium)).toBe(204n)
    // EIP-7883: minimum 500, doubled complexity above 32 bytes, 16 per exponent byte past 32.
    expect(modexpGas(header(32, 32, 32, 3n), osaka)).toBe(500n)
    expect(modexpGas(header(64, 1, 64, 0x10001n), osaka)).toBe(2n * 64n * 16n)
    expect(modexpGas(header(32, 40, 32, 1n), osaka)).toBe(16n * 16n * 8n)
    expect(modexpGas(readModexpHeader(new Uint8Array(0)), osaka)).toBe(500n)
  })
  it('EIP-7823 bounds', () => {
    const big = `${'00'.repeat(1024)}`
    expect(call(`${big}02`, '01', '05', osaka)).toMatchObject({ ok: false, error: 'InvalidInput' })
    expect(call(`${big}02`, '01', '05', getForkRules('Prague')).ok).toBe(true)
    expect(call(big, '01', '05', osaka).ok).toBe(true)
  })
  it('modPow agrees with square-and-multiply', () => {
    const m = (1n << 521n) - 1n
    let expect1 = 1n
    const b = 0x123456789abcdefn
    let e = 0xfedcba987654321fedcba987654321n
    let base = b
    while (e > 0n) {
      if (e & 1n) expect1 = (expect1 * base) % m
      base = (base * base) % m
      e >>= 1n
    }
    expect(modPow(b, 0xfedcba987654321fedcba987654321n, m)).toBe(expect1)
    // Every window width, with runs of zeros inside and at the end of the exponent.
    const naive = (x: bigint, e: bigint, n: bigint) => {
      let r = 1n
      let y = x % n
      for (; e > 0n; e >>= 1n, y = (y * y) % n) if (e & 1n) r = (r * y) % n
      return r % n
    }
    for (const bits of [1, 2, 17, 30, 100, 300, 1000, 2000]) {
      const e = ((1n << BigInt(bits - 1)) | 0x1234567n) << 3n
      expect(modPow(0xabcdefn, e, m)).toBe(naive(0xabcdefn, e, m))
      expect(modPow(m - 2n, e + 1n, 1000003n)).toBe(naive(m - 2n, e + 1n, 1000003n))
    }
  })
})

describe('bn254', () => {
  // EIP-196/197 generator points; 2·G and the pairing identity e(G1, G2)·e(-G1, G2) = 1.
  const g1 = word(1) + word(2)
  const g2 =
    '198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2' +
    '1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed' +
    '090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b' +
    '12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa'
  const negG1 = word(1) + word(21888242871839275222246405745257275088696311157297823662689037894645226208581n)
  const twoG =
    '030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3' +
    '15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4'
  it('add and mul', () => {
    const add = bn254Add(hexToBytes(g1 + g1), 150, istanbul)
    expect(add.ok && bytesToHex(add.output)).toBe(`0x${twoG}`)
    expect(bn254Add(hexToBytes(g1 + g1), 499, byzantium).ok).toBe(false)
    const mul = bn254Mul(hexToBytes(g1 + word(2)), 6000, istanbul)
    expect(mul.ok && bytesToHex(mul.output)).toBe(`0x${twoG}`)
    const zero = bn254Mul(hexToBytes(g1), 6000, istanbul) // scalar padded to 0
    expect(zero.ok && bytesToHex(zero.output)).toBe(`0x${'00'.repeat(64)}`)
    expect(bn254Add(new Uint8Array(0), 150, istanbul)).toEqual({
      ok: true,
      gasUsed: 150,
      output: new Uint8Array(64),
    })
  })
  it('rejects points off the curve and coordinates ≥ p', () => {
    expect(bn254Add(hexToBytes(word(1) + word(3)), 150, istanbul)).toMatchObject({
      ok: false,
      error: 'InvalidInput',
    })
    const p = 21888242871839275222246405745257275088696311157297823662689037894645226208583n
    expect(bn254Mul(hexToBytes(word(p + 1n) + word(2) + word(1)), 6000, istanbul).ok).toBe(false)
  })
  it('pairing', () => {
    const ok = bn254Pairing(hexToBytes(g1 + g2 + negG1 + g2), 1e6, istanbul)
    expect(ok).toEqual({ ok: true, gasUsed: 45000 + 2 * 34000, output: hexToBytes(`0x${word(1)}`) })
    const no = bn254Pairing(hexToBytes(g1 + g2 + g1 + g2), 1e6, byzantium)
    expect(no).toEqual({ ok: true, gasUsed: 100000 + 2 * 80000, output: new Uint8Array(32) })
    expect(bn254Pairing(new Uint8Array(0), 1e6, istanbul)).toMatchObject({
      ok: true,
      gasUsed: 45000,
      output: hexToBytes(`0x${word(1)}`),
    })
    expect(bn254Pairing(new Uint8Array(191), 1e6, istanbul)).toMatchObject({ ok: false })
    // A G2 point not in the subgroup / not on the twist fails.
    expect(bn254Pairing(hexToBytes(g1 + word(1) + word(2) + word(3) + word(4)), 1e6, istanbul).ok).toBe(false)
  })
})

describe('G2 line cache', () => {
  it('is an LRU of bounded size and gives the same answers cold and warm', async () => {
    const { LruCache, clearPrecompileCaches } = await import('./cache.js')
    const lru = new LruCache<number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.get('a')).toBe(1) // a is now the most recent
    lru.set('c', 3)
    expect(lru.get('b')).toBeUndefined()
    expect(lru.get('a')).toBe(1)
    expect(lru.size).toBe(2)
    const g1 = word(1) + word(2)
    const g2 =
      '198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed' +
      '090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa'
    const input = hexToBytes(g1 + g2 + g1 + g2)
    clearPrecompileCaches()
    const cold = bn254Pairing(input, 1e6, istanbul)
    const warm = bn254Pairing(input, 1e6, istanbul)
    expect(warm).toEqual(cold)
    // A bad G2 point is never cached as good: the same bytes fail every time.
    const bad = hexToBytes(g1 + word(1) + word(2) + word(3) + word(4))
    expect(bn254Pairing(bad, 1e6, istanbul).ok).toBe(false)
    expect(bn254Pairing(bad, 1e6, istanbul).ok).toBe(false)
  })
})
