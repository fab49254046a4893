import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningNode, startCrucibleNode } from '@crucible/test-support/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/errors.js'
import { CLI, crucible } from './cli.js'
import { EXECUTION_APIS, FIXTURES_ROOT } from './fixtures.js'
import { RUN_TMUX_TESTS, TmuxSession } from './tmux.js'

// slot 0 += 1, then LOG0 and RETURN the word 42.
const CODE = '0x600054600101600055602a60005260206000a060206000f3'
const REVERT_TEST = `${FIXTURES_ROOT}/ethereum-tests/GeneralStateTests/stRevertTest/RevertOpcodeCalls.json`
// A transaction of block 24 of the execution-apis chain (eth_getTransactionByHash's fixture).
const TX = '0x695ad02907c9e13ab7c69963f723fa46ac13cd5e2314f61eab2cb2f07b946faa'
const NODE = `${process.execPath} --conditions=@crucible/source --import tsx ${CLI}`

/** `crucible ARGS...` with `input` on standard input (not a terminal: line mode). */
function debugLines(
  args: string[],
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@crucible/source', '--import', 'tsx', CLI, ...args],
      {
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }))
    child.stdin.end(input)
  })
}

/** The views of a line-mode transcript (each starts with its status line). */
function views(stdout: string): string[] {
  return stdout.split(/\n(?= (?:step|end) \d+\/\d+ \|)/)
}

describe('crucible debug, line mode', () => {
  it('steps, breaks, goes back and answers commands one view per line', async () => {
    const r = await debugLines(
      ['debug', '--code', CODE],
      ['s', 's', 'break sstore', 'c', 'S', 'goto 12', 'info', 'zzz', '>', 'q', 's'].join('\n'),
    )
    expect(r.code, r.stderr).toBe(EXIT.OK)
    const v = views(r.stdout)
    expect(v[0]).toMatch(/^ step 0\/15 \| pc 0x0 PUSH1 \| gas 29979000 cost 3/)
    expect(v[0]!.split('\n')).toHaveLength(24)
    expect(v[0]).toContain('>0000 PUSH1 0x00')
    // SLOAD consumes the key: the one stack item is marked as its operand.
    expect(v[1]).toMatch(/step 1\/15 \| pc 0x2 SLOAD/)
    expect(v[1]).toMatch(/\|\* {2}0 0x0/)
    expect(v[2]).toContain('breakpoint 1: {"kind":"sstore"}')
    expect(v[3]).toMatch(/step 5\/15 \| pc 0x8 SSTORE \| gas \d+ cost 20000/)
    expect(v[3]).toMatch(/0xc0de\.\.c0de\[0x0\] 0x0 0x0 -> 0x1/)
    expect(v[4]).toMatch(/step 4\/15 \| pc 0x6 PUSH1/)
    expect(v[5]).toMatch(/step 12\/15 \| pc 0x13 PUSH1/)
    expect(v[5]).toMatch(/Logs 1\n.*@11 LOG0 0xc0de\.\.c0de/)
    expect(v[5]).toContain('bytecode (Prague): 15 steps, 1 calls')
    expect(v[5]).toContain('! unknown command zzz')
    expect(v[6]).toMatch(/^ end 15\/15 \| success \| gas used 43767 \| output 0x0000/)
    // Nothing after q.
    expect(v).toHaveLength(7)
  }, 60_000)

  it('opens a state test case and goes to the revert, at any size', async () => {
    const r = await debugLines(
      ['debug', '--state-test', REVERT_TEST, '--fork', 'Cancun', '--index', '0', '--size', '120x40'],
      'r\n',
    )
    expect(r.code, r.stderr).toBe(EXIT.OK)
    const [first, revert] = views(r.stdout)
    expect(first!.split('\n')).toHaveLength(40)
    expect(first!.split('\n')[0]!.length).toBe(119)
    expect(first).toMatch(/Cancun RevertOpcodeCalls Cancun #0$/m)
    expect(revert).toMatch(/step 22\/32 \| pc 0x9 REVERT \| .* depth 2/)
    expect(revert).toMatch(/>0009 REVERT/)
    expect(revert).toMatch(/> {4}CALL 0xc94f\.\.bf0b gas 22115 \(own 22115\) revert/)
  }, 60_000)

  it('refuses bad input with a typed exit code', async () => {
    const none = await debugLines(['debug'], '')
    expect(none.code).toBe(EXIT.USAGE)
    expect(none.stderr).toMatch(/name one input/)
    const badFork = await debugLines(['debug', '--state-test', REVERT_TEST, '--fork', 'Nope'], '')
    expect(badFork.code).toBe(EXIT.INVALID_DEBUG_INPUT)
    expect(badFork.stderr).toMatch(/no case for this fork/)
    const notHex = await debugLines(['debug', '--code', 'zz'], '')
    expect(notHex.code).toBe(EXIT.INVALID_DEBUG_INPUT)
  }, 60_000)
})

describe.skipIf(!RUN_TMUX_TESTS)('crucible debug in a terminal (tmux)', () => {
  let tmux: TmuxSession | undefined
  afterEach(() => tmux?.kill())

  it('draws the panes at 80x24, steps by keys, redraws at 120x40, shows the help, quits', async () => {
    // ink draws nothing until exit when it believes it runs in CI (is-in-ci reads CI and CI_*):
    // the terminal in tmux is a real one, so the UI runs without those variables.
    tmux = new TmuxSession(`env -u CI -u CONTINUOUS_INTEGRATION ${NODE} debug --code ${CODE}`, 80, 24)
    // The first screen waits for the CLI to start (tsx, ink and react loading), generously: the
    // suite runs beside other test files on 2 cores in CI.
    let screen = await tmux.waitFor((s) => s.includes('step 0/15'), 150_000)
    let rows = screen.split('\n')
    expect(rows[0]).toMatch(
      /^ step 0\/15 \| pc 0x0 PUSH1 \| gas 29979000 cost 3 \| depth 0 \| 0xc0de\.\.c0de/,
    )
    expect(rows[1]).toMatch(/^Code 0xc0de\.\.c0de +\|Stack 0 items/)
    expect(rows[2]).toMatch(/^>0000 PUSH1 0x00 +\|\(empty\)/)
    expect(rows[23]).toMatch(/\? help \| s n o step/)
    expect(Math.max(...rows.map((r) => r.length))).toBeLessThanOrEqual(80)

    tmux.keys('s', 's', 's')
    screen = await tmux.waitFor((s) => s.includes('step 3/15'))
    expect(screen).toMatch(/step 3\/15 \| pc 0x5 ADD/)
    expect(screen).toMatch(/>0005 ADD/)
    expect(screen).toMatch(/\|\* {2}0 0x1\n.*\|\* {2}1 0x0/)

    tmux.keys('S')
    await tmux.waitFor((s) => s.includes('step 2/15 | pc 0x3 PUSH1'))

    tmux.resize(120, 40)
    screen = await tmux.waitFor((s) => s.split('\n')[0]!.includes('Prague bytecode'))
    rows = screen.split('\n')
    expect(rows[0]!.trimEnd().length).toBe(119)
    expect(rows[39]).toMatch(/\? help/)
    expect(rows[1]).toMatch(/^Code 0xc0de\.\.c0de {20,}\|Stack 1 items/)

    tmux.keys('?')
    screen = await tmux.waitFor((s) => s.includes('Keys (any key closes this help)'))
    expect(screen).toMatch(/s <right> +step into/)
    expect(screen).toMatch(/C +continue backwards/)
    expect(screen).toMatch(/:break pc 0x1a \[ADDRESS\]/)
    tmux.keys('x')
    await tmux.waitFor((s) => s.includes('Stack 1 items'))

    // The command line: a breakpoint, then continue and reverse-continue to it.
    tmux.keys(':')
    tmux.type('break sstore')
    await tmux.waitFor((s) => s.includes(':break sstore_'))
    tmux.keys('Enter')
    await tmux.waitFor((s) => s.includes('breakpoint 1: {"kind":"sstore"}'))
    tmux.keys('c')
    screen = await tmux.waitFor((s) => s.includes('step 5/15 | pc 0x8 SSTORE'))
    expect(screen).toMatch(/0xc0de\.\.c0de\[0x0\] 0x0 +0x0 -> 0x1/)
    tmux.keys('>')
    await tmux.waitFor((s) => s.includes('end 15/15 | success | gas used 43767'))
    tmux.keys('C')
    await tmux.waitFor((s) => s.includes('step 5/15 | pc 0x8 SSTORE'))
    tmux.keys('g')
    tmux.type('9')
    tmux.keys('Enter')
    await tmux.waitFor((s) => s.includes('step 9/15 | pc 0xe PUSH1'))

    tmux.keys('q')
    const until = Date.now() + 10_000
    while (tmux.alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
    expect(tmux.alive()).toBe(false)
  }, 240_000)
})

describe('crucible debug on a chain: a capsule, and a transaction by hash over JSON-RPC', () => {
  const root = mkdtempSync(join(tmpdir(), 'crucible-debug-'))
  const datadir = join(root, 'chain')
  let node: RunningNode | undefined
  afterAll(async () => {
    await node?.stop()
    rmSync(root, { recursive: true, force: true })
  })
  beforeAll(async () => {
    const r = await crucible([
      'import',
      '--datadir',
      datadir,
      '--genesis',
      EXECUTION_APIS.genesis,
      EXECUTION_APIS.chain,
    ])
    expect(r.code, r.stderr).toBe(0)
  }, 180_000)

  it('debugs a transaction of a block capsule, by index and by hash, to its receipt', async () => {
    const cut = await crucible([
      'capsule',
      'block',
      '24',
      '--datadir',
      datadir,
      '--out',
      join(root, 'b24.cap'),
    ])
    expect(cut.code, cut.stderr).toBe(0)
    const receipt = await crucible(['trace', '--datadir', datadir, TX, '--tracer', 'callTracer'])
    expect(receipt.code, receipt.stderr).toBe(0)
    const gasUsed = BigInt((JSON.parse(receipt.stdout) as { gasUsed: string }).gasUsed)
    const byHash = await debugLines(['debug', join(root, 'b24.cap'), '--tx', TX], 'info\n>\n')
    expect(byHash.code, byHash.stderr).toBe(EXIT.OK)
    expect(byHash.stdout).toMatch(/^capsule block 24 tx 0 of 4 0x695ad029 \(Berlin\): \d+ steps/m)
    const end = views(byHash.stdout).at(-1)
    expect(end).toMatch(new RegExp(`^ end \\d+/\\d+ \\| \\w+ \\| gas used ${gasUsed} `))
    const byIndex = await debugLines(['debug', join(root, 'b24.cap'), '--index', '0'], 'info\n')
    expect(byIndex.stdout).toMatch(new RegExp(`gas used ${gasUsed}$`, 'm'))
    const none = await debugLines(['debug', join(root, 'b24.cap'), '--index', '5'], '')
    expect(none.code).toBe(EXIT.INVALID_DEBUG_INPUT)
    expect(none.stderr).toMatch(/no such transaction/)
  }, 120_000)

  it('fetches transactions by hash from a node and re-executes them to their receipts', async () => {
    node = await startCrucibleNode(['--datadir', datadir, '--http.api', 'eth,net,web3,debug'])
    const rpc = async (method: string, params: unknown[]) => {
      const res = await fetch(node!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      })
      return ((await res.json()) as { result: unknown }).result
    }
    // One transaction per fork family the chain went through, the last ones in Osaka and BPO.
    const picks: { hash: string; number: number }[] = []
    for (let n = 1; n <= 54; n++) {
      const b = (await rpc('eth_getBlockByNumber', [`0x${n.toString(16)}`, false])) as {
        transactions: string[]
      }
      if (
        b.transactions.length > 0 &&
        [24, 45, 50, 54].some((k) => n >= k && !picks.some((p) => p.number >= k))
      )
        picks.push({ hash: b.transactions[0]!, number: n })
    }
    expect(picks.length).toBeGreaterThanOrEqual(3)
    const forks: string[] = []
    for (const { hash, number } of picks) {
      const r = await debugLines(['debug', '--rpc', node.url, hash], 'info\n>\n')
      expect(r.code, r.stderr).toBe(EXIT.OK)
      // No warning: gas and status equal the receipt's.
      expect(r.stderr).toBe('')
      const info = new RegExp(
        `^tx ${hash.slice(0, 10)} block ${number} #0 \\((\\w+)\\): \\d+ steps`,
        'm',
      ).exec(r.stdout)
      expect(info, r.stdout).not.toBeNull()
      forks.push(info![1]!)
      const receipt = (await rpc('eth_getTransactionReceipt', [hash])) as { gasUsed: string }
      expect(views(r.stdout).at(-1)).toMatch(
        new RegExp(`^ end \\d+/\\d+ \\| \\w+ \\| gas used ${BigInt(receipt.gasUsed)} `),
      )
    }
    expect(forks[0]).toBe('Berlin')
    // Block 54 is after BPO2's activation (eth_config); 45 is Prague by its header.
    expect(forks[1]).toBe('Prague')
    expect(forks.at(-1)).toBe('BPO2')
    const unknown = await debugLines(['debug', '--rpc', node.url, `0x${'ab'.repeat(32)}`], '')
    expect(unknown.code).toBe(EXIT.NOT_FOUND)
    await node.stop()
    node = undefined
  }, 120_000)
})
