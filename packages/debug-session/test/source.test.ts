import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  CONTRACTS_DIR,
  compileSolidity,
  markerLines,
  SOLC_PROFILES,
  type SolcCompile,
} from '@crucible/test-support/solc'
import { beforeAll, describe, expect, it } from 'vitest'
import { bytecodeCase, DebugSession, type Request, type StepView } from '../src/index.js'
import { depositCalldata, vaultCall, vaultCreation } from './vault-case.js'

const MARK = markerLines(readFileSync(join(CONTRACTS_DIR, 'Vault.sol'), 'utf8'))
const VAULT_FILE = 'Vault.sol'

function driver(session: DebugSession) {
  return (request: Request): StepView => {
    const r = session.handle(request)
    if (!r.ok) throw new Error(`${request.cmd}: ${r.error.message}`)
    return r.result as StepView
  }
}

/** The Vault.sol line of a view, or undefined (unknown, generated, or only "in the contract"). */
function line(v: StepView): number | undefined {
  const s = v.source
  if (s === undefined || !s.known || s.generated || s.coarse === true || s.path !== VAULT_FILE)
    return undefined
  return s.line
}

/** The source lines source-level stepping visits from the start (runs of the same line merged). */
function walk(session: DebugSession, cmd: 'stepOver' | 'stepInto'): { line: number; depth: number }[] {
  const send = driver(session)
  const out: { line: number; depth: number }[] = []
  let v = send({ cmd: 'start' })
  for (let guard = 0; !v.atEnd && guard < 10_000; guard++) {
    const l = line(v)
    if (l !== undefined && out[out.length - 1]?.line !== l) out.push({ line: l, depth: v.frame!.depth })
    v = send({ cmd, granularity: 'source' })
  }
  return out
}

const isSubsequence = (want: number[], got: number[]) => {
  let k = 0
  for (const g of got) if (g === want[k]) k++
  return k === want.length
}

describe.each(SOLC_PROFILES)('source level, %s', (profile) => {
  let compile: SolcCompile
  beforeAll(() => {
    compile = compileSolidity(profile)
  }, 120_000)

  const deposit = (limit: bigint, amount: bigint, note = 'hello') =>
    new DebugSession(vaultCall(compile, limit, depositCalldata(amount, note)), { sources: compile })

  it('matches runtime code with immutables to its artifact, names the calls and decodes them', () => {
    const s = deposit(1000n, 7n)
    const tree = s.callTree()
    expect(tree.map((c) => [c.contract, c.function])).toEqual([
      ['Vault', 'deposit(uint256,string)'],
      ['Counter', 'bump(uint256)'],
    ])
    expect(tree[0]!.args).toEqual([
      { name: 'amount', type: 'uint256', value: '7' },
      { name: 'note', type: 'string', value: 'hello' },
    ])
    const end = driver(s)({ cmd: 'end' })
    expect(end.result.decoded).toEqual([{ name: '', type: 'uint256', value: '14' }])
    expect(end.logs.map((l) => l.decoded?.event)).toEqual([
      'Deposited(address,uint256,string)',
      'Bumped(address,uint256)',
    ])
    expect(end.logs[0]!.decoded!.args[2]).toEqual({ name: 'note', type: 'string', value: 'hello' })
  })

  it('step over visits the statements of deposit in order; step into also those of bump in the callee', () => {
    const visited = walk(deposit(1000n, 7n), 'stepOver')
    const lines = visited.map((v) => v.line)
    expect(
      isSubsequence(
        ['deposit-require', 'deposit-limit', 'deposit-store', 'deposit-emit', 'deposit-bump'].map(
          (m) => MARK[m]!,
        ),
        lines,
      ),
      `visited ${lines.join(' ')}`,
    ).toBe(true)
    // Every line visited inside Counter is one of bump's statements.
    expect(visited.every((v) => v.depth === 0)).toBe(true)
    const into = walk(deposit(1000n, 7n), 'stepInto')
    if (profile === 'legacy') {
      // Unoptimised, double() is a real internal call: over passes it, into enters it.
      expect(lines).not.toContain(MARK['double-body'])
      expect(into.map((v) => v.line)).toContain(MARK['double-body'])
    }
    const inCounter = into.filter((v) => v.depth === 1).map((v) => v.line)
    expect(inCounter.length).toBeGreaterThan(0)
    // Its statements, its header, and the `total` declaration (the optimiser maps its reads there).
    const bump = ['bump-add', 'bump-emit', 'bump-return', 'bump-header', 'total'].map((m) => MARK[m])
    for (const l of inCounter) expect(bump).toContain(l)
  })

  it('the steps that store, log and call sit on the lines that do so', () => {
    const s = deposit(1000n, 7n)
    const send = driver(s)
    const expectAt = (opcode: string, lines: number[]) => {
      send({ cmd: 'start' })
      const bp = send({ cmd: 'break', breakpoint: { kind: 'opcode', opcode } } as Request) as unknown as {
        id: number
      }
      let hits = 0
      for (let v = send({ cmd: 'continue' }); !v.atEnd; v = send({ cmd: 'continue' })) {
        hits++
        const l = line(v)
        // Shared code may carry only the contract's range (then no line is claimed at all).
        if (v.source?.known === true && v.source.coarse !== true)
          expect(lines, `${opcode} at step ${v.step}`).toContain(l)
      }
      expect(hits).toBeGreaterThan(0)
      s.handle({ cmd: 'delete', id: bp.id })
    }
    expectAt('SSTORE', [MARK['deposit-store']!, MARK['bump-add']!])
    expectAt('LOG2', [MARK['deposit-emit']!, MARK['bump-emit']!])
    expectAt('CALL', [MARK['deposit-bump']!])
  })

  it('line and function breakpoints, both ways', () => {
    const s = deposit(1000n, 7n)
    const send = driver(s)
    send({ cmd: 'break', breakpoint: { kind: 'line', file: VAULT_FILE, line: MARK['deposit-emit']! } })
    const first = send({ cmd: 'continue' })
    expect(line(first)).toBe(MARK['deposit-emit'])
    send({ cmd: 'end' })
    const back = send({ cmd: 'reverseContinue' })
    expect(line(back)).toBe(MARK['deposit-emit'])
    expect(back.step).toBeGreaterThanOrEqual(first.step)
    s.handle({ cmd: 'delete', id: 1 })
    send({ cmd: 'break', breakpoint: { kind: 'function', name: 'Counter.bump' } })
    const entry = send({ cmd: 'goto', step: 0 }) && send({ cmd: 'continue' })
    expect(entry.frame!.depth).toBe(1)
    expect(entry.source).toMatchObject({ known: true, contract: 'Counter', function: 'Counter.bump' })
  })

  it.runIf(profile === 'legacy')('step out of an internal function returns to its caller', () => {
    const s = deposit(1000n, 7n)
    const send = driver(s)
    send({ cmd: 'break', breakpoint: { kind: 'function', name: 'double' } })
    const inside = send({ cmd: 'continue' })
    expect(inside.source).toMatchObject({ function: 'Vault.double' })
    const out = send({ cmd: 'stepOut', granularity: 'source' })
    expect(out.source).toMatchObject({ function: 'Vault.deposit' })
    expect(line(out)).toBe(MARK['deposit-double'])
    send({ cmd: 'goto', step: inside.step })
    const back = send({ cmd: 'reverseStepOut', granularity: 'source' })
    expect(line(back)).toBe(MARK['deposit-double'])
    expect(back.step).toBeLessThan(inside.step)
  })

  it('reverse source stepping comes back through the same lines', () => {
    const s = deposit(1000n, 7n)
    const forward = walk(s, 'stepOver').map((v) => v.line)
    const send = driver(s)
    const backward: number[] = []
    let v = send({ cmd: 'end' })
    for (let guard = 0; guard < 10_000; guard++) {
      v = send({ cmd: 'reverseStepOver', granularity: 'source' })
      const l = line(v)
      if (l !== undefined && backward[backward.length - 1] !== l) backward.push(l)
      if (v.step === 0) break
    }
    expect(backward.reverse()).toEqual(forward)
  })

  it('a require decodes its reason and points at its line', () => {
    const s = deposit(1000n, 0n)
    const send = driver(s)
    const end = send({ cmd: 'end' })
    expect(end.result.revert).toEqual({ kind: 'error', reason: 'amount is zero' })
    const at = send({ cmd: 'revert' })
    expect(at.opName).toBe('REVERT')
    const l = line(at)
    // Legacy code reverts on the require's line; via-IR shares its revert code (then no line is claimed).
    if (l !== undefined) expect(l).toBe(MARK['deposit-require'])
    if (profile !== 'via-ir-optimized') expect(l).toBe(MARK['deposit-require'])
  })

  it('a custom error decodes with its arguments', () => {
    const end = driver(deposit(5n, 7n))({ cmd: 'end' })
    expect(end.result.revert).toEqual({
      kind: 'custom',
      reason: 'TooMuch(uint256,uint256)',
      args: [
        { name: 'asked', type: 'uint256', value: '7' },
        { name: 'limit', type: 'uint256', value: '5' },
      ],
    })
  })

  it('creation code with constructor arguments matches, and the constructor steps by line', () => {
    const s = new DebugSession(vaultCreation(compile, 5n), { sources: compile })
    const send = driver(s)
    const start = send({ cmd: 'start' })
    expect(start.source).toMatchObject({ known: true, contract: 'Vault', creation: true })
    expect(start.calldata!.decoded).toEqual({
      function: 'constructor(uint256)',
      args: [{ name: 'limit_', type: 'uint256', value: '5' }],
    })
    expect(s.callTree().map((c) => [c.contract, c.function])).toEqual([
      ['Vault', 'constructor'],
      ['Counter', 'constructor'],
    ])
    send({ cmd: 'break', breakpoint: { kind: 'line', file: VAULT_FILE, line: MARK['ctor-new']! } })
    const v = send({ cmd: 'continue' })
    expect(line(v)).toBe(MARK['ctor-new'])
  })
})

describe('source level without a match', () => {
  it('says why instead of showing a line', () => {
    const compile = compileSolidity('legacy-optimized')
    const session = new DebugSession(bytecodeCase({ code: '0x600160005500', fork: 'Cancun' }), {
      sources: compile,
    })
    const v = driver(session)({ cmd: 'start' })
    expect(v.source).toEqual({
      known: false,
      reason: expect.stringContaining('no contract of the sources file has this runtime code'),
    })
    expect(v.opName).toBe('PUSH1')
    // Source stepping with no known line anywhere runs to the end.
    expect(driver(session)({ cmd: 'stepOver', granularity: 'source' }).atEnd).toBe(true)
  })

  it('refuses source commands without sources, and bad sources files', () => {
    const session = new DebugSession(bytecodeCase({ code: '0x00', fork: 'Cancun' }))
    expect(session.handle({ cmd: 'stepOver', granularity: 'source' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_COMMAND' },
    })
    expect(() => new DebugSession(bytecodeCase({ code: '0x00' }), { sources: { nope: 1 } as never })).toThrow(
      /standard-JSON/,
    )
  })
})
