import { duration, type Fields, formatLine, shortHash } from './log.js'

export type ProgressMode = 'bar' | 'log' | 'none'

/**
 * How often a log line is written at least (geth's `statsReportLimit`, 8 s);
 * `CRUCIBLE_LOG_INTERVAL_MS` changes it (tests use 0: a line per block).
 */
export const REPORT_INTERVAL_MS = Number(process.env.CRUCIBLE_LOG_INTERVAL_MS ?? 8_000)
/** How often the terminal bar is redrawn. */
const BAR_INTERVAL_MS = 200

export interface ProgressTotals {
  blocks: number
  txs: number
  gas: bigint
  skipped: number
}

/**
 * Progress of an import: a bar redrawn in place in a terminal (blocks, txs, Mgas, Mgas/s, ETA by
 * bytes read), or a geth `Imported new chain segment` line at least every 8 s otherwise.
 */
export class ImportProgress {
  readonly totals: ProgressTotals = { blocks: 0, txs: 0, gas: 0n, skipped: 0 }
  private readonly started = performance.now()
  private segment = { blocks: 0, txs: 0, gas: 0n, started: performance.now() }
  private lastDraw = 0
  private bytesRead = 0
  private last: { number: bigint; hash: string } | undefined

  constructor(
    private readonly mode: ProgressMode,
    private readonly write: (text: string) => void,
    private readonly totalBytes: number,
  ) {}

  /** Bytes of the input files read so far (for the ETA). */
  read(bytes: number): void {
    this.bytesRead = bytes
  }

  skipped(): void {
    this.totals.skipped++
  }

  imported(number: bigint, hash: string, txs: number, gas: bigint): void {
    this.totals.blocks++
    this.totals.txs += txs
    this.totals.gas += gas
    this.segment.blocks++
    this.segment.txs += txs
    this.segment.gas += gas
    this.last = { number, hash }
    const now = performance.now()
    if (this.mode === 'log' && now - this.segment.started >= REPORT_INTERVAL_MS) this.report(now)
    if (this.mode === 'bar' && now - this.lastDraw >= BAR_INTERVAL_MS) this.draw(now)
  }

  /** Ends the display: the last segment line, or the bar's final state and a newline. */
  finish(): void {
    const now = performance.now()
    if (this.mode === 'log' && this.segment.blocks > 0) this.report(now)
    if (this.mode === 'bar') {
      this.draw(now)
      this.write('\n')
    }
  }

  private report(now: number): void {
    const elapsed = now - this.segment.started
    const fields: Fields = {
      number: this.last!.number,
      hash: shortHash(this.last!.hash),
      blocks: this.segment.blocks,
      txs: this.segment.txs,
      mgas: mgas(this.segment.gas).toFixed(3),
      elapsed: duration(elapsed),
      mgasps: (mgas(this.segment.gas) / Math.max(elapsed / 1000, 1e-9)).toFixed(3),
    }
    if (this.totals.skipped > 0) fields.ignored = this.totals.skipped
    this.write(`${formatLine('INFO', 'Imported new chain segment', fields)}\n`)
    this.segment = { blocks: 0, txs: 0, gas: 0n, started: now }
  }

  private draw(now: number): void {
    this.lastDraw = now
    const seconds = (now - this.started) / 1000
    const fraction = this.totalBytes > 0 ? Math.min(this.bytesRead / this.totalBytes, 1) : 0
    const width = 24
    const filled = Math.round(fraction * width)
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
    const rate = mgas(this.totals.gas) / Math.max(seconds, 1e-9)
    const eta = fraction > 0 && fraction < 1 ? duration((seconds / fraction) * (1 - fraction) * 1000) : '-'
    const line =
      `${bar} ${(fraction * 100).toFixed(1).padStart(5)}%  #${this.last?.number ?? '-'}  ` +
      `blocks ${this.totals.blocks}  txs ${this.totals.txs}  ${mgas(this.totals.gas).toFixed(1)} Mgas  ` +
      `${rate.toFixed(1)} Mgas/s  ETA ${eta}`
    this.write(`\r\x1b[2K${line}`)
  }
}

export function mgas(gas: bigint): number {
  return Number(gas) / 1e6
}
