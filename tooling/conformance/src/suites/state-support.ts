import { appendFileSync } from 'node:fs'
import { Eip3155Tracer, type Inspector, Outcome, type TransactionResult } from '@crucible/evm'
import { bytesToHex, hexToBigInt, hexToBytes } from '@crucible/primitives'
import type { Alloc, WorldState } from '@crucible/state'

/**
 * The first difference between the state and a fixture's expected post `state`, in words:
 * which account is missing or extra, or which field (nonce, balance, code, a storage slot)
 * differs. Undefined when they agree (the root mismatch is then elsewhere).
 */
export function diffState(state: WorldState, expected: Alloc): string | undefined {
  const hex = (v: bigint) => `0x${v.toString(16)}`
  const addr = (a: bigint) => `0x${a.toString(16).padStart(40, '0')}`
  const wanted = new Map<bigint, Alloc[string]>()
  for (const [address, account] of Object.entries(expected)) wanted.set(hexToBigInt(address), account)
  const extra = [...state.addresses()].filter((a) => !wanted.has(a)).sort((a, b) => (a < b ? -1 : 1))
  const diffs: string[] = []
  for (const a of extra)
    diffs.push(
      `unexpected account ${addr(a)} (balance ${hex(state.getBalance(a))}, nonce ${state.getNonce(a)})`,
    )
  for (const [a, want] of [...wanted].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (!state.exists(a)) {
      diffs.push(`missing account ${addr(a)}`)
      continue
    }
    const nonce = hexToBigInt(want.nonce ?? '0x0')
    const balance = hexToBigInt(want.balance ?? '0x0')
    if (state.getNonce(a) !== nonce) diffs.push(`${addr(a)} nonce ${state.getNonce(a)}, expected ${nonce}`)
    if (state.getBalance(a) !== balance)
      diffs.push(
        `${addr(a)} balance ${hex(state.getBalance(a))}, expected ${hex(balance)} (diff ${state.getBalance(a) - balance})`,
      )
    const code = bytesToHex(hexToBytes(want.code ?? '0x'))
    const got = bytesToHex(state.getCode(a))
    if (got !== code) diffs.push(`${addr(a)} code ${clip(got)}, expected ${clip(code)}`)
    const slots = new Map<bigint, bigint>()
    for (const [k, v] of Object.entries(want.storage ?? {})) {
      const value = hexToBigInt(v)
      if (value !== 0n) slots.set(hexToBigInt(k), value)
    }
    for (const [k, v] of state.storageEntries(a)) {
      const w = slots.get(k) ?? 0n
      if (w !== v) diffs.push(`${addr(a)} storage[${hex(k)}] ${hex(v)}, expected ${hex(w)}`)
      slots.delete(k)
    }
    for (const [k, w] of slots) diffs.push(`${addr(a)} storage[${hex(k)}] 0x0, expected ${hex(w)}`)
  }
  if (diffs.length === 0) return undefined
  return diffs.length > 3 ? `${diffs.slice(0, 3).join('; ')}; and ${diffs.length - 3} more` : diffs.join('; ')
}

function clip(hex: string): string {
  return hex.length > 42 ? `${hex.slice(0, 42)}…(${(hex.length - 2) / 2} bytes)` : hex
}

/** One case's EIP-3155 trace in the making. */
export interface CaseTrace {
  inspector: Inspector
  /**
   * Writes the case's opcode lines and the closing summary line (`stateRoot`, `output`,
   * `gasUsed`, `pass`, and `error` for a halted or refused transaction).
   */
  end(
    stateRoot: string,
    pass: boolean,
    result: Pick<TransactionResult, 'output' | 'gasUsed' | 'outcome' | 'halt'> | undefined,
    rejection: string | undefined,
  ): void
}

export interface TraceSink {
  begin(name: string, fork: string, indexes: { data: number; gas: number; value: number }): CaseTrace
}

/**
 * EIP-3155 traces of the selected cases, appended to `path`: per case a line naming it, the
 * EVM's {@link Eip3155Tracer} lines, then the summary with the state root. A case's lines are
 * written together, so cases from different workers never interleave.
 */
export function openTrace(path: string): TraceSink {
  return {
    begin(name, fork, indexes) {
      const lines: string[] = [JSON.stringify({ case: name, fork, ...indexes })]
      const tracer = new Eip3155Tracer((line) => lines.push(line))
      return {
        inspector: tracer,
        end(stateRoot, pass, result, rejection) {
          const error =
            result === undefined ? rejection : result.outcome === Outcome.Revert ? 'Revert' : result.halt
          tracer.writeSummary({
            stateRoot,
            output: result?.output ?? new Uint8Array(0),
            gasUsed: result?.gasUsed ?? 0n,
            pass,
            fork,
            ...(error !== undefined ? { error } : {}),
          })
          appendFileSync(path, `${lines.join('\n')}\n`)
        },
      }
    },
  }
}
