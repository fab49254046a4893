import { median } from '../stats.js'
import type { BenchTable, SuiteOptions } from '../types.js'

/**
 * Dispatch: the interpreter-design question in isolation (was tooling/evm-dev). One program, a
 * counted loop of PUSH, DUP, ADD, SWAP, SUB, POP, JUMPI over a bigint stack, run by a `switch`
 * loop with the pc, stack pointer and gas in locals (how @crucible/evm dispatches) and by a
 * table of per-opcode closures over a shared state object (the alternative it replaced). No
 * EVM code is involved; the figure is what the choice of dispatch alone is worth.
 */

// i = 1_000_000; loop: i = i - 1; x = x + i; jumpi(loop, i)
// ops: 0 PUSH(imm) 1 DUP1 2 ADD 3 SWAP1 4 SUB 5 JUMPI(to) 6 POP 7 STOP 8 JUMPDEST
const PROGRAM: [number, bigint][] = [
  [0, 0n], // x
  [0, 1_000_000n], // i
  [8, 0n], // loop: [x, i]
  [0, 1n],
  [3, 0n], // [x, 1, i]
  [4, 0n], // i - 1  -> [x, i-1]
  [1, 0n], // [x, i', i']
  [3, 0n], // swap -> [x, i', i'] (same)
  [6, 0n], // pop -> [x, i']
  [1, 0n], // [x, i', i']
  [5, 2n], // jumpi(2, i') -> [x, i']
  [7, 0n],
]
const ops = Uint8Array.from(PROGRAM.map((p) => p[0]))
const imms = PROGRAM.map((p) => p[1])
const GAS = [3, 3, 3, 3, 3, 10, 2, 0, 1]

function runSwitch(): number {
  const stack: bigint[] = new Array(1024).fill(0n)
  let sp = 0
  let pc = 0
  let gas = 1e12
  let steps = 0
  for (;;) {
    const op = ops[pc]!
    steps++
    if ((gas -= GAS[op]!) < 0) return -1
    switch (op) {
      case 0:
        stack[sp++] = imms[pc]!
        break
      case 1:
        stack[sp] = stack[sp - 1]!
        sp++
        break
      case 2: {
        const r = stack[--sp]! + stack[sp - 1]!
        stack[sp - 1] = r
        break
      }
      case 3: {
        const t = stack[sp - 1]!
        stack[sp - 1] = stack[sp - 2]!
        stack[sp - 2] = t
        break
      }
      case 4: {
        const r = stack[--sp]! - stack[sp - 1]!
        stack[sp - 1] = r < 0n ? -r : r
        break
      }
      case 5:
        if (stack[--sp]! !== 0n) {
          pc = Number(imms[pc]!)
          continue
        }
        break
      case 6:
        sp--
        break
      case 7:
        return steps
      case 8:
        break
    }
    pc++
  }
}

interface State {
  stack: bigint[]
  sp: number
  pc: number
  gas: number
  running: boolean
}
const handlers: ((s: State) => void)[] = [
  (s) => {
    s.stack[s.sp++] = imms[s.pc++]!
  },
  (s) => {
    s.stack[s.sp] = s.stack[s.sp - 1]!
    s.sp++
    s.pc++
  },
  (s) => {
    const r = s.stack[--s.sp]! + s.stack[s.sp - 1]!
    s.stack[s.sp - 1] = r
    s.pc++
  },
  (s) => {
    const t = s.stack[s.sp - 1]!
    s.stack[s.sp - 1] = s.stack[s.sp - 2]!
    s.stack[s.sp - 2] = t
    s.pc++
  },
  (s) => {
    const r = s.stack[--s.sp]! - s.stack[s.sp - 1]!
    s.stack[s.sp - 1] = r < 0n ? -r : r
    s.pc++
  },
  (s) => {
    if (s.stack[--s.sp]! !== 0n) s.pc = Number(imms[s.pc]!)
    else s.pc++
  },
  (s) => {
    s.sp--
    s.pc++
  },
  (s) => {
    s.running = false
  },
  (s) => {
    s.pc++
  },
]

function runTable(): number {
  const s: State = { stack: new Array(1024).fill(0n), sp: 0, pc: 0, gas: 1e12, running: true }
  let steps = 0
  while (s.running) {
    const op = ops[s.pc]!
    steps++
    if ((s.gas -= GAS[op]!) < 0) return -1
    handlers[op]!(s)
  }
  return steps
}

/** Milliseconds of one run of `f`, and the instructions it executed. */
function time(f: () => number): { ms: number; steps: number } {
  const t0 = performance.now()
  const steps = f()
  return { ms: performance.now() - t0, steps }
}

export async function run(options: SuiteOptions = {}): Promise<BenchTable> {
  const rounds = options.quick ? 3 : 9
  time(runSwitch)
  time(runTable)
  const switchMs: number[] = []
  const tableMs: number[] = []
  let steps = 0
  // Alternate the two within each round, so load from other processes falls on both alike.
  for (let round = 0; round < rounds; round++) {
    const a = time(runSwitch)
    const b = time(runTable)
    if (a.steps !== b.steps) throw new Error(`dispatch: switch ran ${a.steps} steps, table ${b.steps}`)
    steps = a.steps
    switchMs.push(a.ms)
    tableMs.push(b.ms)
  }
  const ours = median(switchMs)
  const theirs = median(tableMs)
  const rate = (ms: number) => `${(steps / ms / 1000).toFixed(0)} M`
  return {
    title: 'Dispatch: one switch with locals vs a table of closures (milliseconds per run)',
    rows: [
      {
        name: `counted loop, ${(steps / 1e6).toFixed(1)} M instructions`,
        crucible_ms: ours,
        reference_ms: theirs,
        reference: 'closure table over a state object',
        speedup: theirs / ours,
        note: `${rate(ours)} vs ${rate(theirs)} instructions/s`,
      },
    ],
  }
}
