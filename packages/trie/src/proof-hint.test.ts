import { utf8ToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { ProofError } from './errors.js'
import { createProof, verifyProof } from './proof.js'
import { Trie } from './trie.js'

// A proof checked with the wrong keying fails on a missing node; the error says which keying
// would have verified it instead of leaving the user to guess.
describe('verifyProof with the wrong keying', () => {
  const u = utf8ToBytes
  // Keys with varied first nibbles, so the root is a branch either way.
  const key = (i: number) => Uint8Array.of((i * 37) % 256, i)
  const fill = (trie: Trie) => {
    for (let i = 0; i < 50; i++) trie.put(key(i), u(`value-${i}`))
    return trie
  }

  it('a secure-trie proof without { secure: true } suggests it', () => {
    const trie = fill(new Trie({ secure: true }))
    const proof = createProof(trie, key(7))
    expect(verifyProof(trie.root(), key(7), proof, { secure: true })).toEqual(u('value-7'))
    let error: unknown
    try {
      verifyProof(trie.root(), key(7), proof)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ProofError)
    expect((error as ProofError).message).toMatch(
      /node missing from proof; the proof verifies with \{ secure: true \}/,
    )
  })

  it('a plain-trie proof with { secure: true } says the opposite', () => {
    const trie = fill(new Trie())
    const proof = createProof(trie, key(7))
    expect(() => verifyProof(trie.root(), key(7), proof, { secure: true })).toThrow(
      /the proof verifies without \{ secure: true \}/,
    )
  })

  it('a proof that is simply incomplete keeps the plain message', () => {
    const trie = fill(new Trie())
    const proof = createProof(trie, key(7)).slice(0, 1)
    expect(() => verifyProof(trie.root(), key(7), proof)).toThrow(/node missing from proof/)
    expect(() => verifyProof(trie.root(), key(7), proof)).not.toThrow(/secure/)
  })
})
