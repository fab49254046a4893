import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BlockHeader } from '@crucible/block'
import { encodeCapsule, recordCall } from '@crucible/capsule'
import { processTransaction } from '@crucible/evm'
import { chainAtFork, getForkRules } from '@crucible/forks'
import {
  bytesToHex,
  hexToBytes,
  KECCAK256_RLP_EMPTY,
  KECCAK256_RLP_EMPTY_LIST,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { MemoryStateDatabase, WorldState } from '@crucible/state'
import { CONTRACTS_DIR, compileSolidity, markerLines } from '@crucible/test-support/solc'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DebugWebServer, serveDebugWeb } from '../src/debug-web/server.js'
import { spawnCrucible } from './cli.js'

const REPO = join(import.meta.dirname, '..', '..', '..')
const MARK = markerLines(readFileSync(join(CONTRACTS_DIR, 'Vault.sol'), 'utf8'))
const SENDER = 0x5e4d000000000000000000000000000000000001n
const word = (v: bigint) => v.toString(16).padStart(64, '0')

/** A call capsule of Vault.deposit(7, "hello") on a state where Vault(1000) is deployed. */
function vaultCapsule(bytecode: string): Uint8Array {
  const rules = getForkRules('Cancun')
  const env = {
    number: 1n,
    coinbase: 0n,
    timestamp: 12n,
    gasLimit: 30_000_000n,
    difficulty: 0n,
    prevRandao: 0n,
    baseFee: 0n,
    blobBaseFee: 1n,
    chainId: 1n,
  }
  const db = new MemoryStateDatabase()
  const state = WorldState.open(db, KECCAK256_RLP_EMPTY)
  const deploy = processTransaction(
    state,
    {
      type: 0,
      sender: SENDER,
      to: undefined,
      nonce: 0n,
      value: 0n,
      data: hexToBytes(`0x${bytecode}${word(1000n)}`),
      gasLimit: 3_000_000n,
      gasPrice: 0n,
    },
    env,
    rules,
  )
  if (deploy.createdAddress === undefined) throw new Error('Vault did not deploy')
  const changes = state.persistChanges()
  db.apply(changes)
  const header: BlockHeader = {
    parentHash: new Uint8Array(32),
    ommersHash: KECCAK256_RLP_EMPTY_LIST,
    coinbase: new Uint8Array(20),
    stateRoot: changes.root,
    transactionsRoot: KECCAK256_RLP_EMPTY,
    receiptsRoot: KECCAK256_RLP_EMPTY,
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number: 0n,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    timestamp: 0n,
    extraData: new Uint8Array(0),
    mixHash: new Uint8Array(32),
    nonce: new Uint8Array(8),
  }
  const note = new TextEncoder().encode('hello')
  const selector = bytesToHex(keccak256(utf8ToBytes('deposit(uint256,string)')).subarray(0, 4))
  const data = `${selector}${word(7n)}${word(64n)}${word(5n)}${Buffer.from(note).toString('hex').padEnd(64, '0')}`
  const capsule = recordCall({
    database: db,
    getHeader: () => undefined,
    chain: chainAtFork('Cancun'),
    rules,
    header,
    env,
    tx: {
      type: 0,
      sender: SENDER,
      to: deploy.createdAddress,
      nonce: 1n,
      value: 0n,
      data: hexToBytes(data),
      gasLimit: 1_000_000n,
      gasPrice: 0n,
    },
  })
  return encodeCapsule(capsule)
}

// Playwright's innerText (as rendered: table cells apart), not the DOM property.
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator
const text = (page: Page, selector: string) => page.locator(selector).innerText()

describe('crucible debug --web in headless Chromium', () => {
  let dir: string
  let server: DebugWebServer
  let browser: Browser
  let capsuleFile: string
  let sourcesFile: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crucible-debug-web-'))
    const compile = compileSolidity('legacy')
    capsuleFile = join(dir, 'deposit.capsule')
    sourcesFile = join(dir, 'Vault.build-info.json')
    writeFileSync(
      capsuleFile,
      vaultCapsule(compile.output.contracts['Vault.sol']!.Vault!.evm.bytecode.object),
    )
    writeFileSync(sourcesFile, JSON.stringify(compile))
    server = await serveDebugWeb()
    // Debian's chromium, installed by the project's setup script when missing (never a download).
    const setup = join(REPO, 'tooling/setup/chromium.sh')
    const executablePath = execFileSync('bash', existsSync(setup) ? [setup] : ['-c', 'command -v chromium'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .toString()
      .trim()
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('loads a capsule and its sources by the file picker, breaks on a source line, reverse-continues to it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url)
    await page.locator('#open-sources').setInputFiles(sourcesFile)
    await page.locator('#open-capsule').setInputFiles(capsuleFile)
    await page.locator('body.open').waitFor({ timeout: 60_000 })
    await expect.poll(() => text(page, '#position')).toMatch(/^step 0 \//)
    expect(await text(page, '#calls')).toContain('Vault.deposit(uint256,string)')
    expect(await text(page, '#calls')).toContain('Counter.bump(uint256)')

    // A breakpoint on the emit line, by clicking its line number.
    const emit = MARK['deposit-emit']!
    // The source is a virtualised list: scroll the line into view first, as a user would.
    await page.locator('#source-lines').evaluate((el, line) => {
      el.scrollTop = (line - 5) * 18
    }, emit)
    await page.locator(`#source-lines .gutter[data-line="${emit}"]`).click()
    await expect.poll(() => text(page, '#breakpoints')).toContain(`Vault.sol:${emit}`)

    // To the end (key >), then reverse-continue (key C) lands on the emit line.
    await page.keyboard.press('>')
    await expect.poll(() => text(page, '#position')).toMatch(/^end/)
    expect(await text(page, '#data')).toContain('returns _="14"')
    await page.keyboard.press('Shift+C')
    await expect.poll(() => text(page, '#source-title')).toBe(`Vault.sol:${emit} — Vault.deposit`)
    const current = await text(page, '#source-lines .vrow.current')
    expect(current).toContain('emit Deposited(msg.sender, doubled, note)')
    const position = await text(page, '#position')
    const step = Number(/^step (\d+)/.exec(position)![1])
    expect(page.url()).toMatch(new RegExp(`#step=${step}$`))
    // The panes at that step: the storage write before it, the stack, the calldata decoded.
    // balances[sender] was written on the line before: original 0, now 14 (7 doubled).
    expect(await text(page, '#storage')).toMatch(/0x0\s+0xe\s+0xe/)
    expect(await text(page, '#data')).toContain('deposit(uint256,string) (amount="7", note="hello")')
    expect(await text(page, '#steps .vrow.current')).toContain(`${step}`)

    // Source stepping (mode is "by line" with sources): n goes to the next line.
    await page.keyboard.press('n')
    await expect
      .poll(() => text(page, '#source-title'))
      .toBe(`Vault.sol:${MARK['deposit-bump']} — Vault.deposit`)

    // The URL is the position: a fresh page at the shared link shows the same step.
    await page.keyboard.press('Shift+C')
    await expect.poll(() => page.url()).toMatch(new RegExp(`#step=${step}$`))
    // docs/debugger-web.png is this view; a plain run writes the shot beside the capsule, so
    // tests never change the tree (CRUCIBLE_WRITE_DOCS=1 refreshes the committed one).
    const shot =
      process.env.CRUCIBLE_WRITE_DOCS === '1' ? join(REPO, 'docs', 'debugger-web.png') : join(dir, 'web.png')
    await page.screenshot({ path: shot })
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG')
    expect(errors).toEqual([])
    await page.close()
  })

  it('crucible debug --web FILE --sources FILE serves the page and the files, then stops on SIGTERM', async () => {
    const child = spawnCrucible(['debug', '--web', capsuleFile, '--sources', sourcesFile])
    let out = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
    })
    try {
      expect(await (await fetch(url)).text()).toContain('<title>crucible debug</title>')
      const capsule = await fetch(`${url}capsule`)
      expect(decodeURIComponent(capsule.headers.get('x-file-name')!)).toBe('deposit.capsule')
      expect(new Uint8Array(await capsule.arrayBuffer())).toEqual(new Uint8Array(readFileSync(capsuleFile)))
      expect((await fetch(`${url}sources`)).status).toBe(200)
      expect((await fetch(`${url}worker.js`)).headers.get('content-type')).toBe('text/javascript')
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })

  it('opens what the server was started with, at the step in the URL', async () => {
    const preloaded = await serveDebugWeb({
      capsule: { name: 'deposit.capsule', bytes: readFileSync(capsuleFile) },
      sources: { name: 'Vault.build-info.json', text: readFileSync(sourcesFile, 'utf8') },
    })
    try {
      const page = await browser.newPage()
      await page.goto(`${preloaded.url}#step=5`)
      await page.locator('body.open').waitFor({ timeout: 60_000 })
      await expect.poll(() => text(page, '#position')).toMatch(/^step 5 \//)
      // The steps pane is a virtualised list: it stands for every step, holds the rows in view.
      const rows = await page.locator('#steps .vrow').count()
      const height = await page
        .locator('#steps .vlist-spacer')
        .evaluate((el) => el.getBoundingClientRect().height)
      const total = Number(/\/ (\d+)/.exec(await text(page, '#position'))![1])
      expect(height).toBe(total * 18)
      expect(rows).toBeGreaterThan(5)
      expect(rows).toBeLessThan(100)
      await page.keyboard.press('>')
      await expect.poll(() => text(page, '#position')).toMatch(/^end/)
      await page.close()
    } finally {
      await preloaded.close()
    }
  })
})
