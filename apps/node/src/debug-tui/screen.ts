import type { CallView, SessionInfo, StepView } from '@crucible/debug-session'
import { HELP_LINES } from './commands.js'

/** A run of text with one look (the terminal UI maps it to ink's Text props; line mode drops it). */
export interface Segment {
  text: string
  bold?: boolean
  inverse?: boolean
  dim?: boolean
  color?: 'red' | 'green' | 'yellow' | 'cyan'
}

/** One terminal row: segments whose text adds up to exactly the screen width. */
export type Row = Segment[]

/** Everything a screen shows; the session answers the rest on demand. */
export interface ScreenModel {
  view: StepView
  info: SessionInfo
  calls: readonly CallView[]
  breakpoints: number
  /** The last answer or error, shown in the footer. */
  message?: { text: string; error?: boolean }
  /** The command line being typed (after `:`), when it is open. */
  prompt?: string
  help?: boolean
}

/** Fits `text` into exactly `width` columns: cut with `..` in the middle-right, or padded. */
export function fit(text: string, width: number): string {
  if (width <= 0) return ''
  if (text.length <= width) return text.padEnd(width)
  if (width <= 2) return text.slice(0, width)
  return `${text.slice(0, width - 2)}..`
}

/** `0xc0dec0…c0de`: an address short enough for a pane. */
export function shortAddress(a: string): string {
  return a.length <= 14 ? a : `${a.slice(0, 6)}..${a.slice(-4)}`
}

/** A word cut to `width` characters (middle elided), for stack items and slot values. */
export function shortWord(w: string, width: number): string {
  if (w.length <= width) return w
  const keep = Math.max(2, width - 2)
  const head = Math.ceil(keep / 2) + 1
  return `${w.slice(0, head)}..${w.slice(w.length - (keep - head))}`
}

const hex = (n: number) => `0x${n.toString(16)}`

/** A pane: a bold title and content rows, each cut to the pane's width. */
function pane(title: string, lines: Row[] | string[], width: number, height: number): Row[] {
  const out: Row[] = [[{ text: fit(title, width), bold: true }]]
  for (const line of lines.slice(0, height - 1))
    out.push(typeof line === 'string' ? [{ text: fit(line, width) }] : fitRow(line, width))
  while (out.length < height) out.push([{ text: ' '.repeat(width) }])
  return out
}

/** Cuts or pads a row of segments to `width` columns. */
function fitRow(row: Row, width: number): Row {
  const out: Row = []
  let left = width
  for (const s of row) {
    if (left <= 0) break
    const text = s.text.length > left ? fit(s.text, left) : s.text
    out.push({ ...s, text })
    left -= text.length
  }
  if (left > 0) out.push({ text: ' '.repeat(left) })
  return out
}

function statusRow(model: ScreenModel, width: number): Row {
  const v = model.view
  const { info } = model
  let text: string
  if (v.atEnd) {
    const r = v.result
    text = ` end ${v.step}/${v.totalSteps} | ${r.outcome}${r.halt ? ` (${r.halt})` : ''} | gas used ${BigInt(r.gasUsed)} | output ${shortWord(r.output, 18)}`
  } else {
    const f = v.frame!
    text =
      ` step ${v.step}/${v.totalSteps} | pc ${hex(v.pc!)} ${v.opName} | gas ${v.gas} cost ${v.gasCost}` +
      ` | depth ${f.depth} | ${shortAddress(f.address)}${v.halt ? ` | halt ${v.halt}` : ''}`
  }
  const right = `${info.fork} ${info.label} `
  const room = width - text.length
  return [{ text: room > right.length + 1 ? text + right.padStart(room) : fit(text, width), inverse: true }]
}

function disassemblyLines(v: StepView, height: number): Row[] {
  const d = v.disassembly
  if (d === undefined) return [[{ text: '(the transaction has ended)' }]]
  // Keep the current instruction a third of the way down.
  const before = Math.min(d.current, Math.floor(height / 3))
  const lines = d.lines.slice(d.current - before, d.current - before + height)
  return lines.map((ins) => {
    const current = ins.pc === v.pc
    const text = `${current ? '>' : ' '}${ins.pc.toString(16).padStart(4, '0')} ${ins.name}${ins.immediate ? ` ${ins.immediate}` : ''}`
    return [current ? { text, inverse: true } : { text }]
  })
}

function stackLines(v: StepView, width: number): Row[] {
  const s = v.stack
  if (s === undefined) return []
  if (s.items.length === 0) return [[{ text: '(empty)', dim: true }]]
  const rows: Row[] = []
  for (let i = s.items.length - 1; i >= 0; i--) {
    const depth = s.items.length - 1 - i
    const operand = depth < s.operands
    const text = `${operand ? '*' : ' '}${String(depth).padStart(3)} ${shortWord(s.items[i]!, width - 5)}`
    rows.push([operand ? { text, color: 'yellow' } : { text }])
  }
  return rows
}

function memoryLines(v: StepView, width: number, height: number): { title: string; rows: Row[] } {
  const m = v.memory
  if (m === undefined) return { title: 'Memory', rows: [] }
  const perRow = width >= 7 + 64 + 3 ? 32 : 16
  const ranges = (rs: { offset: number; length: number }[]) =>
    rs.map((r) => `${hex(r.offset)}+${r.length}`).join(' ')
  const title =
    `Memory ${m.size} B` +
    (m.reads.length ? ` read ${ranges(m.reads)}` : '') +
    (m.writes.length ? ` write ${ranges(m.writes)}` : '')
  if (m.size === 0) return { title, rows: [[{ text: '(empty)', dim: true }]] }
  const data = m.data.slice(2)
  const focus = m.writes[0] ?? m.reads[0]
  let first = focus ? Math.max(m.offset, focus.offset - (focus.offset % perRow)) : m.offset
  const windowEnd = m.offset + data.length / 2
  first = Math.max(m.offset, Math.min(first, windowEnd - perRow * height))
  first -= (first - m.offset) % perRow
  const touches = (rs: { offset: number; length: number }[], a: number) =>
    rs.some((r) => r.length > 0 && r.offset < a + perRow && r.offset + r.length > a)
  const rows: Row[] = []
  for (let a = first; a < windowEnd && rows.length < height; a += perRow) {
    const bytes = data.slice((a - m.offset) * 2, (a - m.offset + perRow) * 2)
    const mark = `${touches(m.reads, a) ? 'r' : ' '}${touches(m.writes, a) ? 'w' : ' '}`
    const text = `${mark}${a.toString(16).padStart(4, '0')} ${bytes}`
    rows.push([mark.trim() ? { text, color: mark.includes('w') ? 'red' : 'cyan' } : { text }])
  }
  return { title, rows }
}

function storageLines(v: StepView, width: number): Row[] {
  const slots = v.storage
  const t = v.transient
  if (slots.length === 0 && t.length === 0) return [[{ text: '(none touched)', dim: true }]]
  const val = Math.max(6, Math.floor((width - 30) / 3))
  // The slot this step writes first, then the rest most recent first.
  const ordered = [...slots]
    .reverse()
    .sort((a, b) => Number(b.new !== b.current) - Number(a.new !== a.current))
  const rows: Row[] = ordered.map((s) => {
    const writing = s.new !== s.current
    const text =
      `${shortAddress(s.address)}[${shortWord(s.key, 10)}] ${shortWord(s.original, val)} ` +
      `${shortWord(s.current, val)}${writing ? ` -> ${shortWord(s.new, val)}` : ''}`
    return [writing ? { text, color: 'red' } : { text }]
  })
  for (const s of t)
    rows.push([
      {
        text: `T ${shortAddress(s.address)}[${shortWord(s.key, 10)}] ${shortWord(s.current, val)}${s.new !== s.current ? ` -> ${shortWord(s.new, val)}` : ''}`,
        dim: true,
      },
    ])
  return rows
}

function callLines(model: ScreenModel, height: number): Row[] {
  const calls = model.calls
  const current = model.view.frame?.call ?? -1
  const index = calls.findIndex((c) => c.id === current)
  const start = Math.max(0, Math.min(index - Math.floor(height / 2), calls.length - height))
  return calls.slice(start, start + height).map((c) => {
    const outcome = c.outcome === 'success' ? 'ok' : c.outcome
    const text =
      `${c.id === current ? '>' : ' '}${'  '.repeat(Math.min(c.depth, 8))}${c.kind} ` +
      `${shortAddress(c.to)} gas ${c.gasUsed} (own ${c.exclusiveGas}) ${outcome}`
    return [
      c.id === current
        ? { text, inverse: true }
        : c.outcome === 'success'
          ? { text }
          : { text, color: 'red' },
    ]
  })
}

function logLines(v: StepView, height: number): Row[] {
  if (v.logs.length === 0) return [[{ text: '(none yet)', dim: true }]]
  return v.logs.slice(-height).map((l) => {
    const text = `@${l.step} LOG${l.topics.length} ${shortAddress(l.address)} ${l.topics.map((t) => shortWord(t, 12)).join(' ')} ${shortWord(l.data, 14)}${l.removed ? ' (undone)' : ''}`
    return [l.removed ? { text, dim: true } : { text }]
  })
}

/** Rows per right-hand pane for a body of `rows` rows (titles included): stack, memory, storage, calls, logs. */
function split(rows: number): number[] {
  const weights = [5, 3, 3, 4, 2]
  const content = rows - weights.length
  const total = weights.reduce((a, b) => a + b, 0)
  const sizes = weights.map((w) => Math.max(0, Math.floor((content * w) / total)))
  sizes[0]! += content - sizes.reduce((a, b) => a + b, 0)
  return sizes.map((s) => s + 1)
}

function helpRows(width: number, height: number): Row[] {
  const rows: Row[] = [[{ text: fit(' Keys (any key closes this help)', width), bold: true }]]
  for (const line of HELP_LINES) rows.push([{ text: fit(` ${line}`, width) }])
  while (rows.length < height) rows.push([{ text: ' '.repeat(width) }])
  return rows.slice(0, height)
}

function footerRow(model: ScreenModel, width: number): Row {
  if (model.prompt !== undefined) return [{ text: fit(`:${model.prompt}_`, width) }]
  const hint = ` ? help | s n o step | S N O back | c C continue | : command | q quit`
  const m = model.message
  if (m === undefined) return [{ text: fit(hint, width), dim: true }]
  return [{ text: fit(` ${m.text}`, width), ...(m.error ? { color: 'red' as const } : { bold: true }) }]
}

/**
 * The whole screen as `height` rows of exactly `width` columns: the status line, the
 * disassembly on the left, stack / memory / storage / calls / logs stacked on the right, and
 * the footer (message, or the command line). Pure: the same model and size give the same rows.
 */
export function renderScreen(model: ScreenModel, width: number, height: number): Row[] {
  width = Math.max(40, width)
  height = Math.max(12, height)
  const body = height - 2
  const rows: Row[] = [statusRow(model, width)]
  if (model.help) rows.push(...helpRows(width, body))
  else {
    const leftWidth = Math.max(24, Math.floor(width * 0.34))
    const rightWidth = width - leftWidth - 1
    const v = model.view
    const left = pane(
      `Code ${v.disassembly ? shortAddress(v.disassembly.address) : ''}${v.disassembly?.initcode ? ' (initcode)' : ''}`,
      disassemblyLines(v, body - 1),
      leftWidth,
      body,
    )
    const [stackH, memH, storH, callH, logH] = split(body) as [number, number, number, number, number]
    const stack = v.stack
    const memory = memoryLines(v, rightWidth, memH - 1)
    const right = [
      ...pane(
        `Stack ${stack ? `${stack.items.length} items, * = operands of ${v.opName}` : ''}`,
        stackLines(v, rightWidth),
        rightWidth,
        stackH,
      ),
      ...pane(memory.title, memory.rows, rightWidth, memH),
      ...pane('Storage [slot] original current -> new', storageLines(v, rightWidth), rightWidth, storH),
      ...pane(`Calls ${model.calls.length} (gas incl., own)`, callLines(model, callH - 1), rightWidth, callH),
      ...pane(`Logs ${v.logs.length}`, logLines(v, logH - 1), rightWidth, logH),
    ]
    for (let i = 0; i < body; i++) rows.push([...left[i]!, { text: '|', dim: true }, ...right[i]!])
  }
  rows.push(footerRow(model, width))
  return rows
}

/** The screen as plain text (line mode, tests): rows joined, trailing spaces cut. */
export function screenText(rows: readonly Row[]): string {
  return rows
    .map((r) =>
      r
        .map((s) => s.text)
        .join('')
        .trimEnd(),
    )
    .join('\n')
}
