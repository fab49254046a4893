import { basename } from 'node:path'
import { bytesToHex, hexToBytes, utf8ToBytes } from '@crucible/primitives'
import { Trie } from '@crucible/trie'
import type { Suite } from '../suite.js'

/**
 * TrieTests. `in` is a list of [key, value] pairs applied in order, or a map (any order);
 * a null value deletes. `root` is the expected root. Files named `*secureTrie*` hash keys
 * first. A case with `tests` (trietestnextprev.json) lists [key, previous key, next key] ('' for none) after
 * inserting the `in` keys. Strings starting with 0x are hex, others UTF-8.
 */
type TrieCase = {
  in: Array<[string, string | null]> | Record<string, string | null> | string[]
  root?: string
  tests?: Array<[string, string, string]>
}

function bytes(text: string): Uint8Array {
  return text.startsWith('0x') ? hexToBytes(text) : utf8ToBytes(text)
}

const suite: Suite = {
  name: 'trie',
  defaultPaths: ['ethereum-tests/TrieTests'],
  format: 'trie',
  runFile(ctx) {
    const tests = ctx.tests as Record<string, TrieCase>
    const name = basename(ctx.path)
    const secure = /secure/i.test(name)
    for (const [test, data] of Object.entries(tests)) {
      if (!ctx.begin(test, '', 0)) continue
      ctx.report({ test, fork: '', index: 0, ...run(data, secure, Array.isArray(data.tests)) })
    }
  },
}
export default suite

function run(data: TrieCase, secure: boolean, nextPrev: boolean): { ok: boolean; reason?: string } {
  const trie = new Trie({ secure })
  if (nextPrev) {
    for (const key of data.in as string[]) trie.put(bytes(key), bytes(key))
    for (const [key, prev, next] of data.tests ?? []) {
      const k = bytes(key)
      const gotPrev = trie.prevKey(k)
      const gotNext = trie.nextKey(k)
      const wantPrev = prev === '' ? undefined : bytesToHex(bytes(prev))
      const wantNext = next === '' ? undefined : bytesToHex(bytes(next))
      const havePrev = gotPrev && bytesToHex(gotPrev)
      const haveNext = gotNext && bytesToHex(gotNext)
      if (havePrev !== wantPrev || haveNext !== wantNext)
        return { ok: false, reason: `around ${key}: prev ${havePrev}, next ${haveNext}` }
    }
    return { ok: true }
  }
  const pairs = Array.isArray(data.in) ? (data.in as Array<[string, string | null]>) : Object.entries(data.in)
  for (const [key, value] of pairs) {
    if (value === null) trie.del(bytes(key))
    else trie.put(bytes(key), bytes(value))
  }
  const got = bytesToHex(trie.root())
  return got === data.root?.toLowerCase()
    ? { ok: true }
    : { ok: false, reason: `root ${got}, expected ${data.root}` }
}
