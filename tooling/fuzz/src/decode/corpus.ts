import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decode, encode } from '@ethereumjs/rlp'
import { PACKAGE_DIR } from '../allowlist.js'
import { Random } from '../random.js'
import { fromHex, nest, rlpString, wideList } from './inputs.js'
import { proofCase } from './proof.js'

/**
 * A corpus entry of a decoder target: the input as hex (`input`), or for inputs too big to
 * commit, the hostile shape that builds it (`shape`). Reproducers the fuzzer writes carry
 * `input` and can be copied here as they are.
 */
export interface DecoderCorpusEntry {
  note?: string
  input?: string
  shape?: { nest?: number; string?: number; wide?: number; blockBodyWide?: number; proofReversed?: number }
}

export function corpusInput(entry: DecoderCorpusEntry): Uint8Array {
  if (entry.input !== undefined) {
    const bytes = fromHex(entry.input)
    if (bytes === undefined) throw new Error(`corpus: bad hex ${entry.input.slice(0, 20)}`)
    return bytes
  }
  const s = entry.shape ?? {}
  if (s.nest !== undefined) return nest(s.nest, rlpString(s.string ?? 0))
  if (s.wide !== undefined) return wideList(s.wide)
  // [[], [wide list], []]: a block whose transaction list holds one very wide list.
  if (s.blockBodyWide !== undefined) {
    const wide = wideList(s.blockBodyWide)
    const payload = new Uint8Array(wide.length + 2)
    payload[0] = 0xc0
    payload.set(wide, 1)
    payload[wide.length + 1] = 0xc0
    return nest(1, payload)
  }
  if (s.proofReversed !== undefined) {
    // A valid proof (seeded case whose proof has several nodes), nodes in reverse order.
    for (let seed = s.proofReversed; ; seed++) {
      const [root, key, proof, truth] = decode(proofCase(new Random(seed))) as [
        Uint8Array,
        Uint8Array,
        Uint8Array[],
        Uint8Array[],
      ]
      if (proof.length >= 3) return encode([root, key, proof.slice().reverse(), truth])
    }
  }
  throw new Error('corpus: entry has neither input nor a known shape')
}

/** The corpus files of a target: [file name, entry]. */
export function loadCorpus(target: string): Array<[string, DecoderCorpusEntry]> {
  const dir = join(PACKAGE_DIR, 'corpus', target)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as DecoderCorpusEntry])
}
