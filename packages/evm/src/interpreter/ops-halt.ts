import type { HaltReason } from '../errors.js'
import { EMPTY } from './constants.js'
import type { Frame } from './frame.js'
import { Status } from './frame.js'
import { chargeMemory, rangeEnd } from './memory.js'

/** RETURN and REVERT (EIP-140): the output is a copy of the memory range. */
export function opReturn(f: Frame, revert: boolean): HaltReason | undefined {
  const s = f.stack
  const offset = s[--f.sp]!
  const size = s[--f.sp]!
  const end = rangeEnd(offset, size)
  if (end === Number.POSITIVE_INFINITY || !chargeMemory(f, end, 0)) return 'OutOfGas'
  const n = Number(size)
  f.output = n === 0 ? EMPTY : f.memory.slice(Number(offset), Number(offset) + n)
  f.status = revert ? Status.Revert : Status.Success
  return undefined
}
