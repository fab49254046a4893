import { appendFileSync } from 'node:fs'
import { type Inspector, OPCODE_NAMES } from '@crucible/evm'
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
   * Writes the case's lines, the transaction summary (`output`, `gasUsed`, `error`; absent for
   * a refused transaction) and the closing `{"stateRoot": ...}` line.
   */
  end(stateRoot: string, result?: { output: Uint8Array; gasUsed: bigint; error?: string }): void
}

export interface TraceSink {
  begin(file: string, fork: string, indexes: { data: number; gas: number; value: number }): CaseTrace
}

/**
 * An EIP-3155 trace writer: one JSON line per opcode, then `{"stateRoot": ...}` per case, all
 * appended to `path` (cases of a file in order; files may interleave between workers).
 *
 * `gasCost` is known only once the next opcode of the same frame starts (or the frame ends),
 * so each line is held back until then; for a CALL or CREATE it therefore includes what the
 * child frame used.
 */
export function openTrace(path: string): TraceSink {
  return {
    begin(file, fork, indexes) {
      const lines: string[] = [
        JSON.stringify({ case: file, fork, data: indexes.data, gas: indexes.gas, value: indexes.value }),
      ]
      // Per depth: the line waiting for its gasCost, and the gas it started with.
      const pending: Array<{ entry: Record<string, unknown>; gas: number } | undefined> = []
      const flush = (depth: number, gasNow: number | undefined) => {
        const p = pending[depth]
        if (!p) return
        p.entry.gasCost = `0x${(gasNow === undefined ? 0 : Math.max(0, p.gas - gasNow)).toString(16)}`
        lines.push(JSON.stringify(p.entry))
        pending[depth] = undefined
      }
      const inspector: Inspector = {
        step(frame) {
          flush(frame.depth, frame.gas)
          const op = frame.opcode()
          pending[frame.depth] = {
            gas: frame.gas,
            entry: {
              pc: frame.pc,
              op,
              gas: `0x${frame.gas.toString(16)}`,
              gasCost: '0x0',
              memSize: frame.memorySize,
              stack: frame.stackItems().map((v) => `0x${v.toString(16)}`),
              depth: frame.depth + 1,
              refund: frame.totalRefund(),
              opName: OPCODE_NAMES[op] ?? `0x${op.toString(16)}`,
            },
          }
        },
        exit(info) {
          flush(info.depth, info.gasLeft)
        },
      }
      return {
        inspector,
        end(stateRoot, result) {
          if (result) {
            lines.push(
              JSON.stringify({
                output: bytesToHex(result.output).slice(2),
                gasUsed: `0x${result.gasUsed.toString(16)}`,
                ...(result.error ? { error: result.error } : {}),
              }),
            )
          }
          lines.push(JSON.stringify({ stateRoot }))
          appendFileSync(path, `${lines.join('\n')}\n`)
        },
      }
    },
  }
}
