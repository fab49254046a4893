import { CallKind, type EnterInfo, type Inspector } from '@crucible/evm'
import { bytesToHex } from '@crucible/primitives'
import type { Tracer } from './tracer.js'

/**
 * geth's `4byteTracer`: how often each function selector was called, keyed
 * `0x<selector>-<size of the arguments>`, for calls (not creations, not precompiles) whose
 * input has a selector.
 */
export function fourByteTracer(): Tracer {
  const counts: Record<string, number> = {}
  return {
    inspector: {
      enter(info: EnterInfo) {
        if (info.input.length < 4 || info.precompile) return
        if (info.kind === CallKind.Create || info.kind === CallKind.Create2) return
        const key = `${bytesToHex(info.input.subarray(0, 4))}-${info.input.length - 4}`
        counts[key] = (counts[key] ?? 0) + 1
      },
    },
    txStart() {},
    txEnd() {},
    result: () => counts,
  }
}

/** geth's `noopTracer`: traces nothing, returns `{}` (what tracing costs with no work). */
export function noopTracer(): Tracer {
  return { inspector: {}, txStart() {}, txEnd() {}, result: () => ({}) }
}

/** geth's `muxTracer`: several tracers over one run; the result maps each name to its result. */
export function muxTracer(tracers: Record<string, Tracer>): Tracer {
  const list = Object.values(tracers)
  return {
    inspector: combineInspectors(list.map((t) => t.inspector)),
    txStart(ctx) {
      for (const t of list) t.txStart(ctx)
    },
    txEnd(result) {
      for (const t of list) t.txEnd(result)
    },
    result() {
      const out: Record<string, unknown> = {}
      for (const [name, t] of Object.entries(tracers)) out[name] = t.result()
      return out
    },
  }
}

const HOOKS = ['step', 'stepEnd', 'log', 'enter', 'exit'] as const

/** One inspector calling each of `inspectors` in turn; a hook none of them has stays absent. */
export function combineInspectors(inspectors: Inspector[]): Inspector {
  if (inspectors.length === 1) return inspectors[0]!
  const out: Inspector = {}
  for (const hook of HOOKS) {
    const fns = inspectors.flatMap((i) => (i[hook] ? [i[hook].bind(i)] : [])) as ((
      ...args: unknown[]
    ) => void)[]
    if (fns.length === 0) continue
    ;(out as Record<string, unknown>)[hook] = (...args: unknown[]) => {
      for (const fn of fns) fn(...args)
    }
  }
  return out
}
