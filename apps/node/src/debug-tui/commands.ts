import { type BreakpointSpec, type Command, KEYS, type StepView } from '@crucible/debug-session'

/** The key map, shared with the web page (`@crucible/debug-session`'s KEYS): the help screen and the README's table. */
export { KEYS }

/** The `:` commands (and line-mode lines), for the help screen. */
export const COMMAND_HELP: readonly string[] = [
  ':goto N  (or :N)            step N        :info  :breakpoints  :delete ID',
  ':break pc 0x1a [ADDRESS]    :break opcode SLOAD (or :break SLOAD)',
  ':break sstore [SLOT] [address=A old=V new=V]   :break sload|tstore [SLOT]',
  ':break call [ADDRESS]  :break create  :break revert  :break log [TOPIC0|* ...]',
  ':json {"cmd":...}           any protocol request, answered as JSON',
]

function keyName(k: string): string {
  return k.length === 1 ? k : `<${k}>`
}

export const HELP_LINES: readonly string[] = [
  ...KEYS.map((k) => `${k.keys.map(keyName).join(' ').padEnd(12)} ${k.help}`),
  '',
  ...COMMAND_HELP,
]

/** What a line (or key) asks for. */
export type Action =
  | { kind: 'request'; request: Command }
  | { kind: 'quit' }
  | { kind: 'help' }
  /** Step by opcode / by source line (key m). */
  | { kind: 'granularity' }
  | { kind: 'json'; text: string }
  | { kind: 'none' }
  | { kind: 'error'; message: string }

/** Where a breakpoint without an address goes: the current frame's code. */
export interface CommandContext {
  view: StepView | undefined
}

const KINDS = new Set(['pc', 'opcode', 'op', 'call', 'create', 'revert', 'sstore', 'sload', 'tstore', 'log'])
const HEX = /^0x[0-9a-fA-F]+$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/

function number(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text)
  if (HEX.test(text)) return Number.parseInt(text.slice(2), 16)
  return undefined
}

/** `:break …` → a breakpoint spec, or an error message. */
export function parseBreakpoint(args: readonly string[], ctx: CommandContext): BreakpointSpec | string {
  const [first, ...rest] = args
  if (first === undefined) return 'break what? (pc, opcode, sstore, sload, tstore, call, create, revert, log)'
  const kind = first.toLowerCase()
  const named: Record<string, string> = {}
  const positional: string[] = []
  for (const a of rest) {
    const eq = a.indexOf('=')
    if (eq > 0) named[a.slice(0, eq).toLowerCase()] = a.slice(eq + 1)
    else positional.push(a)
  }
  const frame = ctx.view?.frame
  const codeAddress = ctx.view?.disassembly?.address ?? frame?.codeAddress
  const checkHex = (v: string | undefined, what: string) =>
    v === undefined || HEX.test(v) ? undefined : `${what} must be 0x-hex (got ${v})`
  const addressOf = (v: string | undefined) =>
    v === undefined || ADDRESS.test(v) ? undefined : `not an address: ${v}`
  if (!KINDS.has(kind)) {
    // `:break SLOAD`: any other word is an opcode.
    if (/^[a-z0-9]+$/i.test(first)) return { kind: 'opcode', opcode: first.toUpperCase() }
    return `unknown breakpoint kind ${first}`
  }
  switch (kind) {
    case 'pc': {
      const pc = positional[0] === undefined ? undefined : number(positional[0])
      if (pc === undefined) return 'break pc needs a pc (0x1a or 26)'
      const address = positional[1] ?? named.address ?? codeAddress
      if (address === undefined) return 'break pc needs an address (none is executing)'
      const bad = addressOf(address)
      if (bad) return bad
      const initcode =
        positional[1] === undefined && named.address === undefined && ctx.view?.disassembly?.initcode === true
      return initcode ? { kind: 'pc', address, pc, initcode } : { kind: 'pc', address, pc }
    }
    case 'opcode':
    case 'op': {
      const op = positional[0]
      if (op === undefined) return 'break opcode needs a mnemonic or a byte'
      return { kind: 'opcode', opcode: HEX.test(op) ? Number.parseInt(op.slice(2), 16) : op.toUpperCase() }
    }
    case 'call':
    case 'create': {
      const address = positional[0] ?? named.address
      const bad = addressOf(address)
      if (bad) return bad
      const spec: BreakpointSpec = { kind: 'call' }
      if (address) spec.address = address
      if (kind === 'create') spec.create = true
      return spec
    }
    case 'revert':
      return { kind: 'revert' }
    case 'sstore':
    case 'sload':
    case 'tstore': {
      const slot = positional[0] ?? named.slot
      const address = named.address
      const bad =
        checkHex(slot, 'slot') ??
        addressOf(address) ??
        (kind === 'sstore' ? (checkHex(named.old, 'old') ?? checkHex(named.new, 'new')) : undefined)
      if (bad) return bad
      const spec: { kind: typeof kind; address?: string; slot?: string; old?: string; new?: string } = {
        kind,
      }
      if (address) spec.address = address
      if (slot) spec.slot = slot
      if (kind === 'sstore') {
        if (named.old) spec.old = named.old
        if (named.new) spec.new = named.new
      }
      return spec as BreakpointSpec
    }
    case 'log': {
      const topics = positional.map((t) => (t === '*' || t === '_' ? null : t))
      const bad = topics
        .map((t) => (t === null ? undefined : checkHex(t, 'topic')))
        .find((m) => m !== undefined)
      if (bad) return bad
      const bad2 = addressOf(named.address)
      if (bad2) return bad2
      const spec: { kind: 'log'; address?: string; topics?: (string | null)[] } = { kind: 'log' }
      if (named.address) spec.address = named.address
      if (topics.length > 0) spec.topics = topics
      return spec
    }
  }
  return `unknown breakpoint kind ${first}`
}

/**
 * One line of line mode, or a `:` command of the terminal UI (without the colon): a key's
 * letter, a command word, `goto N`, `break …`, `delete ID`, `json {…}`.
 */
export function parseLine(line: string, ctx: CommandContext): Action {
  const text = line.trim()
  if (text === '' || text.startsWith('#')) return { kind: 'none' }
  const [word, ...args] = text.split(/\s+/) as [string, ...string[]]
  const entry = KEYS.find((k) => (word.length === 1 ? k.keys.includes(word) : k.words.includes(word)))
  if (entry?.cmd) return { kind: 'request', request: { cmd: entry.cmd } as Command }
  if (/^\d+$/.test(word) && args.length === 0)
    return { kind: 'request', request: { cmd: 'goto', step: Number(word) } }
  switch (word) {
    case 'q':
    case 'quit':
    case 'exit':
      return { kind: 'quit' }
    case '?':
    case 'h':
    case 'help':
      return { kind: 'help' }
    case 'm':
    case 'mode':
      return { kind: 'granularity' }
    case 'g':
    case 'goto': {
      const step = args[0] === undefined ? undefined : number(args[0])
      if (step === undefined) return { kind: 'error', message: 'goto needs a step number' }
      return { kind: 'request', request: { cmd: 'goto', step } }
    }
    case 'b':
    case 'break': {
      if (args.length === 0 && word === 'b') {
        const v = ctx.view
        if (v?.pc === undefined || v.disassembly === undefined)
          return { kind: 'error', message: 'no current pc (at the end)' }
        const spec: BreakpointSpec = { kind: 'pc', address: v.disassembly.address, pc: v.pc }
        if (v.disassembly.initcode) spec.initcode = true
        return { kind: 'request', request: { cmd: 'break', breakpoint: spec } }
      }
      const spec = parseBreakpoint(args, ctx)
      if (typeof spec === 'string') return { kind: 'error', message: spec }
      return { kind: 'request', request: { cmd: 'break', breakpoint: spec } }
    }
    case 'd':
    case 'delete': {
      const id = args[0] === undefined ? undefined : number(args[0])
      if (id === undefined) return { kind: 'error', message: 'delete needs a breakpoint id' }
      return { kind: 'request', request: { cmd: 'delete', id } }
    }
    case 'bl':
    case 'breakpoints':
      return { kind: 'request', request: { cmd: 'breakpoints' } }
    case 'info':
      return { kind: 'request', request: { cmd: 'info' } }
    case 'view':
      return { kind: 'request', request: { cmd: 'view' } }
    case 'json':
      return { kind: 'json', text: text.slice(4).trim() }
  }
  return { kind: 'error', message: `unknown command ${word} (? for help)` }
}
