import { type ExitInfo, type ForkTable, type HaltReason, OPCODE_NAMES, Outcome } from '@crucible/evm'
import { CrucibleError } from '@crucible/primitives'

/** geth's name of an opcode (core/vm/opcodes.go): undefined ones are "opcode 0xc not defined". */
export function opcodeName(op: number, table: ForkTable): string {
  const defined = table.opmap[op] === op
  return defined ? OPCODE_NAMES[op]! : `opcode 0x${op.toString(16)} not defined`
}

/**
 * A halt as geth's core/vm/errors.go words it. The stack errors carry the stack size and the
 * bound (`stack underflow (1 <=> 2)`), an invalid opcode its name.
 */
export function haltMessage(
  halt: HaltReason,
  table: ForkTable,
  op: number | undefined,
  stackSize: number,
  inDeposit: boolean,
): string {
  switch (halt) {
    case 'OutOfGas':
      return inDeposit ? 'contract creation code storage out of gas' : 'out of gas'
    case 'StackUnderflow':
      return op === undefined ? 'stack underflow' : `stack underflow (${stackSize} <=> ${table.minSp[op]})`
    case 'StackOverflow':
      return op === undefined ? 'stack overflow' : `stack limit reached ${stackSize} (${table.maxSp[op]})`
    case 'InvalidJump':
      return 'invalid jump destination'
    case 'InvalidOpcode':
      return `invalid opcode: ${op === undefined ? 'INVALID' : opcodeName(op, table)}`
    case 'WriteInStaticContext':
      return 'write protection'
    case 'OutOfBoundsRead':
      return 'return data out of bounds'
    case 'AddressCollision':
      return 'contract address collision'
    case 'InvalidContractPrefix':
      return 'invalid code: must not begin with 0xef'
    case 'CodeSizeExceeded':
      return 'max code size exceeded'
    case 'PrecompileError':
      return 'precompile error'
  }
}

/** geth's error string of a message's end, or undefined for a success. */
export function exitError(info: ExitInfo, table: ForkTable): string | undefined {
  if (info.outcome === Outcome.Success) return undefined
  if (info.outcome === Outcome.Revert) return 'execution reverted'
  return haltMessage(info.halt ?? 'InvalidOpcode', table, info.haltOpcode, info.haltStackSize, info.inDeposit)
}

/** geth's `tracers` timeout: the trace is abandoned, no partial result. */
export class TraceTimeoutError extends CrucibleError<{ timeoutMs: number }> {
  override name = 'TraceTimeoutError'
  constructor(timeoutMs: number) {
    super('TRACE_TIMEOUT', 'execution timeout', { timeoutMs })
  }
}

/** A tracer name or option the library does not know. */
export class TracerConfigError extends CrucibleError<Record<string, unknown>> {
  override name = 'TracerConfigError'
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('TRACER_CONFIG', message, details)
  }
}
