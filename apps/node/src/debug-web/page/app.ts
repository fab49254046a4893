/// <reference lib="dom" />
// The web debugger's page: a thin client of the debug-session protocol. The engine runs in a
// Web Worker (worker.ts); this file only sends requests and draws the views that come back.
import {
  type BreakpointSpec,
  bindingOfKey,
  type CallView,
  type Granularity,
  KEYS,
  type Request,
  type Response,
  type SessionInfo,
  type SourcesInfo,
  type SourceText,
  STEP_COMMANDS,
  type StepSummary,
  type StepView,
} from '@crucible/debug-session'
import type { WebInput, WorkerAnswer } from './messages.js'
import { VirtualList } from './virtual-list.js'

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
const short = (hex: string, n = 10) =>
  hex.length > 2 + 2 * n ? `${hex.slice(0, 2 + n)}…${hex.slice(-6)}` : hex
const ROW = 18
const STEPS_PAGE = 256
const MEMORY_ROWS_PAGE = 128

const worker = new Worker('/worker.js', { type: 'module' })
let nextId = 1
const pending = new Map<number, (r: Response) => void>()
let opened: ((a: WorkerAnswer) => void) | undefined

worker.onmessage = (event: MessageEvent<WorkerAnswer>) => {
  const a = event.data
  if (a.type === 'response') {
    const id = a.response.id as number
    pending.get(id)?.(a.response)
    pending.delete(id)
  } else opened?.(a)
}

function send(request: Request): Promise<Response> {
  const id = nextId++
  return new Promise((resolve) => {
    pending.set(id, resolve)
    worker.postMessage({ type: 'request', id, request })
  })
}

async function ask<T>(request: Request): Promise<T> {
  const r = await send(request)
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.result as T
}

// ---- State --------------------------------------------------------------------------------

let info: SessionInfo | undefined
let sources: SourcesInfo | undefined
let view: StepView | undefined
let calls: CallView[] = []
let granularity: Granularity = 'opcode'
let breakpoints: { id: number; breakpoint: BreakpointSpec }[] = []
const texts = new Map<number, string[]>()
let shownFile = -1
const stepPages = new Map<number, StepSummary[] | 'loading'>()
let memoryRows = new Map<number, string | 'loading'>()
let memoryStep = -1

function status(text: string, error = false): void {
  const s = $('status')
  s.textContent = text
  s.className = error ? 'error' : ''
}

// ---- Opening ------------------------------------------------------------------------------

let capsuleFile: { name: string; bytes: ArrayBuffer; select?: { index?: number; hash?: string } } | undefined
/** A bytecode / state-test case the server was started with. */
let preset: { name: string; input: WebInput } | undefined
let sourcesFile: { name: string; text: string } | undefined

async function open(): Promise<void> {
  const what = capsuleFile ?? preset
  if (what === undefined) {
    status(
      'Pick a capsule file (or drop it here); a sources file (solc standard-JSON input+output) is optional.',
    )
    return
  }
  status(`Opening ${what.name}${sourcesFile ? ` with ${sourcesFile.name}` : ''}…`)
  const input: WebInput =
    capsuleFile !== undefined
      ? {
          kind: 'capsule',
          bytes: capsuleFile.bytes.slice(0),
          ...(capsuleFile.select ? { select: capsuleFile.select } : {}),
        }
      : preset!.input
  const answer = await new Promise<WorkerAnswer>((resolve) => {
    opened = resolve
    worker.postMessage({ type: 'open', input, ...(sourcesFile ? { sources: sourcesFile.text } : {}) })
  })
  if (answer.type !== 'opened') {
    status(
      answer.type === 'error'
        ? `${answer.code}: ${answer.message} ${JSON.stringify(answer.details)}`
        : 'failed',
      true,
    )
    return
  }
  info = answer.info
  sources = answer.sources
  texts.clear()
  shownFile = -1
  stepPages.clear()
  breakpoints = []
  calls = await ask<CallView[]>({ cmd: 'callTree' })
  if (sources !== undefined) granularity = 'source'
  steps.setCount(info.totalSteps)
  document.body.classList.add('open')
  $('title').textContent = `${what.name} — ${info.label}`
  status(
    `${info.totalSteps} steps, ${info.calls} calls, ${info.result.outcome}; opened in ${answer.ms} ms${sources ? `; ${sources.files.length} source files` : ''}`,
  )
  renderBreakpoints()
  await go({ cmd: 'goto', step: stepFromHash() ?? 0 })
}

function stepFromHash(): number | undefined {
  const m = /(?:^#|&)step=(\d+)/.exec(location.hash)
  return m === null ? undefined : Number(m[1])
}

async function readFile(file: File): Promise<void> {
  const bytes = await file.arrayBuffer()
  const head = new Uint8Array(bytes.slice(0, 1))[0]
  // A sources file is JSON text; a capsule is binary.
  if (head === 0x7b || head === 0x5b) sourcesFile = { name: file.name, text: new TextDecoder().decode(bytes) }
  else {
    capsuleFile = { name: file.name, bytes }
    preset = undefined
  }
}

async function openFiles(files: FileList | null): Promise<void> {
  for (const f of Array.from(files ?? [])) await readFile(f)
  await open()
}

// ---- Navigation ---------------------------------------------------------------------------

let busy = false

async function go(request: Request): Promise<void> {
  if (info === undefined || busy) return
  busy = true
  const t0 = performance.now()
  try {
    const r = await send(request)
    if (!r.ok) {
      status(`${r.error.code}: ${r.error.message}`, true)
      return
    }
    view = r.result as StepView
    await render()
    const ms = Math.round(performance.now() - t0)
    $('timing').textContent = `${request.cmd} ${ms} ms`
    history.replaceState(null, '', `#step=${view.step}`)
  } finally {
    busy = false
  }
}

function stepRequest(cmd: string): Request {
  return (STEP_COMMANDS.has(cmd) ? { cmd, granularity } : { cmd }) as Request
}

// ---- Rendering ----------------------------------------------------------------------------

async function render(): Promise<void> {
  const v = view!
  $('position').textContent = v.atEnd ? `end (${v.totalSteps} steps)` : `step ${v.step} / ${v.totalSteps}`
  $('mode').textContent = granularity === 'source' ? 'by line (m)' : 'by opcode (m)'
  await renderSource(v)
  renderDisassembly(v)
  renderStack(v)
  renderStorage(v)
  renderData(v)
  renderCalls(v)
  if (memoryStep !== v.step) {
    memoryRows = new Map()
    memoryStep = v.step
  }
  memory.setCount(Math.ceil((v.memory?.size ?? 0) / 32))
  const focus = v.memory?.writes[0] ?? v.memory?.reads[0]
  if (focus !== undefined) memory.reveal(Math.floor(focus.offset / 32))
  $('memory-title').textContent = `Memory (${v.memory?.size ?? 0} bytes)`
  steps.refresh()
  if (!v.atEnd) steps.reveal(v.step)
}

async function fileText(id: number): Promise<string[]> {
  let t = texts.get(id)
  if (t === undefined) {
    t = (await ask<SourceText>({ cmd: 'source', file: id })).content.split('\n')
    texts.set(id, t)
  }
  return t
}

async function renderSource(v: StepView): Promise<void> {
  const note = $('source-note')
  const s = v.source
  if (sources === undefined) {
    note.textContent =
      'No sources loaded: the opcode view only. Open a sources file (solc standard-JSON input+output).'
    sourceList.setCount(0)
    $('source-title').textContent = 'Source'
    return
  }
  if (s === undefined || !s.known) {
    note.textContent = v.atEnd
      ? 'At the end of the transaction.'
      : `Location unknown: ${s?.reason ?? 'no frame'} — see the opcodes.`
    note.className = 'note warn'
    document.body.classList.add('no-source')
    shownFile = -1
    sourceList.setCount(0)
    return
  }
  document.body.classList.remove('no-source')
  const lines = await fileText(s.file)
  $('source-title').textContent =
    `${s.path}:${s.line}${s.function ? ` — ${s.function}` : ''}${s.creation ? ' (constructor)' : ''}`
  note.textContent = s.coarse
    ? 'The compiler only says "in this contract" here (shared or dispatcher code).'
    : ''
  note.className = 'note'
  if (shownFile !== s.file) {
    shownFile = s.file
    sourceLines = lines
    sourceList.setCount(lines.length)
  }
  currentLine = { from: s.line, to: s.coarse ? s.line : s.endLine }
  sourceList.reveal(s.line - 1)
}

let sourceLines: string[] = []
let currentLine = { from: -1, to: -1 }

function lineBreakpoint(line: number): number | undefined {
  const path = sources?.files[shownFile]?.path
  return breakpoints.find(
    (b) =>
      b.breakpoint.kind === 'line' &&
      b.breakpoint.line === line &&
      (b.breakpoint.file === path || b.breakpoint.file === shownFile),
  )?.id
}

function renderDisassembly(v: StepView): void {
  const d = v.disassembly
  if (d === undefined) {
    $('disasm').innerHTML = '<div class="dim">—</div>'
    return
  }
  $('disasm-title').textContent = `Code ${short(d.address, 6)}${d.initcode ? ' (initcode)' : ''}`
  $('disasm').innerHTML = d.lines
    .map(
      (l, i) =>
        `<div class="${i === d.current ? 'current' : ''}"><span class="pc">${l.pc.toString(16).padStart(4, '0')}</span> ${l.name}${l.immediate ? ` <span class="imm">${short(l.immediate, 12)}</span>` : ''}</div>`,
    )
    .join('')
  // Keep the current instruction in the middle of the pane.
  const box = $('disasm')
  const current = box.children[d.current] as HTMLElement | undefined
  if (current !== undefined)
    box.scrollTop = Math.max(0, current.offsetTop - box.offsetTop - box.clientHeight / 2)
}

function renderStack(v: StepView): void {
  const s = v.stack
  if (s === undefined) {
    $('stack').innerHTML = '<div class="dim">—</div>'
    return
  }
  const items = [...s.items].reverse()
  $('stack-title').textContent =
    `Stack (${items.length})${v.opName ? ` — ${v.opName} takes ${s.operands}` : ''}`
  $('stack').innerHTML =
    items
      .map(
        (w, i) =>
          `<div class="${i < s.operands ? 'operand' : ''}"><span class="pc">${i}</span> ${esc(w)}</div>`,
      )
      .join('') || '<div class="dim">empty</div>'
}

function renderStorage(v: StepView): void {
  const rows = v.storage.map(
    (s) =>
      `<tr class="${s.current !== s.new ? 'changed' : ''}"><td>${short(s.address, 4)}</td><td>${esc(short(s.key, 8))}</td><td>${esc(short(s.original, 8))}</td><td>${esc(short(s.current, 8))}</td><td>${esc(short(s.new, 8))}</td></tr>`,
  )
  $('storage').innerHTML = rows.length
    ? `<table><tr><th>account</th><th>slot</th><th>original</th><th>current</th><th>new</th></tr>${rows.join('')}</table>`
    : '<div class="dim">no slot touched yet</div>'
}

const argText = (args: { name: string; value: unknown }[]) =>
  args.map((a) => `${esc(a.name || '_')}=${esc(JSON.stringify(a.value))}`).join(', ')

function renderData(v: StepView): void {
  const parts: string[] = []
  if (v.calldata) {
    const d = v.calldata.decoded
    parts.push(
      `<div><b>calldata</b> ${d ? `${esc(d.function)} (${argText(d.args)})` : `${v.calldata.length} bytes ${esc(short(v.calldata.data, 16))}`}</div>`,
    )
  }
  if (v.returnData && v.returnData.length > 0) {
    const r = v.returnData
    parts.push(
      `<div><b>return data</b> ${r.revert ? `revert: ${esc(r.revert.reason)}` : r.decoded ? argText(r.decoded) : esc(short(r.data, 16))}</div>`,
    )
  }
  for (const log of v.logs)
    parts.push(
      `<div class="${log.removed ? 'removed' : ''}"><b>log</b> @${log.step} ${short(log.address, 4)} ${log.decoded ? `${esc(log.decoded.event)} (${argText(log.decoded.args)})` : `${log.topics.length} topics`}</div>`,
    )
  const res = v.result
  parts.push(
    `<div><b>result</b> ${res.outcome}, gas ${BigInt(res.gasUsed)}${res.revert ? `, revert: <span class="bad">${esc(res.revert.reason)}</span>${res.revert.args ? ` (${argText(res.revert.args)})` : ''}` : ''}${res.decoded ? `, returns ${argText(res.decoded)}` : ''}</div>`,
  )
  $('data').innerHTML = parts.join('')
}

function renderCalls(v: StepView): void {
  const current = v.frame?.call ?? -1
  $('calls').innerHTML = calls
    .map(
      (c) =>
        `<div class="call ${c.id === current ? 'current' : ''} ${c.outcome !== 'success' ? 'failed' : ''}" data-step="${c.firstStep}" style="padding-left:${c.depth * 14 + 4}px">${esc(c.kind)} ${c.contract ? `${esc(c.contract)}.` : ''}${esc(c.function ?? c.selector ?? '')} <span class="dim">${short(c.to, 4)} gas ${c.gasUsed} (own ${c.exclusiveGas})</span>${c.revert ? ` <span class="bad">${esc(c.revert.reason)}</span>` : c.outcome !== 'success' ? ` <span class="bad">${c.outcome}</span>` : ''}</div>`,
    )
    .join('')
}

function renderBreakpoints(): void {
  $('breakpoints').innerHTML =
    breakpoints
      .map((b) => {
        const s = b.breakpoint
        const text =
          s.kind === 'line'
            ? `line ${sources?.files.find((f) => f.path === s.file)?.path ?? s.file}:${s.line}`
            : JSON.stringify(s)
        return `<div>#${b.id} ${esc(text)} <button type="button" data-delete="${b.id}" title="delete">✕</button></div>`
      })
      .join('') || '<div class="dim">none (b, or click a line number)</div>'
  sourceList.refresh()
}

async function toggleBreakpoint(
  spec: BreakpointSpec | undefined,
  existing: number | undefined,
): Promise<void> {
  if (existing !== undefined) await ask({ cmd: 'delete', id: existing })
  else if (spec !== undefined) await ask({ cmd: 'break', breakpoint: spec })
  breakpoints = await ask({ cmd: 'breakpoints' })
  renderBreakpoints()
}

async function breakHere(): Promise<void> {
  const v = view
  if (v === undefined || v.atEnd) return
  const s = v.source
  if (s?.known && s.coarse !== true) {
    await toggleBreakpoint({ kind: 'line', file: s.path, line: s.line }, lineBreakpoint(s.line))
    return
  }
  await toggleBreakpoint(
    { kind: 'pc', address: v.disassembly!.address, pc: v.pc!, initcode: v.disassembly!.initcode },
    undefined,
  )
}

// ---- Lists --------------------------------------------------------------------------------

const sourceList = new VirtualList(
  $('source-lines'),
  ROW,
  (i) => {
    const n = i + 1
    const bp = lineBreakpoint(n) !== undefined
    return `<span class="gutter${bp ? ' bp' : ''}" data-line="${n}">${n}</span><span class="code">${esc(sourceLines[i] ?? '')}</span>`
  },
  undefined,
  (i) => (i + 1 >= currentLine.from && i + 1 <= currentLine.to ? 'current' : ''),
)

const steps = new VirtualList(
  $('steps'),
  ROW,
  (i) => {
    const page = stepPages.get(Math.floor(i / STEPS_PAGE))
    if (page === undefined || page === 'loading') return undefined
    const s = page[i % STEPS_PAGE]
    if (s === undefined) return ''
    return `<span class="pc">${s.step}</span> ${'·'.repeat(s.depth)}${s.pc.toString(16).padStart(4, '0')} ${s.opName} <span class="dim">gas ${s.gas} −${s.gasCost}</span>`
  },
  (from, to) => {
    for (let p = Math.floor(from / STEPS_PAGE); p <= Math.floor((to - 1) / STEPS_PAGE); p++) {
      if (stepPages.has(p)) continue
      stepPages.set(p, 'loading')
      void ask<StepSummary[]>({ cmd: 'steps', from: p * STEPS_PAGE, count: STEPS_PAGE }).then((list) => {
        stepPages.set(p, list)
        steps.refresh()
      })
    }
  },
  (i) => (view !== undefined && i === view.step ? 'current' : ''),
)

const memory = new VirtualList(
  $('memory'),
  ROW,
  (i) => {
    const row = memoryRows.get(i)
    if (row === undefined || row === 'loading') return undefined
    return row
  },
  (from, to) => {
    const start = Math.floor(from / MEMORY_ROWS_PAGE) * MEMORY_ROWS_PAGE
    if (memoryRows.has(start)) return
    for (let i = start; i < start + MEMORY_ROWS_PAGE; i++) memoryRows.set(i, 'loading')
    const forStep = memoryStep
    void ask<{ offset: number; data: string }>({
      cmd: 'memory',
      offset: start * 32,
      length: MEMORY_ROWS_PAGE * 32,
    }).then((m) => {
      if (forStep !== memoryStep) return
      const hex = m.data.slice(2)
      for (let r = 0; r < MEMORY_ROWS_PAGE; r++) {
        const chunk = hex.slice(r * 64, r * 64 + 64)
        if (chunk === '') {
          memoryRows.delete(start + r)
          continue
        }
        memoryRows.set(start + r, memoryRow((start + r) * 32, chunk))
      }
      memory.refresh()
      void to
    })
  },
)

function memoryRow(offset: number, chunk: string): string {
  const v = view
  const mark = (ranges: { offset: number; length: number }[] | undefined, at: number) =>
    (ranges ?? []).some((r) => at >= r.offset && at < r.offset + r.length)
  let out = `<span class="pc">${offset.toString(16).padStart(6, '0')}</span> `
  for (let b = 0; b < 32; b++) {
    const at = offset + b
    const cls = mark(v?.memory?.writes, at) ? 'w' : mark(v?.memory?.reads, at) ? 'r' : ''
    out += `<span class="${cls}">${chunk.slice(2 * b, 2 * b + 2)}</span>${b % 8 === 7 ? ' ' : ''}`
  }
  return out
}

// ---- Input --------------------------------------------------------------------------------

const NAMED: Record<string, string> = {
  ArrowRight: 'right',
  ArrowLeft: 'left',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
}

async function runKey(key: string): Promise<boolean> {
  const b = bindingOfKey(key)
  if (b === undefined) return false
  if (b.cmd !== undefined) await go(stepRequest(b.cmd))
  else if (b.action === 'granularity') {
    granularity = granularity === 'source' ? 'opcode' : 'source'
    if (view) await render()
  } else if (b.action === 'goto') {
    const text = prompt('Go to step')
    if (text !== null && /^\d+$/.test(text.trim())) await go({ cmd: 'goto', step: Number(text.trim()) })
  } else if (b.action === 'break') await breakHere()
  else if (b.action === 'help') $('help').classList.toggle('shown')
  else if (b.action === 'command') {
    const c = $<HTMLInputElement>('command')
    c.classList.add('shown')
    c.focus()
  } else if (b.action === 'quit') status('Close the tab to quit.')
  return true
}

document.addEventListener('keydown', (e) => {
  const target = e.target as HTMLElement
  if (target.tagName === 'INPUT' || e.ctrlKey || e.metaKey || e.altKey) return
  const key = NAMED[e.key] ?? e.key
  if (bindingOfKey(key) === undefined) return
  e.preventDefault()
  void runKey(key)
})

$<HTMLInputElement>('command').addEventListener('keydown', async (e) => {
  const input = e.target as HTMLInputElement
  if (e.key === 'Escape') {
    input.classList.remove('shown')
    input.blur()
  }
  if (e.key !== 'Enter') return
  const text = input.value.trim()
  input.value = ''
  input.classList.remove('shown')
  input.blur()
  if (/^\d+$/.test(text)) return go({ cmd: 'goto', step: Number(text) })
  try {
    const request = JSON.parse(text) as Request
    const r = await send(request)
    if (r.ok && (r.result as StepView)?.totalSteps !== undefined) {
      view = r.result as StepView
      await render()
    } else status(JSON.stringify(r).slice(0, 400), !r.ok)
    breakpoints = await ask({ cmd: 'breakpoints' })
    renderBreakpoints()
  } catch {
    if (!(await runKey(text)))
      status(`Not a command: ${text} (a step number, a key, or a JSON request)`, true)
  }
})

document.addEventListener('click', (e) => {
  const t = e.target as HTMLElement
  const cmd = t.closest<HTMLElement>('[data-cmd]')?.dataset.cmd
  if (cmd !== undefined) return void go(stepRequest(cmd))
  const line = t.closest<HTMLElement>('[data-line]')?.dataset.line
  if (line !== undefined && shownFile >= 0) {
    const n = Number(line)
    const path = sources!.files[shownFile]!.path
    return void toggleBreakpoint({ kind: 'line', file: path, line: n }, lineBreakpoint(n))
  }
  const del = t.closest<HTMLElement>('[data-delete]')?.dataset.delete
  if (del !== undefined) return void toggleBreakpoint(undefined, Number(del))
  const call = t.closest<HTMLElement>('.call')?.dataset.step
  if (call !== undefined) return void go({ cmd: 'goto', step: Number(call) })
  const row = t.closest<HTMLElement>('#steps .vrow')?.dataset.i
  if (row !== undefined) return void go({ cmd: 'goto', step: Number(row) })
  if (t.id === 'mode') return void runKey('m')
})

$<HTMLInputElement>('open-capsule').addEventListener(
  'change',
  (e) => void openFiles((e.target as HTMLInputElement).files),
)
$<HTMLInputElement>('open-sources').addEventListener(
  'change',
  (e) => void openFiles((e.target as HTMLInputElement).files),
)
window.addEventListener('hashchange', () => {
  const step = stepFromHash()
  if (step !== undefined && step !== view?.step) void go({ cmd: 'goto', step })
})
document.addEventListener('dragover', (e) => {
  e.preventDefault()
  document.body.classList.add('dragging')
})
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'))
document.addEventListener('drop', (e) => {
  e.preventDefault()
  document.body.classList.remove('dragging')
  void openFiles(e.dataTransfer?.files ?? null)
})

$('help').innerHTML =
  `<h3>Keys</h3>${KEYS.map((k) => `<div><kbd>${k.keys.map(esc).join('</kbd> <kbd>')}</kbd> ${esc(k.help)}</div>`).join('')}<p class="dim">? closes this. Click a line number for a breakpoint; #step=N in the URL is the position.</p>`

// What the server was started with (crucible debug --web FILE --sources FILE) opens at once.
async function preload(): Promise<void> {
  const [c, s, i, sel] = await Promise.all([
    fetch('/capsule'),
    fetch('/sources'),
    fetch('/input'),
    fetch('/select'),
  ])
  const name = (r: globalThis.Response, fallback: string) =>
    decodeURIComponent(r.headers.get('x-file-name') ?? fallback)
  if (s.ok) sourcesFile = { name: name(s, 'sources.json'), text: await s.text() }
  if (c.ok)
    capsuleFile = {
      name: name(c, 'capsule'),
      bytes: await c.arrayBuffer(),
      ...(sel.ok ? { select: await sel.json() } : {}),
    }
  else if (i.ok) preset = { name: name(i, 'input'), input: await i.json() }
  await open()
}
void preload()
