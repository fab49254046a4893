import {
  CallKind,
  type EnterInfo,
  type ExitInfo,
  type FrameState,
  type Inspector,
  type Log,
  Outcome,
} from '@crucible/evm'
import { bigIntToBytes } from '@crucible/primitives'

const TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efn
/** ERC-7528: the pseudo-address of native ETH in transfer logs. */
const TRANSFER_ADDRESS = 0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeen
const SELFDESTRUCT = 0xff

/** A log as a simulation reports it (indexes count across the block). */
export interface SimLog {
  address: bigint
  topics: bigint[]
  data: Uint8Array
  index: number
}

/**
 * geth's simulation log tracer: real logs and (with `traceTransfers`) ERC-7528 transfer logs
 * in execution order — for every message carrying value (not DELEGATECALL or CALLCODE) and
 * every SELFDESTRUCT that moves a balance; a failed frame's logs go with it; indexes keep
 * counting across the block.
 */
export class LogTracer implements Inspector {
  private frames: SimLog[][] = []
  count = 0
  constructor(
    private readonly transfers: boolean,
    private readonly balanceOf: (address: bigint) => bigint,
  ) {}

  reset(): void {
    this.frames = []
  }
  enter(info: EnterInfo): void {
    this.frames.push([])
    if (info.kind !== CallKind.DelegateCall && info.kind !== CallKind.CallCode && info.value > 0n)
      this.transfer(info.from, info.to, info.value)
  }
  exit(info: ExitInfo): void {
    const failed = info.outcome !== Outcome.Success
    if (info.depth === 0) {
      if (failed) this.frames[0] = []
      return
    }
    const frame = this.frames.pop()!
    if (!failed) this.frames[this.frames.length - 1]!.push(...frame)
  }
  log(_frame: FrameState, log: Log): void {
    this.capture(log.address, log.topics, log.data)
  }
  step(frame: FrameState): void {
    if (!this.transfers || frame.opcode() !== SELFDESTRUCT || frame.isStatic) return
    const stack = frame.stackItems()
    if (stack.length === 0) return
    const balance = this.balanceOf(frame.address)
    if (balance > 0n) this.transfer(frame.address, stack[stack.length - 1]! & ((1n << 160n) - 1n), balance)
  }
  private transfer(from: bigint, to: bigint, value: bigint): void {
    if (this.transfers) this.capture(TRANSFER_ADDRESS, [TRANSFER_TOPIC, from, to], bigIntToBytes(value, 32))
  }
  private capture(address: bigint, topics: bigint[], data: Uint8Array): void {
    this.frames[this.frames.length - 1]?.push({ address, topics, data, index: this.count })
    this.count++
  }
  logs(): SimLog[] {
    return this.frames[0] ?? []
  }
}
