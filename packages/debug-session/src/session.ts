import { CALL_KIND_NAMES, Eip3155Tracer, OPCODE_NAMES } from '@crucible/evm'
import { CrucibleError } from '@crucible/primitives'
import {
  type Breakpoint,
  compileBreakpoint,
  type Direction,
  searchIndexed,
  searchScanned,
} from './breakpoints.js'
import { captureStep, type StepCapture, slotsAt } from './capture.js'
import { Engine, type EngineOptions, Pause } from './engine.js'
import { DebugSessionError } from './errors.js'
import type { TransactionCase } from './input.js'
import { address, bytes, word } from './json.js'
import { disassemble, type Instruction, instructionIndex } from './opcodes.js'
import type {
  CallView,
  Command,
  Granularity,
  Request,
  Response,
  SessionInfo,
  SourcesInfo,
  SourceText,
  StepSummary,
} from './protocol.js'
import { loadSources, type SourcesJson } from './source/artifacts.js'
import { lineKey, SourceLevel } from './source/level.js'
import { decorateCalls, decorateStep } from './source/views.js'
import { type AccountDiff, stateDiff } from './state-diff.js'
import type { CallRecord } from './trace-index.js'
import {
  DEFAULT_LIMITS,
  logsBefore,
  resultView,
  type SlotView,
  type StepView,
  stepView,
  transfersBefore,
  type ViewLimits,
} from './views.js'

export interface SessionOptions extends EngineOptions {
  limits?: Partial<ViewLimits>
  /**
   * The solc standard-JSON input and output of the compile(s) of the contracts involved (see
   * {@link SourcesJson}): source lines in the views, source stepping, line and function
   * breakpoints, names and ABI decodings. Costs one more run of the transaction.
   */
  sources?: SourcesJson
}

const MAX_TRACE_LINES = 100_000
const MAX_STEPS_LIST = 10_000

/**
 * A debugging session over one transaction: a position (a step number, or the end), the
 * breakpoints, and every command of the protocol. {@link DebugSession.handle} takes one
 * JSON-able request and returns one JSON-able response (never throws): a terminal UI, a web
 * page or a Web Worker drive it with messages alone.
 */
export class DebugSession {
  readonly engine: Engine
  private position = 0
  private readonly breakpoints = new Map<number, Breakpoint>()
  private nextBreakpoint = 1
  private readonly limits: ViewLimits
  /** The capture of the current position (views are built from it). */
  private current: StepCapture | undefined
  private readonly diff: AccountDiff[]
  private readonly endSlots: SlotView[]
  /** @internal Source level (when sources were given). */
  readonly source: SourceLevel | undefined
  /** Line-index tests of the line and function breakpoints, by breakpoint id. */
  private readonly sourceTests = new Map<number, (entry: number) => boolean>()

  constructor(input: TransactionCase, options: SessionOptions = {}) {
    const sources = options.sources === undefined ? undefined : loadSources(options.sources)
    this.engine = new Engine(input, options)
    this.limits = { ...DEFAULT_LIMITS, ...options.limits }
    // Right after the first pass the engine's state is the post-state: take what the end needs.
    this.diff = stateDiff(this.engine, this.engine.work)
    const total = this.engine.totalSteps
    const slots = slotsAt(this.engine.index, total)
    const originals = new Map<string, bigint>()
    const s = this.engine.index.sstore
    for (let i = s.step.length - 1; i >= 0; i--) originals.set(`${s.address[i]}:${s.key[i]}`, s.old[i]!)
    this.endSlots = slots.storage.map(({ address: a, key }) => {
      const post = this.engine.work.getStorage(a, key)
      const original = originals.get(`${a}:${key}`) ?? post
      return {
        address: address(a),
        key: word(key),
        original: word(original),
        current: word(post),
        new: word(post),
      }
    })
    // After the end-of-transaction facts: the source pass re-runs the transaction.
    this.source = sources === undefined ? undefined : new SourceLevel(this.engine, sources)
  }

  /** The position: the step about to run, or `totalSteps` at the end. */
  get step(): number {
    return this.position
  }

  get totalSteps(): number {
    return this.engine.totalSteps
  }

  /** Handles one request; errors come back as `{ ok: false, error }`. */
  handle(request: Request): Response {
    const id = request.id ?? null
    try {
      return { id, ok: true, result: this.run(request) }
    } catch (error) {
      if (error instanceof CrucibleError)
        return {
          id,
          ok: false,
          error: { code: error.code, message: error.shortMessage, details: jsonSafe(error.details) },
        }
      return {
        id,
        ok: false,
        error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
      }
    }
  }

  /** The same over JSON text (what a Worker's message port or a pipe carries). */
  handleJson(text: string): string {
    let request: Request
    try {
      request = JSON.parse(text) as Request
    } catch {
      return JSON.stringify({ id: null, ok: false, error: { code: 'BAD_COMMAND', message: 'Not JSON' } })
    }
    return JSON.stringify(this.handle(request))
  }

  private run(c: Command): unknown {
    switch (c.cmd) {
      case 'info':
        return this.info()
      case 'view':
        return this.view()
      case 'goto':
        return this.goto(integer(c.step, 'step'))
      case 'start':
        return this.goto(0)
      case 'end':
        return this.goto(this.totalSteps)
      case 'stepInto':
        if (sourceSteps(c.granularity)) return this.sourceStep('into', 1)
        return this.goto(this.position + 1)
      case 'reverseStepInto':
        if (sourceSteps(c.granularity)) return this.sourceStep('into', -1)
        return this.goto(this.position - 1)
      case 'stepOver':
        if (sourceSteps(c.granularity)) return this.sourceStep('over', 1)
        return this.goto(this.stepOverTarget())
      case 'reverseStepOver':
        if (sourceSteps(c.granularity)) return this.sourceStep('over', -1)
        return this.goto(this.reverseStepOverTarget())
      case 'stepOut':
        if (sourceSteps(c.granularity)) return this.sourceStep('out', 1)
        return this.goto(this.stepOutTarget())
      case 'reverseStepOut':
        if (sourceSteps(c.granularity)) return this.sourceStep('out', -1)
        return this.goto(this.reverseStepOutTarget())
      case 'continue':
        return this.goto(this.search(1) ?? this.totalSteps)
      case 'reverseContinue':
        return this.goto(this.search(-1) ?? 0)
      case 'nextCall':
        return this.goto(this.callStep(1) ?? this.totalSteps)
      case 'previousCall':
        return this.goto(this.callStep(-1) ?? 0)
      case 'revert':
        return this.goto(this.revertStep())
      case 'break': {
        const bp = compileBreakpoint(this.nextBreakpoint, c.breakpoint)
        const test = this.sourceTest(bp)
        this.nextBreakpoint++
        if (test !== undefined) this.sourceTests.set(bp.id, test)
        this.breakpoints.set(bp.id, bp)
        return { id: bp.id, breakpoint: bp.spec }
      }
      case 'delete':
        if (!this.breakpoints.delete(integer(c.id, 'id')))
          throw new DebugSessionError('UNKNOWN_BREAKPOINT', 'No breakpoint with this id', { id: c.id })
        this.sourceTests.delete(c.id)
        return { deleted: c.id }
      case 'breakpoints':
        return [...this.breakpoints.values()].map((b) => ({ id: b.id, breakpoint: b.spec }))
      case 'memory':
        return this.memory(integer(c.offset, 'offset'), integer(c.length, 'length'))
      case 'disassembly':
        return this.disassembly(c.from, c.count)
      case 'callTree':
        return this.callTree()
      case 'stateDiff':
        return this.diff
      case 'trace':
        return { lines: this.trace(integer(c.from, 'from'), integer(c.to, 'to'), c.memory === true) }
      case 'steps':
        return this.steps(integer(c.from, 'from'), integer(c.count, 'count'))
      case 'sources':
        return this.sourcesInfo()
      case 'source':
        return this.sourceText(c.file)
      default:
        throw new DebugSessionError('BAD_COMMAND', 'Unknown command', { cmd: (c as { cmd?: unknown }).cmd })
    }
  }

  info(): SessionInfo {
    const e = this.engine
    return {
      label: e.input.label,
      fork: e.input.fork,
      totalSteps: e.totalSteps,
      calls: e.index.calls.length,
      checkpoints: e.checkpoints.length,
      firstPassMs: Math.round(e.firstPassMs),
      bytes: e.byteSize(),
      result: resultView(e.result),
    }
  }

  /** Moves to `step` (clamped to [0, total]) and returns the view there. */
  goto(step: number): StepView {
    const target = Math.max(0, Math.min(this.totalSteps, step))
    if (target !== this.position || (this.current === undefined && target < this.totalSteps)) {
      this.position = target
      this.current = target < this.totalSteps ? captureStep(this.engine, target) : undefined
    }
    return this.view()
  }

  view(): StepView {
    if (this.position < this.totalSteps) {
      this.current ??= captureStep(this.engine, this.position)
      const view = stepView(this.engine, this.current, this.limits)
      decorateStep(this.source, this.engine, view, this.current)
      return view
    }
    const view: StepView = {
      step: this.totalSteps,
      totalSteps: this.totalSteps,
      atEnd: true,
      storage: this.endSlots,
      transient: [],
      logs: logsBefore(this.engine, this.totalSteps, this.limits.events),
      transfers: transfersBefore(this.engine, this.totalSteps, this.limits.events),
      result: resultView(this.engine.result),
    }
    decorateStep(this.source, this.engine, view, undefined)
    return view
  }

  // ---- Source level ---------------------------------------------------------------------

  private needSources(): SourceLevel {
    if (this.source === undefined)
      throw new DebugSessionError(
        'BAD_COMMAND',
        'No sources loaded (give the solc standard-JSON input and output)',
      )
    return this.source
  }

  private sourceStep(kind: 'into' | 'over' | 'out', dir: 1 | -1): StepView {
    const target = this.needSources().stepTarget(this.position, kind, dir)
    return this.goto(target ?? (dir === 1 ? this.totalSteps : 0))
  }

  /** The line-index test of a line or function breakpoint (undefined for the other kinds). */
  private sourceTest(bp: Breakpoint): ((entry: number) => boolean) | undefined {
    const spec = bp.spec
    if (spec.kind !== 'line' && spec.kind !== 'function') return undefined
    const level = this.needSources()
    const lines = level.lines
    if (spec.kind === 'line') {
      const key = lineKey(level.fileId(spec.file), spec.line)
      return (i) => lines.key[i] === key
    }
    const ranges = level.functionsNamed(spec.name)
    if (ranges.size === 0)
      throw new DebugSessionError('BAD_COMMAND', 'No function or modifier with this name in the sources', {
        name: spec.name,
      })
    return (i) => ranges.has(lines.entered[i]!)
  }

  private sourcesInfo(): SourcesInfo {
    const level = this.needSources()
    return {
      files: level.sources.files.map((f) => ({
        id: f.id,
        path: f.path,
        language: f.language,
        generated: f.generated,
        lines: f.lineStarts.length,
      })),
      contracts: level.sources.contracts.map((c) => ({ name: c.name, path: c.path })),
      calls: level.calls.map((s, call) => {
        const m = s?.match
        if (m === undefined) return { call, creation: false, reason: 'no code ran' }
        return m.artifact === undefined
          ? { call, creation: s!.creation, reason: m.reason }
          : { call, creation: s!.creation, contract: m.artifact.contract.name }
      }),
    }
  }

  private sourceText(file: unknown): SourceText {
    const level = this.needSources()
    const f = level.sources.files[level.fileId(integer(file, 'file'))]!
    return { id: f.id, path: f.path, language: f.language, generated: f.generated, content: f.content }
  }

  // ---- Navigation targets ---------------------------------------------------------------

  private callHere(): CallRecord {
    return this.engine.index.callAt(this.position)
  }

  /** The child call started by the step at `step`, when it ran code. */
  private childStartedAt(step: number): CallRecord | undefined {
    const c = this.engine.index.callAt(step)
    for (let i = c.children.length - 1; i >= 0; i--) {
      const child = this.engine.index.calls[c.children[i]!]!
      if (child.callerStep === step) return child
      if (child.callerStep < step) break
    }
    return undefined
  }

  private stepOverTarget(): number {
    if (this.position >= this.totalSteps) return this.totalSteps
    const child = this.childStartedAt(this.position)
    return child !== undefined && child.endStep > this.position + 1 ? child.endStep : this.position + 1
  }

  private reverseStepOverTarget(): number {
    const p = this.position
    if (p === 0) return 0
    // Coming back from a call: stop at the CALL step, not inside the callee.
    const here = this.engine.index.callAt(p)
    const before = this.engine.index.callAt(p - 1)
    if (before.id !== here.id && before.depth > here.depth) {
      let c = before
      while (c.parent >= 0 && this.engine.index.calls[c.parent]!.id !== here.id)
        c = this.engine.index.calls[c.parent]!
      if (c.parent === here.id) return c.callerStep
    }
    return p - 1
  }

  private stepOutTarget(): number {
    if (this.position >= this.totalSteps) return this.totalSteps
    const c = this.callHere()
    return c.parent < 0 ? this.totalSteps : c.endStep
  }

  private reverseStepOutTarget(): number {
    if (this.position >= this.totalSteps) {
      // From the end: back into the last step of the transaction's frame.
      return Math.max(0, this.totalSteps - 1)
    }
    const c = this.callHere()
    return c.parent < 0 ? 0 : c.callerStep
  }

  private callStep(dir: Direction): number | undefined {
    const found = searchIndexed(this.engine, compileBreakpoint(0, { kind: 'call' }), this.position, dir)
    return found === undefined || found < 0 ? undefined : found
  }

  /**
   * The step that caused the failure: when the transaction failed, follow the failing calls
   * down from its frame (the last failing child before each failure) to the first frame that
   * failed by itself, and take its REVERT or halting step; when it succeeded, the first revert
   * or halt anywhere.
   */
  private revertStep(): number {
    const calls = this.engine.index.calls
    const root = calls[0]
    if (root === undefined) throw new DebugSessionError('NO_REVERT', 'Nothing ran')
    if (root.outcome !== 0) {
      let c = root
      for (;;) {
        const failed = c.children
          .map((id) => calls[id]!)
          .filter((k) => k.outcome !== 0 && (c.lastStep < 0 || k.endStep <= c.lastStep))
        const last = failed[failed.length - 1]
        if (last === undefined || last.lastStep < 0) break
        c = last
      }
      if (c.lastStep >= 0) return c.lastStep
    }
    const first = calls
      .filter((c) => c.outcome !== 0 && c.lastStep >= 0)
      .sort((a, b) => a.lastStep - b.lastStep)[0]
    if (first === undefined) throw new DebugSessionError('NO_REVERT', 'No frame reverted or halted')
    return first.lastStep
  }

  /** The nearest breakpoint match in `dir`, undefined when none. */
  private search(dir: Direction): number | undefined {
    const from = this.position
    let best = -1
    const scanned: Breakpoint[] = []
    for (const bp of this.breakpoints.values()) {
      const test = this.sourceTests.get(bp.id)
      const s =
        test !== undefined ? this.source!.search(from, dir, test) : searchIndexed(this.engine, bp, from, dir)
      if (s === undefined) scanned.push(bp)
      else if (s >= 0 && (best < 0 || (dir === 1 ? s < best : s > best))) best = s
    }
    if (scanned.length > 0 && this.totalSteps > 0) {
      const bound = best >= 0 ? best : dir === 1 ? this.totalSteps : -1
      const s = searchScanned(this.engine, scanned, from, dir, bound)
      if (s >= 0) best = s
    }
    return best >= 0 ? best : undefined
  }

  // ---- Other panes ----------------------------------------------------------------------

  private frame() {
    if (this.position >= this.totalSteps) return undefined
    this.current ??= captureStep(this.engine, this.position)
    const frames = this.current.machine.frames
    return frames[frames.length - 1]!
  }

  private memory(offset: number, length: number): { offset: number; size: number; data: string } {
    const f = this.frame()
    const n = Math.min(length, 1 << 20)
    if (f === undefined) return { offset, size: 0, data: '0x' }
    const count = Math.max(0, Math.min(n, f.memorySize - offset))
    return { offset, size: f.memorySize, data: bytes(f.readMemory(offset, count)) }
  }

  private disassembly(
    from: unknown,
    count: unknown,
  ): { lines: Instruction[]; current: number; total: number } {
    const f = this.frame()
    if (f === undefined) return { lines: [], current: -1, total: 0 }
    const start = from === undefined ? 0 : integer(from, 'from')
    const n = count === undefined ? 1000 : Math.min(integer(count, 'count'), 100_000)
    const lines = disassemble(f.code, start, n)
    return {
      lines,
      current: instructionIndex(f.code, f.pc),
      total: lines.length === 0 ? 0 : start + lines.length,
    }
  }

  callTree(): CallView[] {
    const views = this.plainCallTree()
    decorateCalls(this.source, this.engine, views)
    return views
  }

  private plainCallTree(): CallView[] {
    const calls = this.engine.index.calls
    return calls.map((c) => {
      let children = 0
      for (const k of c.children) children += calls[k]!.gasUsed
      const view: CallView = {
        id: c.id,
        parent: c.parent,
        depth: c.depth,
        kind: CALL_KIND_NAMES[c.kind],
        from: address(c.from),
        to: address(c.to),
        codeAddress: address(c.codeAddress),
        value: word(c.value),
        gas: c.gas,
        gasUsed: c.gasUsed,
        exclusiveGas: c.gasUsed - children,
        outcome: c.outcome === 0 ? 'success' : c.outcome === 1 ? 'revert' : 'halt',
        precompile: c.precompile,
        selector: c.inputLength >= 4 && c.kind < 4 ? bytes(c.input, 0, 4) : undefined,
        inputLength: c.inputLength,
        output: bytes(c.output),
        outputLength: c.outputLength,
        callerStep: c.callerStep,
        firstStep: c.firstStep,
        endStep: c.endStep,
        lastStep: c.lastStep,
        children: c.children,
      }
      if (c.halt !== undefined) view.halt = c.halt
      if (c.createdAddress !== undefined) view.createdAddress = address(c.createdAddress)
      return view
    })
  }

  /** EIP-3155 lines of steps [from, to). */
  trace(from: number, to: number, memory: boolean): string[] {
    const lo = Math.max(0, from)
    const hi = Math.min(this.totalSteps, to, lo + MAX_TRACE_LINES)
    if (hi <= lo) return []
    const lines: string[] = []
    const cp = this.engine.checkpointFor(lo)
    let n = this.engine.checkpointSteps[cp]!
    const tracer = new Eip3155Tracer(
      (line) => {
        if (n >= lo) lines.push(line)
        n++
        if (n >= hi) throw new Pause('trace end')
      },
      { memory },
    )
    // The tracer writes a step's line at the next event; a pause in `write` stops there.
    this.engine.rerunInspector(cp, tracer)
    return lines
  }

  /** A compact list of steps (gas per step): pc, opcode, depth, gas, cost. */
  steps(from: number, count: number): StepSummary[] {
    const lo = Math.max(0, from)
    const hi = Math.min(this.totalSteps, lo + Math.min(count, MAX_STEPS_LIST))
    if (hi <= lo) return []
    const out: StepSummary[] = []
    this.engine.rerun(this.engine.checkpointFor(lo), {
      step(frame, n) {
        if (n >= hi) throw new Pause('steps end')
        if (n >= lo)
          out.push({
            step: n,
            depth: frame.depth,
            pc: frame.pc,
            op: frame.opcode(),
            opName: OPCODE_NAMES[frame.opcode()]!,
            gas: frame.gas,
            gasCost: 0,
          })
      },
      stepEnd(_frame, n, gasCost) {
        if (n >= lo && n < hi) out[n - lo]!.gasCost = gasCost
      },
    })
    return out
  }
}

const sourceSteps = (g: Granularity | undefined): boolean => g === 'source'

function integer(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new DebugSessionError('BAD_COMMAND', `${what} must be an integer`, { what, value: String(v) })
  return v
}

function jsonSafe(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(details, (_k, v) => (typeof v === 'bigint' ? word(v) : v)))
}
