import {
  type CallView,
  type DebugSession,
  type Granularity,
  type Request,
  type Response,
  type SessionInfo,
  STEP_COMMANDS,
  type StepView,
} from '@crucible/debug-session'
import { type Action, parseLine } from './commands.js'
import type { ScreenModel } from './screen.js'

/** What running one line did, for the client to show. */
export interface Answer {
  quit?: boolean
  help?: boolean
  /** A text answer (breakpoints, info, json) instead of, or beside, the view. */
  text?: string
  message?: { text: string; error?: boolean }
  /** The position or the view changed (line mode prints the screen). */
  moved?: boolean
}

/**
 * A client of a {@link DebugSession} through its protocol only (what the web page does over a
 * Worker): it keeps the last view, turns lines into requests and answers into a screen model.
 */
export class DebugController {
  view: StepView
  readonly info: SessionInfo
  readonly calls: readonly CallView[]
  breakpoints = 0
  /** What the step keys step by (m toggles; by source line needs sources). */
  granularity: Granularity = 'opcode'

  constructor(private readonly session: DebugSession) {
    this.info = this.send({ cmd: 'info' }) as SessionInfo
    this.calls = this.send({ cmd: 'callTree' }) as CallView[]
    this.view = this.send({ cmd: 'view' }) as StepView
  }

  private send(request: Request): unknown {
    const response = this.session.handle(request)
    if (!response.ok) throw new Error(response.error.message)
    return response.result
  }

  model(extra: Pick<ScreenModel, 'message' | 'prompt' | 'help'> = {}): ScreenModel {
    return { view: this.view, info: this.info, calls: this.calls, breakpoints: this.breakpoints, ...extra }
  }

  /** Runs one line (a key's letter, a word, a `:` command without the colon). */
  run(line: string): Answer {
    return this.act(parseLine(line, { view: this.view }))
  }

  act(action: Action): Answer {
    switch (action.kind) {
      case 'none':
        return {}
      case 'quit':
        return { quit: true }
      case 'help':
        return { help: true }
      case 'granularity':
        this.granularity = this.granularity === 'source' ? 'opcode' : 'source'
        return {
          message: { text: `stepping by ${this.granularity === 'source' ? 'source line' : 'opcode'}` },
        }
      case 'error':
        return { message: { text: action.message, error: true } }
      case 'json': {
        let request: Request
        try {
          request = JSON.parse(action.text) as Request
        } catch {
          return { message: { text: 'json needs a JSON request, e.g. json {"cmd":"info"}', error: true } }
        }
        const response = this.session.handle(request)
        if (response.ok && isView(response.result)) this.view = response.result
        return { text: JSON.stringify(response), moved: response.ok && isView(response.result) }
      }
      case 'request':
        return this.request(action.request)
    }
  }

  private request(asked: Request): Answer {
    const request = STEP_COMMANDS.has(asked.cmd)
      ? ({ ...asked, granularity: this.granularity } as Request)
      : asked
    const response: Response = this.session.handle(request)
    if (!response.ok)
      return {
        message: {
          text: `${response.error.message}${response.error.details ? ` ${JSON.stringify(response.error.details)}` : ''}`,
          error: true,
        },
      }
    const result = response.result
    switch (request.cmd) {
      case 'break': {
        this.breakpoints++
        const r = result as { id: number; breakpoint: unknown }
        return { message: { text: `breakpoint ${r.id}: ${JSON.stringify(r.breakpoint)}` } }
      }
      case 'delete':
        this.breakpoints--
        return { message: { text: `deleted breakpoint ${request.id}` } }
      case 'breakpoints': {
        const list = result as { id: number; breakpoint: unknown }[]
        const text =
          list.length === 0
            ? 'no breakpoints'
            : list.map((b) => `${b.id}: ${JSON.stringify(b.breakpoint)}`).join('\n')
        return {
          text,
          message: {
            text:
              list.length === 0
                ? 'no breakpoints'
                : list.map((b) => `${b.id}:${JSON.stringify(b.breakpoint)}`).join('  '),
          },
        }
      }
      case 'info': {
        const i = result as SessionInfo
        const text = `${i.label} (${i.fork}): ${i.totalSteps} steps, ${i.calls} calls, ${i.checkpoints} checkpoints, first pass ${Math.round(i.firstPassMs)} ms, ${i.result.outcome}, gas used ${BigInt(i.result.gasUsed)}`
        return { text, message: { text } }
      }
    }
    if (!isView(result)) return { text: JSON.stringify(result) }
    const before = this.view.step
    this.view = result
    const reachedEdge =
      request.cmd === 'continue' ? result.atEnd : request.cmd === 'reverseContinue' && result.step === 0
    if (reachedEdge && before !== result.step)
      return {
        moved: true,
        message: {
          text: `no breakpoint ${request.cmd === 'continue' ? 'ahead' : 'behind'}: at the ${result.atEnd ? 'end' : 'start'}`,
        },
      }
    return { moved: true }
  }
}

function isView(v: unknown): v is StepView {
  return typeof v === 'object' && v !== null && 'totalSteps' in v && 'step' in v && 'result' in v
}
