import { bytesToHex, decodeRlp, encodeRlp, equalBytes, hexToBytes, keccak256 } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { sampleTransactions } from '../test/samples.js'
import {
  blockTransactionItem,
  decodeBlockTransaction,
  decodeNetworkTransaction,
  decodeTransaction,
  encodeNetworkTransaction,
  encodeTransaction,
  normalizeTransaction,
  privateKeyToAddress,
  recoverSender,
  SECP256K1_N,
  signingHash,
  signingPayload,
  signTransaction,
  type Transaction,
  TransactionError,
  TxDecodeError,
  TxSignatureError,
  transactionHash,
  type UnsignedTransaction,
} from './index.js'

const KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')
const SENDER = privateKeyToAddress(KEY)
const TO = 0x3535353535353535353535353535353535353535n

describe('EIP-155 example from the EIP', () => {
  const unsigned: UnsignedTransaction = {
    type: 0,
    nonce: 9n,
    gasPrice: 20_000_000_000n,
    gasLimit: 21000n,
    to: TO,
    value: 10n ** 18n,
    data: new Uint8Array(0),
    chainId: 1n,
  }
  it('signs, encodes and recovers exactly as the EIP shows', () => {
    expect(bytesToHex(signingPayload(unsigned))).toBe(
      '0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080',
    )
    expect(bytesToHex(signingHash(unsigned))).toBe(
      '0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53',
    )
    const tx = signTransaction(unsigned, KEY)
    expect(tx.type === 0 && tx.v).toBe(37n)
    expect(tx.r).toBe(18515461264373351373200002665853028612451056578545711640558177340181847433846n)
    expect(tx.s).toBe(46948507304638947509940763649030358759909902576025900602547168820602576006531n)
    const raw =
      '0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83'
    expect(bytesToHex(encodeTransaction(tx))).toBe(raw)
    const decoded = decodeTransaction(hexToBytes(raw))
    expect(decoded).toEqual(tx)
    expect(recoverSender(decoded)).toBe(0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4fn)
    expect(transactionHash(decoded)).toEqual(keccak256(hexToBytes(raw)))
  })
})

describe('every type', () => {
  for (const unsigned of sampleTransactions()) {
    const label = `type ${unsigned.type}${unsigned.to === undefined ? ' create' : ''}${'chainId' in unsigned && unsigned.type === 0 && unsigned.chainId !== undefined ? ' EIP-155' : ''}`
    it(`${label}: sign → encode → decode is the identity, and the sender recovers`, () => {
      const tx = signTransaction(unsigned, KEY)
      const raw = encodeTransaction(tx)
      if (tx.type === 0) expect(raw[0]).toBeGreaterThanOrEqual(0xc0)
      else expect(raw[0]).toBe(tx.type)
      const decoded = decodeTransaction(raw)
      expect(decoded).toEqual(tx)
      expect(encodeTransaction(decoded)).toEqual(raw)
      expect(recoverSender(decoded)).toBe(SENDER)
      expect(transactionHash(decoded)).toEqual(keccak256(raw))
      // A block body holds legacy transactions as lists and typed ones as byte strings.
      const item = blockTransactionItem(decoded)
      expect(Array.isArray(item)).toBe(tx.type === 0)
      const fromBlock = decodeBlockTransaction(
        Array.isArray(item) ? (item as Uint8Array[]) : (item as Uint8Array),
      )
      expect(fromBlock).toEqual(tx)
    })
  }

  it('normalizes to the EVM shape', () => {
    const txs = sampleTransactions().map((u) => signTransaction(u, KEY))
    const setCode = txs.find((t) => t.type === 4)!
    const view = normalizeTransaction(setCode)
    expect(view.sender).toBe(SENDER)
    expect(view.authorizationList).toEqual([{ chainId: 1n, address: TO, nonce: 3n, authority: SENDER }])
    expect(view.maxFeePerGas).toBe(30_000_000_000n)
    expect(view.gasPrice).toBeUndefined()
    const legacy = normalizeTransaction(txs[0]!)
    expect(legacy.gasPrice).toBe(20_000_000_000n)
    expect(legacy.chainId).toBeUndefined()
    expect(legacy.accessList).toBeUndefined()
    const blob = normalizeTransaction(txs.find((t) => t.type === 3)!, { sender: 5n })
    expect(blob.sender).toBe(5n)
    expect(blob.blobVersionedHashes).toHaveLength(2)
  })
})

describe('blob network forms', () => {
  const blobTx = () => {
    const tx = signTransaction(sampleTransactions().find((t) => t.type === 3)!, KEY) as Extract<
      Transaction,
      { type: 3 }
    >
    return tx
  }
  for (const wrapperVersion of [0, 1] as const) {
    it(`wrapper version ${wrapperVersion} round-trips and hashes like the canonical form`, () => {
      const tx = blobTx()
      const proofs = wrapperVersion === 0 ? 2 : 256
      tx.sidecar = {
        wrapperVersion,
        blobs: [new Uint8Array(131072).fill(1), new Uint8Array(131072)],
        commitments: [new Uint8Array(48).fill(2), new Uint8Array(48).fill(3)],
        proofs: Array.from({ length: proofs }, (_, i) => new Uint8Array(48).fill(i & 0xff)),
      }
      const network = encodeNetworkTransaction(tx)
      const decoded = decodeNetworkTransaction(network)
      // Deep equality over megabytes of blobs is slow in the matcher: compare encodings.
      expect(decoded.type === 3 && decoded.sidecar?.proofs.length).toBe(proofs)
      expect(equalBytes(encodeNetworkTransaction(decoded), network)).toBe(true)
      const { sidecar: _, ...canonical } = tx
      const { sidecar: __, ...decodedCanonical } = decoded as typeof tx
      expect(decodedCanonical).toEqual(canonical)
      expect(transactionHash(decoded)).toEqual(keccak256(encodeTransaction(canonical as Transaction)))
      // The canonical decoder does not take a sidecar.
      expect(() => decodeTransaction(network)).toThrow(TxDecodeError)
    })
  }

  it('rejects unknown wrapper versions and wrong element sizes', () => {
    const tx = blobTx()
    tx.sidecar = { wrapperVersion: 1, blobs: [], commitments: [], proofs: [] }
    const network = encodeNetworkTransaction(tx)
    const bad = network.slice()
    // The wrapper version byte follows the body; find it by re-encoding with version 2.
    const index = bad.length - 3 - 1
    expect(bad[index]).toBe(1)
    bad[index] = 2
    expect(() => decodeNetworkTransaction(bad)).toThrow(/wrapper version 2/)
    tx.sidecar = { wrapperVersion: 0, blobs: [new Uint8Array(10)], commitments: [], proofs: [] }
    expect(() => decodeNetworkTransaction(encodeNetworkTransaction(tx))).toThrow(
      /blobs\[0\] must be 131072 bytes/,
    )
  })
})

describe('malformed input', () => {
  const legacy = () => signTransaction(sampleTransactions()[1]!, KEY)
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '0x', /empty input/],
    ['unknown type', '0x05c0', /unknown transaction type 0x05/],
    ['type byte 0x7f', '0x7fc0', /unknown transaction type 0x7f/],
    ['string instead of list', '0x8180', /must be an RLP list/],
    ['wrong field count', '0xc3808080', /must have 9 items, got 3 \(too few\)/],
    ['typed wrong field count', '0x02c3808080', /type-2 transaction must have 12 items/],
    ['trailing bytes', `${bytesToHex(encodeTransaction(legacy()))}00`, /type-|transaction/],
    ['non-canonical length', '0xf800', /transaction/],
  ]
  for (const [name, hex, pattern] of cases) {
    it(`${name} is a typed error`, () => {
      let caught: unknown
      try {
        decodeTransaction(hexToBytes(hex))
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(TransactionError)
      expect((caught as Error).message).toMatch(pattern)
    })
  }

  it('rejects block-body items that are not transactions', () => {
    expect(() => decodeBlockTransaction(new Uint8Array(0))).toThrow(TxDecodeError)
    expect(() => decodeBlockTransaction(Uint8Array.of(0xc0))).toThrow(
      /must start with a transaction type \(0x01–0x04\), got 0xc0/,
    )
    expect(() => decodeBlockTransaction(Uint8Array.of(0x00, 0xc0))).toThrow(/got 0x00/)
    expect(() => decodeBlockTransaction([Uint8Array.of(1)])).toThrow(/must have 9 items/)
  })

  it('names leading zeros and oversized integers by field', () => {
    const tx = legacy()
    expect(() => decodeTransaction(encodeRaw(tx, 0, Uint8Array.of(0, 9)))).toThrow(/nonce has leading zero/)
    expect(() => decodeTransaction(encodeRaw(tx, 0, new Uint8Array(9).fill(1)))).toThrow(
      /nonce does not fit in 64/,
    )
    expect(() => decodeTransaction(encodeRaw(tx, 2, new Uint8Array(9).fill(1)))).toThrow(
      /gasLimit does not fit/,
    )
    expect(() => decodeTransaction(encodeRaw(tx, 3, new Uint8Array(19)))).toThrow(
      /to must be 20 bytes, got 19/,
    )
    expect(() => decodeTransaction(encodeRaw(tx, 7, new Uint8Array(33).fill(1)))).toThrow(
      /r does not fit in 256/,
    )
  })

  it('rejects out-of-range signatures with TxSignatureError', () => {
    const tx = legacy()
    const variants: Array<[Partial<Transaction>, RegExp]> = [
      [{ r: 0n }, /r is not in 1..n-1/],
      [{ r: SECP256K1_N }, /r is not in 1..n-1/],
      [{ s: 0n }, /s is not in 1..n-1/],
      [{ s: SECP256K1_N - 1n }, /s is above n\/2/],
      [{ v: 29n } as Partial<Transaction>, /v must be 27, 28/],
    ]
    for (const [change, pattern] of variants) {
      const bad = decodeTransaction(encodeTransaction({ ...tx, ...change } as Transaction))
      expect(() => recoverSender(bad)).toThrow(TxSignatureError)
      expect(() => recoverSender(bad)).toThrow(pattern)
    }
    // Frontier accepted high s.
    const high = { ...tx, s: SECP256K1_N - tx.s, v: tx.type === 0 ? tx.v ^ 1n : 0n } as Transaction
    expect(recoverSender(high, { lowS: false })).toBe(SENDER)
    expect(() => recoverSender(tx, { eip155: false })).toThrow(/needs EIP-155/)
    const typed = signTransaction(sampleTransactions()[5]!, KEY)
    expect(() => recoverSender({ ...typed, yParity: 2n } as Transaction)).toThrow(/y_parity must be 0 or 1/)
  })
})

function encodeRaw(tx: Transaction, index: number, replacement: Uint8Array): Uint8Array {
  const fields = decodeRlp(encodeTransaction(tx)) as Uint8Array[]
  fields[index] = replacement
  return encodeRlp(fields)
}
