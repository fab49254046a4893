import { hexToBytes } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { type AbortReason, ExecutionAbortedError, type ExecutionLimits, runCode } from '../src/index.js'
import { MemoryHost } from './memory-host.js'

const code = (hex: string) => hexToBytes(`0x${hex.replace(/\s+/g, '')}`)
// JUMPDEST PUSH1 0 JUMP: the cheapest loop there is.
const LOOP = code('5b 6000 56')
// JUMPDEST MSIZE MSIZE MSTORE PUSH1 0 JUMP: memory grows 32 bytes a turn, forever.
const GROW = code('5b 59 59 52 6000 56')
// JUMPDEST PUSH1 32 PUSH1 0 LOG0 PUSH1 0 JUMP: a 32-byte log a turn.
const LOGS = code('5b 6020 6000 a0 6000 56')
// RETURN 1 MiB of zeros.
const BIG_OUTPUT = code('62100000 6000 f3')

function aborted(run: () => unknown): ExecutionAbortedError {
  try {
    run()
  } catch (error) {
    if (error instanceof ExecutionAbortedError) return error
    throw error
  }
  throw new Error('the run was not aborted')
}

/** An interrupt that aborts at its `n`th poll (deterministic, unlike a clock). */
function afterPolls(n: number, reason: AbortReason = 'timeout') {
  let polls = 0
  return {
    interrupt: () => (++polls >= n ? reason : undefined),
    get polls() {
      return polls
    },
  }
}

describe('execution limits', () => {
  it('polls the interrupt at jumps every pollGas gas and aborts an endless loop', () => {
    const counter = afterPolls(11)
    const error = aborted(() =>
      runCode(new MemoryHost(), LOOP, {
        gas: 10n ** 15n,
        limits: { interrupt: counter.interrupt, pollGas: 90_000 },
      }),
    )
    expect(error.code).toBe('EXECUTION_ABORTED')
    expect(error.details).toMatchObject({ reason: 'timeout', pc: 0, depth: 0 })
    // One poll as the message starts, then one per 90,000 gas (10,000 turns of 9 gas).
    expect(counter.polls).toBe(11)
  })

  it('counts memory across the run and stops it at the limit', () => {
    const error = aborted(() =>
      runCode(new MemoryHost(), GROW, { gas: 10n ** 15n, limits: { memoryBytes: 1 << 20 } }),
    )
    expect(error.details.reason).toBe('memory')
    expect(error.details.limit).toBe(1 << 20)
    expect(error.details.bytes).toBeGreaterThan(1 << 20)
  })

  it('bounds output size and log bytes', () => {
    expect(
      aborted(() => runCode(new MemoryHost(), BIG_OUTPUT, { limits: { outputBytes: 1000 } })).details,
    ).toMatchObject({ reason: 'output', bytes: 1 << 20, limit: 1000 })
    expect(
      aborted(() => runCode(new MemoryHost(), LOGS, { gas: 10n ** 12n, limits: { logBytes: 3200 } })).details,
    ).toMatchObject({ reason: 'logs', bytes: 3232, limit: 3200 })
  })

  it('a run inside its limits has the same result as an unmetered one', () => {
    // Grows memory to 64 KiB in a loop (stops when MSIZE reaches 0x10000), logs, returns it.
    const program = code('5b 59 59 52 6020 6000 a0 6201 0000 59 10 6000 57 6020 6000 f3')
    const limits: ExecutionLimits = {
      memoryBytes: 1 << 20,
      outputBytes: 1 << 20,
      logBytes: 1 << 20,
      interrupt: () => undefined,
      pollGas: 1000,
    }
    const plain = runCode(new MemoryHost(), program, { gas: 10n ** 9n })
    const metered = runCode(new MemoryHost(), program, { gas: 10n ** 9n, limits })
    expect(metered).toEqual(plain)
    expect(plain.logs.length).toBeGreaterThan(2000)
  })
})
