import type { Log } from '@crucible/evm-types'
import { type HaltReason, Outcome } from '../errors.js'
import { analyzeCode } from '../interpreter/analysis.js'
import { EMPTY, GAS_CODE_DEPOSIT } from '../interpreter/constants.js'
import type { Context } from '../interpreter/context.js'
import { Frame, Status, setFrameGas, splitGas } from '../interpreter/frame.js'
import { ACTION_MESSAGE, run } from '../interpreter/interpreter.js'
import { hasCollision } from '../interpreter/ops-system.js'
import { type CallKind, isCreate, type Message } from './message.js'

/** The outcome of one message (a call or a creation). */
export interface MessageResult {
  outcome: Outcome
  gasLeft: number
  /** Gas left beyond `gasLeft` (bigint; 0n unless the message had more than 2^53 gas). */
  gasExcess: bigint
  /** Return data (REVERT data on a revert, empty on an exceptional halt). */
  output: Uint8Array
  /** Why it halted, when `outcome` is {@link Outcome.Halt}. */
  halt: HaltReason | undefined
  /** Refund counter accumulated by the message and its successful children. */
  refund: number
  logs: Log[] | undefined
  /** Accounts to delete at the end of the transaction. */
  selfdestructs: Set<bigint> | undefined
  /** The new contract, for a successful creation. */
  createdAddress: bigint | undefined
}

/**
 * Runs a message to completion. Calls and creations do not recurse in JS: the interpreter
 * returns to this loop with the child message, which pushes a frame; when a frame halts, its
 * result is folded into the parent and the parent resumes. Depth 1024 costs 1024 heap frames,
 * not 1024 JS stack frames.
 */
export function executeMessage(ctx: Context, message: Message): MessageResult {
  const first = begin(ctx, message, undefined)
  if (!(first instanceof Frame)) return first
  return drive(ctx, first)
}

/**
 * Runs `leaf` and its callers (the chain of `parent` frames) to the end of the outermost one:
 * the rest of {@link executeMessage}, also where a restored machine snapshot resumes.
 */
export function drive(ctx: Context, leaf: Frame): MessageResult {
  let f = leaf
  for (;;) {
    if (run(f, ctx) === ACTION_MESSAGE) {
      const child = f.pending!
      f.pending = undefined
      const started = begin(ctx, child, f)
      if (started instanceof Frame) f = started
      else resume(f, child.kind, child.retOffset, child.retSize, started)
      continue
    }
    const result = finish(ctx, f)
    const parent = f.parent
    const { kind, retOffset, retSize } = f
    f.release()
    if (parent === undefined) return result
    resume(parent, kind, retOffset, retSize, result)
    f = parent
  }
}

/**
 * Starts a message (execution-specs' process_message / process_create_message up to running
 * code): opens a checkpoint, creates or touches the target, moves the value. Returns a frame to
 * run, or the result when there is no code to run (precompile, empty code or initcode).
 */
function begin(ctx: Context, msg: Message, parent: Frame | undefined): Frame | MessageResult {
  const { host, rules } = ctx
  const create = isCreate(msg.kind)
  const precompile = !create && !msg.disablePrecompiles && ctx.isPrecompile(msg.codeAddress)
  ctx.inspector?.enter?.({
    kind: msg.kind,
    depth: msg.depth,
    from: msg.caller,
    to: msg.address,
    codeAddress: msg.codeAddress,
    value: msg.value,
    input: create ? msg.code : msg.input,
    gas: msg.gas,
    isStatic: msg.isStatic,
    precompile,
  })
  // EIP-684/7610: the gas set aside for the creation is consumed, nothing changes.
  if (create && hasCollision(host, msg.address))
    return done(ctx, msg.kind, msg.depth, msg.gas, fail('AddressCollision'))
  const checkpoint = host.checkpoint()
  if (create) {
    host.createAccount(msg.address)
    if (rules.isActive(161)) host.setNonce(msg.address, 1n)
  } else host.touch(msg.address)
  if (msg.transferValue && msg.value !== 0n) {
    host.setBalance(msg.caller, host.getBalance(msg.caller) - msg.value)
    host.setBalance(msg.address, host.getBalance(msg.address) + msg.value)
  }
  const meter = ctx.meter
  if (meter !== undefined) meter.poll(parent, msg.gas)
  if (precompile) {
    const contract = ctx.precompileAt(msg.codeAddress)
    const r = contract(msg.input, msg.gas, rules)
    if (meter !== undefined && r.ok) meter.output(parent, r.output.length)
    if (!r.ok || r.gasUsed > msg.gas) {
      host.revert(checkpoint)
      const halt = r.ok || r.error === 'OutOfGas' ? 'OutOfGas' : 'PrecompileError'
      return done(ctx, msg.kind, msg.depth, msg.gas, fail(halt))
    }
    host.commit(checkpoint)
    return done(
      ctx,
      msg.kind,
      msg.depth,
      msg.gas,
      ok(msg.gas - r.gasUsed, r.output, undefined, msg.gasExcess),
    )
  }
  if (msg.code.length === 0) {
    if (create)
      return deposit(
        ctx,
        msg.kind,
        msg.address,
        checkpoint,
        msg.depth,
        msg.gas,
        ok(msg.gas, EMPTY, undefined, msg.gasExcess),
      )
    host.commit(checkpoint)
    return done(ctx, msg.kind, msg.depth, msg.gas, ok(msg.gas, EMPTY, undefined, msg.gasExcess))
  }
  const frame = new Frame(msg, analyzeCode(msg.code), parent)
  frame.checkpoint = checkpoint
  if (meter !== undefined) {
    frame.meter = meter
    meter.hold(frame, msg.input.length)
  }
  return frame
}

function ok(
  gasLeft: number,
  output: Uint8Array,
  createdAddress: bigint | undefined,
  gasExcess = 0n,
): MessageResult {
  return {
    outcome: Outcome.Success,
    gasLeft,
    gasExcess,
    output,
    halt: undefined,
    refund: 0,
    logs: undefined,
    selfdestructs: undefined,
    createdAddress,
  }
}

/** A halted message: all gas consumed, no output. */
function fail(halt: HaltReason): MessageResult {
  return {
    outcome: Outcome.Halt,
    gasLeft: 0,
    gasExcess: 0n,
    output: EMPTY,
    halt,
    refund: 0,
    logs: undefined,
    selfdestructs: undefined,
    createdAddress: undefined,
  }
}

function done(
  ctx: Context,
  kind: CallKind,
  depth: number,
  gas: number,
  r: MessageResult,
  inDeposit = false,
  halted: Frame | undefined = undefined,
): MessageResult {
  ctx.inspector?.exit?.({
    kind,
    depth,
    outcome: r.outcome,
    halt: r.halt,
    inDeposit,
    haltOpcode: halted === undefined ? undefined : halted.opcode(),
    haltStackSize: halted === undefined ? 0 : halted.sp,
    gasLeft: r.gasLeft,
    gasUsed: gas - r.gasLeft,
    output: r.output,
    createdAddress: r.createdAddress,
  })
  return r
}

/** Ends a halted frame: keeps or undoes its state changes and, for a creation, deposits the code. */
function finish(ctx: Context, f: Frame): MessageResult {
  const host = ctx.host
  ctx.meter?.output(f, f.output.length)
  if (f.status === Status.Success) {
    const r = ok(f.gas, f.output, undefined, f.excess)
    r.refund = f.refund
    r.logs = f.logs
    r.selfdestructs = f.selfdestructs
    if (isCreate(f.kind)) return deposit(ctx, f.kind, f.address, f.checkpoint, f.depth, f.startGas, r)
    host.commit(f.checkpoint)
    return done(ctx, f.kind, f.depth, f.startGas, r)
  }
  host.revert(f.checkpoint)
  if (f.status === Status.Revert) {
    const r = ok(f.gas, f.output, undefined, f.excess)
    r.outcome = Outcome.Revert
    return done(ctx, f.kind, f.depth, f.startGas, r)
  }
  return done(
    ctx,
    f.kind,
    f.depth,
    f.startGas,
    fail(f.halt ?? 'InvalidOpcode'),
    false,
    ctx.inspector === undefined ? undefined : f,
  )
}

/**
 * Code deposit of a successful creation: EIP-3541 rejects code starting 0xEF, 200 gas per
 * byte, EIP-170 size limit. Before Homestead (EIP-2) a deposit that cannot be paid leaves
 * the contract with empty code instead of failing.
 */
function deposit(
  ctx: Context,
  kind: CallKind,
  address: bigint,
  checkpoint: number,
  depth: number,
  gas: number,
  r: MessageResult,
): MessageResult {
  const { host, rules } = ctx
  const code = r.output
  let halt: HaltReason | undefined
  let store = true
  if (code.length > 0 && code[0] === 0xef && rules.isActive(3541)) halt = 'InvalidContractPrefix'
  else {
    const cost = GAS_CODE_DEPOSIT * code.length
    if (r.gasExcess === 0n ? r.gasLeft < cost : BigInt(r.gasLeft) + r.gasExcess < BigInt(cost)) {
      if (rules.isActive(2)) halt = 'OutOfGas'
      else store = false
    } else if (code.length > rules.params.maxCodeSize) halt = 'CodeSizeExceeded'
    else if (r.gasExcess === 0n) r.gasLeft -= cost
    else [r.gasLeft, r.gasExcess] = splitGas(BigInt(r.gasLeft) + r.gasExcess - BigInt(cost))
  }
  if (halt !== undefined) {
    host.revert(checkpoint)
    return done(ctx, kind, depth, gas, fail(halt), true)
  }
  if (store && code.length > 0) host.setCode(address, code)
  host.commit(checkpoint)
  r.createdAddress = address
  return done(ctx, kind, depth, gas, r)
}

/** Folds a finished child into its parent and pushes the CALL/CREATE result. */
function resume(parent: Frame, kind: CallKind, retOffset: number, retSize: number, r: MessageResult): void {
  if (r.gasExcess === 0n && parent.excess === 0n && parent.gas + r.gasLeft <= Number.MAX_SAFE_INTEGER)
    parent.gas += r.gasLeft
  else setFrameGas(parent, BigInt(parent.gas) + parent.excess + BigInt(r.gasLeft) + r.gasExcess)
  const success = r.outcome === Outcome.Success
  if (success) {
    parent.refund += r.refund
    if (r.logs !== undefined) {
      if (parent.logs === undefined) parent.logs = r.logs
      else for (const log of r.logs) parent.logs.push(log)
    }
    if (r.selfdestructs !== undefined) {
      if (parent.selfdestructs === undefined) parent.selfdestructs = r.selfdestructs
      else for (const a of r.selfdestructs) parent.selfdestructs.add(a)
    }
  }
  if (isCreate(kind)) {
    parent.meter?.hold(parent, (success ? 0 : r.output.length) - parent.returnData.length)
    parent.returnData = success ? EMPTY : r.output
    parent.stack[parent.sp++] = success ? r.createdAddress! : 0n
  } else {
    parent.meter?.hold(parent, r.output.length - parent.returnData.length)
    parent.returnData = r.output
    parent.stack[parent.sp++] = success ? 1n : 0n
    const n = Math.min(retSize, r.output.length)
    if (n > 0) parent.memory.set(r.output.subarray(0, n), retOffset)
  }
  parent.meter?.poll(parent, parent.gas)
}
