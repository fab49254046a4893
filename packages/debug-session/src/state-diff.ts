import { WorldState } from '@crucible/state'
import type { Engine } from './engine.js'
import { address, bytes, word } from './json.js'

/** One changed account: only the fields that differ between before and after the transaction. */
export interface AccountDiff {
  address: string
  /** Absent before, present after. */
  created: boolean
  /** Present before, absent after. */
  deleted: boolean
  balance?: { pre: string; post: string }
  nonce?: { pre: string; post: string }
  code?: { pre: string; post: string }
  storage: { key: string; pre: string; post: string }[]
}

/**
 * The final state diff: every account the transaction wrote, compared before and after.
 * `post` must hold the state after the transaction (the engine's state right after its first
 * pass); storage keys come from the index's SSTOREs.
 */
export function stateDiff(engine: Engine, post: WorldState): AccountDiff[] {
  const pre = new WorldState()
  engine.preState(pre)
  const keys = new Map<bigint, Set<bigint>>()
  const s = engine.index.sstore
  for (let i = 0; i < s.step.length; i++) {
    let set = keys.get(s.address[i]!)
    if (set === undefined) keys.set(s.address[i]!, (set = new Set()))
    set.add(s.key[i]!)
  }
  const out: AccountDiff[] = []
  const addresses = [...engine.log.addresses()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const a of addresses) {
    const d: AccountDiff = {
      address: address(a),
      created: !pre.exists(a) && post.exists(a),
      deleted: pre.exists(a) && !post.exists(a),
      storage: [],
    }
    const b0 = pre.getBalance(a)
    const b1 = post.getBalance(a)
    if (b0 !== b1) d.balance = { pre: word(b0), post: word(b1) }
    const n0 = pre.getNonce(a)
    const n1 = post.getNonce(a)
    if (n0 !== n1) d.nonce = { pre: word(n0), post: word(n1) }
    const c0 = bytes(pre.getCode(a))
    const c1 = bytes(post.getCode(a))
    if (c0 !== c1) d.code = { pre: c0, post: c1 }
    for (const k of [...(keys.get(a) ?? [])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
      const v0 = pre.getStorage(a, k)
      const v1 = post.getStorage(a, k)
      if (v0 !== v1) d.storage.push({ key: word(k), pre: word(v0), post: word(v1) })
    }
    if (d.created || d.deleted || d.balance || d.nonce || d.code || d.storage.length > 0) out.push(d)
  }
  return out
}
