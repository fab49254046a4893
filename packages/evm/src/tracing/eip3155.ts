import type { HaltReason } from '../errors.js'
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

/**
 * An EIP-3155 tracer: one JSON line per executed opcode, as geth and evmone print them (`gas`,
 * `gasCost` and stack items as 0x-hex; `pc`, `op`, `depth` (1 for the transaction's frame),
 * `memSize` and `refund` as numbers), then a summary line from {@link Eip3155Tracer.writeSummary}.
 *
 * A line is written at the next event after its `stepEnd` (next step, a call entering, a frame
 * exiting), so that a frame ending in a failed code deposit marks its last line with the error.
 * For CALL and CREATE `gasCost` includes the gas handed to the callee, as in geth.
 */
export class Eip3155Tracer implements Inspector {
  private pending: Record<string, unknown> | undefined = undefined

  constructor(
    private readonly write: (line: string) => void,
    private readonly options: { memory?: boolean } = {},
  ) {}

  step(frame: FrameState): void {
    this.flush()
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
    this.pending = line
  }

  stepEnd(_frame: FrameState, gasCost: number, halt: HaltReason | undefined): void {
    const line = this.pending
    if (line === undefined) return
    line.gasCost = hex(Math.max(gasCost, 0))
    if (halt !== undefined) line.error = halt
  }

  enter(_info: EnterInfo): void {
    this.flush()
  }

  exit(info: ExitInfo): void {
    const line = this.pending
    if (line !== undefined && info.halt !== undefined && line.error === undefined) line.error = info.halt
    this.flush()
  }

  /** Writes the closing line. */
  writeSummary(summary: TraceSummary): void {
    this.flush()
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

  private flush(): void {
    const line = this.pending
    if (line === undefined) return
    this.pending = undefined
    this.write(JSON.stringify(line))
  }
}
