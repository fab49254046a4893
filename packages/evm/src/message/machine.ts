import { MachineSnapshotError } from '../errors.js'
import type { Context } from '../interpreter/context.js'
import { Frame, FrameSnapshot, type FrameState, restoreFrame } from '../interpreter/frame.js'
import { drive, type MessageResult } from './driver.js'

/**
 * The whole running machine at a step boundary: the executing frame and its callers, each
 * with pc, stack, memory, gas, return data, refund and logs. Taken by {@link captureMachine};
 * `runPreparedTransaction(host, prepared, { resume })` runs on from it, any number of times,
 * on a host brought back to the state it had then. This is what lets a debugger jump to step
 * N without re-running steps 0..N-1.
 */
export interface MachineSnapshot {
  /** The transaction's frame first, the executing frame last. */
  readonly frames: readonly FrameSnapshot[]
}

/**
 * Copies the machine that is running `frame`. Call it from `Inspector.step` with the frame the
 * hook received (the state before that opcode); the copy owns its stack and memory. Memory is
 * kept in {@link MEMORY_PAGE}-byte pages: with `previous` (an earlier snapshot of the same
 * run), each frame's pages that equal the same page of the frame at the same depth there are
 * shared instead of copied, so a series of snapshots of a large, slowly changing memory costs
 * the changed pages only.
 *
 * Comparing is O(memory). A caller that tracks memory writes (an inspector sees every opcode)
 * passes `dirty[depth]`: the pages of that frame written since `previous`, which must then be
 * a snapshot of the same frame; the other pages are shared without comparing. Leave an entry
 * undefined for a frame it did not track.
 */
export function captureMachine(
  frame: FrameState,
  previous?: MachineSnapshot,
  dirty?: readonly (ReadonlySet<number> | undefined)[],
): MachineSnapshot {
  if (!(frame instanceof Frame))
    throw new MachineSnapshotError('NOT_A_FRAME', 'Only a frame from the interpreter can be captured')
  const chain: Frame[] = []
  for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) chain.push(f)
  chain.reverse()
  const frames = chain.map((f, depth) => new FrameSnapshot(f, previous?.frames[depth], dirty?.[depth]))
  return { frames }
}

/** Rebuilds the frames of `machine` and runs them to the end of the transaction's message. */
export function resumeMachine(ctx: Context, machine: MachineSnapshot): MessageResult {
  let f: Frame | undefined
  for (const s of machine.frames) {
    if (!(s instanceof FrameSnapshot))
      throw new MachineSnapshotError('NOT_A_SNAPSHOT', 'Not a frame snapshot from captureMachine')
    f = restoreFrame(s, f)
  }
  if (f === undefined) throw new MachineSnapshotError('NOT_A_SNAPSHOT', 'A machine snapshot without frames')
  return drive(ctx, f)
}
