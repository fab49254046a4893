import type { ExitInfo, FrameState, Inspector } from '@crucible/evm'
import { bigIntToBytes } from '@crucible/primitives'

const TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efn
/** ERC-7528: the pseudo-address of native ETH in transfer logs. */
const TRANSFER_ADDRESS = 0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeen

/** A log as a simulation reports it (indexes count across the block). */
export interface SimLog {
  address: bigint
  topics: bigint[]
  data: Uint8Array
  index: number
}

/**
 * geth's simulation log tracer: real logs and (with `traceTransfers`) ERC-7528 transfer logs
 * in execution order; a failed frame's logs are dropped with it; indexes keep counting.
 */
export class LogTracer implements Inspector {
  private frames: SimLog[][] = []
  count = 0
  constructor(private readonly transfers: boolean) {}

  reset(): void {
    this.frames = []
  }
  enter(info: { type: string; from: bigint; to: bigint; value: bigint }): void {
    this.frames.push([])
    if (this.transfers && info.type !== 'DELEGATECALL' && info.type !== 'CALLCODE' && info.value > 0n)
      this.capture(TRANSFER_ADDRESS, [TRANSFER_TOPIC, info.from, info.to], bigIntToBytes(info.value, 32))
  }
  exit(info: ExitInfo): void {
    if (info.depth === 0) {
      if (!info.success) this.frames[0] = []
      return
    }
    const frame = this.frames.pop()!
    if (info.success) this.frames[this.frames.length - 1]!.push(...frame)
  }
  step(frame: FrameState): void {
    const op = frame.opcode()
    if (op < 0xa0 || op > 0xa4 || frame.isStatic) return
    const topicsCount = op - 0xa0
    const stack = frame.stackItems()
    if (stack.length < 2 + topicsCount) return
    const offset = stack[stack.length - 1]!
    const size = stack[stack.length - 2]!
    const topics: bigint[] = []
    for (let i = 0; i < topicsCount; i++) topics.push(stack[stack.length - 3 - i]!)
    let data = new Uint8Array(0)
    if (size > 0n) {
      if (size > 0xffffffffn || offset > 0xffffffffn) return
      const memory = frame.memoryBytes()
      data = new Uint8Array(Number(size))
      data.set(memory.subarray(Number(offset), Math.min(memory.length, Number(offset + size))))
    }
    this.capture(frame.address, topics, data)
  }
  private capture(address: bigint, topics: bigint[], data: Uint8Array): void {
    this.frames[this.frames.length - 1]?.push({ address, topics, data, index: this.count })
    this.count++
  }
  logs(): SimLog[] {
    return this.frames[0] ?? []
  }
}
