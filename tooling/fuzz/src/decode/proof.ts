import { bytesToHex, keccak256 } from '@crucible/primitives'
import { createProof, Trie, verifyProof } from '@crucible/trie'
import { MerklePatriciaTrie, verifyMPTWithMerkleProof } from '@ethereumjs/mpt'
import { decode, encode } from '@ethereumjs/rlp'
import type { Random } from '../random.js'
import { mutateBytes } from './inputs.js'
import { type DecoderTarget, type Problem, typed } from './runner.js'

/**
 * A proof case, as the runner's byte input: rlp([root, key, [node...], truth]) where truth is
 * [] when the key is absent from the trie the proof was made from, else [value].
 */
export function proofCase(r: Random): Uint8Array {
  const trie = new Trie()
  const keys: Uint8Array[] = []
  const n = r.range(1, r.chance(0.2) ? 300 : 30)
  // Keys share prefixes (extension and branch nodes), values straddle the 32-byte inline limit.
  const prefix = r.bytes(r.int(4))
  for (let i = 0; i < n; i++) {
    const key = Uint8Array.of(
      ...(r.chance(0.5) ? prefix : []),
      ...r.bytes(r.range(1, r.chance(0.8) ? 4 : 33)),
    )
    const value = r.bytes(r.range(1, r.pick([4, 31, 40, 120])))
    trie.put(key, value)
    keys.push(key)
  }
  const key = r.chance(0.7)
    ? r.pick(keys)
    : Uint8Array.of(...(r.chance(0.5) ? prefix : []), ...r.bytes(r.range(0, 5)))
  let proof = createProof(trie, key)
  const truth = trie.get(key)
  if (r.chance(0.6)) proof = mutateProof(r, proof)
  return encode([trie.root(), key, proof, truth === undefined ? [] : [truth]])
}

function mutateProof(r: Random, proof: Uint8Array[]): Uint8Array[] {
  const out = proof.slice()
  switch (r.int(6)) {
    case 0:
      if (out.length > 0) out.splice(r.int(out.length), 1)
      break
    case 1:
      if (out.length > 0) {
        const i = r.int(out.length)
        out[i] = mutateBytes(r, out[i]!)
      }
      break
    case 2:
      out.push(r.chance(0.5) ? r.bytes(r.int(80)) : encode([r.bytes(r.int(40)), r.bytes(r.int(40))]))
      break
    case 3:
      out.reverse()
      break
    case 4:
      if (out.length > 0) out.push(out[r.int(out.length)]!)
      break
    default:
      if (out.length > 0) out[r.int(out.length)] = new Uint8Array(0)
  }
  return out
}

/**
 * `proof`: `verifyProof` returns the value, undefined (absent) or a typed ProofError; what it
 * returns is the truth of the trie the proof was made from (a mutated proof may fail, never
 * lie); and `@ethereumjs/mpt` 10.1.3 `verifyMPTWithMerkleProof` gives the same answer.
 */
export function proofTarget(): DecoderTarget {
  const counts = { value: 0, absent: 0, refused: 0 }
  return {
    name: 'proof',
    prepare() {},
    input: proofCase,
    check,
    stats: () => counts,
  }

  async function check(input: Uint8Array): Promise<Problem | undefined> {
    let root: Uint8Array
    let key: Uint8Array
    let proof: Uint8Array[]
    let truth: Uint8Array | undefined
    try {
      const [r, k, p, t] = decode(input) as [Uint8Array, Uint8Array, Uint8Array[], Uint8Array[]]
      if (!(r instanceof Uint8Array && k instanceof Uint8Array && Array.isArray(p) && Array.isArray(t)))
        return undefined
      if (!p.every((x) => x instanceof Uint8Array)) return undefined
      ;[root, key, proof, truth] = [r, k, p, t[0]]
    } catch {
      return undefined // not a proof case (a shrinking step cut it)
    }
    const ours = typed('verifyProof', () => verifyProof(root, key, proof))
    if ('problem' in ours) return ours.problem
    let theirs: { value: Uint8Array | null } | { error: string }
    try {
      theirs = { value: await verifyMPTWithMerkleProof(new MerklePatriciaTrie(), root, key, proof) }
    } catch (error) {
      const firstIsRoot = proof.length > 0 && bytesToHex(keccak256(proof[0]!)) === bytesToHex(root)
      // ethereumjs insists on the root node first (EIP-1186 order); say so when that is why.
      theirs = {
        error: `${firstIsRoot ? '' : 'first node is not the root: '}${String((error as Error).message).slice(0, 100)}`,
      }
    }
    const show = (v: Uint8Array | undefined | null) => (v ? bytesToHex(v) : 'absent')
    if ('error' in ours) {
      counts.refused++
      if ('value' in theirs)
        return {
          kind: 'differential',
          message: `Crucible refuses (${ours.error.shortMessage}), @ethereumjs/mpt proves ${theirs.value ? 'a value' : 'absence'}`,
        }
      return undefined
    }
    if (ours.value === undefined) counts.absent++
    else counts.value++
    if (show(ours.value) !== show(truth))
      return {
        kind: 'unsound',
        message: `verifyProof proves ${show(ours.value)}, the trie holds ${show(truth)}`,
      }
    if ('error' in theirs)
      return {
        kind: 'differential',
        message: `Crucible proves ${ours.value ? 'a value' : 'absence'}, @ethereumjs/mpt refuses (${theirs.error})`,
      }
    if (show(theirs.value) !== show(ours.value))
      return { kind: 'differential', message: 'the proven values differ' }
    return undefined
  }
}
