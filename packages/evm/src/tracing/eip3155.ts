import type { FrameState } from '../interpreter/frame.js'
import { OPCODE_NAMES } from '../interpreter/tables.js'
import type { EnterInfo, ExitInfo, Inspector } from './inspector.js'

const hex = (v: bigint | number) => `0x${v.toString(16)}`

function bytesHex(bytes: Uint8Array): string {
  let out = '0x'
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, '0')
  return out
}

/** The closing line of an EIP-3155 trace. */
export interface TraceSummary {
  /** State root after the transaction (the caller computes it). */
  stateRoot: Uint8Array | string
  output: Uint8Array
  gasUsed: bigint | number
  pass?: boolean
  /** Duration in nanoseconds, as evmone and geth print it. */
  time?: number
  fork?: string
  error?: string
}

interface PendingStep {
  frame: FrameState
  gas: number
  line: Record<string, unknown>
}

/**
 * An EIP-3155 tracer: one JSON line per executed opcode, as geth and evmone print them (`gas`,
 * `gasCost` and stack items as 0x-hex; `pc`, `op`, `depth` (1 for the transaction's frame),
 * `memSize` and `refund` as numbers), then a summary line from {@link Eip3155Tracer.writeSummary}.
 *
 * A step's `gasCost` is only known once the opcode has run, so each line is held until the next
 * event (next step, a call entering, a frame exiting) and written then. For CALL and CREATE it
 * includes the gas handed to the callee, as in geth.
 */
export class Eip3155Tracer implements Inspector {
  private pending: PendingStep | undefined = undefined

  constructor(
    private readonly write: (line: string) => void,
    private readonly options: { memory?: boolean } = {},
  ) {}

  step(frame: FrameState): void {
    this.flush(undefined)
    const op = frame.opcode()
    const line: Record<string, unknown> = {
      pc: frame.pc,
      op,
      gas: hex(frame.gas),
      gasCost: '0x0',
      memSize: frame.memorySize,
      stack: frame.stackItems().map(hex),
      depth: frame.depth + 1,
      refund: frame.totalRefund(),
      opName: OPCODE_NAMES[op]!,
    }
    if (this.options.memory) line.memory = bytesHex(frame.memoryBytes())
    this.pending = { frame, gas: frame.gas, line }
  }

  enter(_info: EnterInfo): void {
    this.flush(undefined)
  }

  exit(info: ExitInfo): void {
    this.flush(info.error !== undefined && info.error !== 'Revert' ? info.error : undefined)
  }

  /** Writes the closing line. */
  writeSummary(summary: TraceSummary): void {
    this.flush(undefined)
    const line: Record<string, unknown> = {
      stateRoot: typeof summary.stateRoot === 'string' ? summary.stateRoot : bytesHex(summary.stateRoot),
      output: bytesHex(summary.output),
      gasUsed: hex(summary.gasUsed),
    }
    if (summary.pass !== undefined) line.pass = summary.pass
    if (summary.time !== undefined) line.time = summary.time
    if (summary.fork !== undefined) line.fork = summary.fork
    if (summary.error !== undefined) line.error = summary.error
    this.write(JSON.stringify(line))
  }

  private flush(error: string | undefined): void {
    const p = this.pending
    if (p === undefined) return
    this.pending = undefined
    const cost = p.gas - p.frame.gas
    p.line.gasCost = hex(Math.max(cost, 0))
    if (error !== undefined) p.line.error = error
    this.write(JSON.stringify(p.line))
  }
}
