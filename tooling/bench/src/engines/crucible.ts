import {
  type BlockEnv,
  Context,
  callMessage,
  createMessage,
  type ExecutionLimits,
  executeMessage,
  Outcome,
} from '@crucible/evm'
import { type ForkRules, getForkRules } from '@crucible/forks'
import { type StateSnapshot, WorldState } from '@crucible/state'
import { type Engine, type RunResult, SENDER, SENDER_BALANCE } from '../engine.js'
import type { BenchInput, Benchmark } from '../manifest.js'

type Prepared = {
  state: WorldState
  snapshot: StateSnapshot
  to: bigint
  code: Uint8Array
  gasLimit: number
  rules: ForkRules
}

/** The block the benchmarks run in: all zero, as ethereumjs's default block (chain id 1). */
const BLOCK: BlockEnv = {
  number: 0n,
  coinbase: 0n,
  timestamp: 0n,
  gasLimit: 0n,
  difficulty: 0n,
  prevRandao: 0n,
  baseFee: 0n,
  blobBaseFee: 0n,
  chainId: 1n,
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Transaction-start bookkeeping of processTransaction, without validation or fees (as ethereumjs's runCall). */
function beginTx(state: WorldState, rules: ForkRules, to: bigint): void {
  state.beginTransaction()
  state.warmAccount(SENDER)
  state.warmAccount(to)
  for (const a of rules.params.precompiles) state.warmAccount(BigInt(a))
}

/**
 * Crucible: `@crucible/evm`'s `executeMessage` over a `@crucible/state` WorldState at Prague.
 * The top-level message is built the way `processTransaction` builds it (same warm set: sender,
 * recipient, precompiles); validation, gas purchase and fees are left out on both engines, so the
 * timing is the message execution alone. Each run starts from a snapshot of the post-deploy state.
 */
export function crucibleEngine(): Engine<Prepared> {
  return engine('crucible', () => undefined)
}

/**
 * Crucible under the sandbox's execution limits (memory, output and log counters, a deadline
 * polled at jumps): what running untrusted code costs against {@link crucibleEngine}.
 */
export function crucibleMeteredEngine(): Engine<Prepared> {
  return engine('crucible-metered', () => {
    const deadline = performance.now() + 60_000
    return {
      memoryBytes: 1 << 30,
      outputBytes: 1 << 30,
      logBytes: 1 << 30,
      interrupt: () => (performance.now() > deadline ? 'timeout' : undefined),
    }
  })
}

function engine(name: string, limits: () => ExecutionLimits | undefined): Engine<Prepared> {
  const rules = getForkRules('Prague')
  return {
    name,

    prepare(benchmark: Benchmark): Prepared {
      const state = new WorldState()
      const to = benchmark.to
      const gasLimit = Number(benchmark.gasLimit)
      state.beginTransaction()
      state.setBalance(SENDER, SENDER_BALANCE)
      state.endTransaction([], true)
      if (benchmark.init !== undefined) {
        // Deploy at `to` itself: the constructor runs as a creation there and its code is deposited.
        beginTx(state, rules, to)
        const ctx = new Context(state, rules, BLOCK, SENDER, 0n, [], undefined)
        const msg = createMessage({ caller: SENDER, address: to, initcode: benchmark.init, gas: gasLimit })
        const res = executeMessage(ctx, msg)
        state.endTransaction([], true)
        if (res.outcome !== Outcome.Success)
          throw new Error(`${benchmark.name}: constructor failed: ${res.halt ?? 'reverted'}`)
        if (!sameBytes(state.getCode(to), benchmark.code))
          throw new Error(`${benchmark.name}: constructor deployed code different from code.hex`)
      } else {
        state.beginTransaction()
        state.setCode(to, benchmark.code)
        state.endTransaction([], true)
      }
      return { state, snapshot: state.snapshot(), to, code: state.getCode(to), gasLimit, rules }
    },

    run(p: Prepared, input: BenchInput): RunResult {
      const { state, to } = p
      beginTx(state, p.rules, to)
      const ctx = new Context(state, p.rules, BLOCK, SENDER, 0n, [], undefined, undefined, limits())
      const msg = callMessage({
        caller: SENDER,
        address: to,
        input: input.calldata,
        code: p.code,
        gas: p.gasLimit,
      })
      const res = executeMessage(ctx, msg)
      return {
        output: res.output,
        gasUsed: p.gasLimit - res.gasLeft,
        ...(res.outcome === Outcome.Success ? {} : { error: res.halt ?? 'Revert' }),
      }
    },

    reset(p: Prepared): void {
      p.state.restore(p.snapshot)
    },
  }
}
