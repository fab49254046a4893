import type { Host } from '@crucible/evm-types'
import { DELEGATION_LENGTH, delegationTarget, MAX_NONCE } from '@crucible/forks'
import {
  bytesToWord,
  create2Address,
  createAddress,
  keccak256,
  wordToAddress,
  wordToBytes,
} from '@crucible/primitives'
import type { HaltReason } from '../errors.js'
import { CallKind, type CallMessageFields, callMessage, createMessage } from '../message/message.js'
import {
  ADDRESS_MASK,
  CALL_DEPTH_LIMIT,
  EMPTY,
  GAS_CALL_STIPEND,
  GAS_CALL_VALUE,
  GAS_KECCAK256_WORD,
  GAS_NEW_ACCOUNT,
  MAX_SAFE_BIG,
} from './constants.js'
import type { Context } from './context.js'
import { type Frame, Status, setFrameGas, splitGas } from './frame.js'
import { chargeMemory, expansionCost, growMemory, rangeEnd } from './memory.js'
import { accountAccessCost } from './ops-env.js'

/** EIP-684/7610: a creation cannot land on an account with a nonce, code or storage. */
export function hasCollision(host: Host, address: bigint): boolean {
  return host.getNonce(address) !== 0n || host.getCode(address).length > 0 || host.hasStorage(address)
}

const KIND_OF_OP: Record<number, NonNullable<CallMessageFields['kind']>> = {
  241: CallKind.Call,
  242: CallKind.CallCode,
  244: CallKind.DelegateCall,
  250: CallKind.StaticCall,
}

/**
 * CALL, CALLCODE, DELEGATECALL and STATICCALL: charges the call, then either fails softly
 * (pushes 0 and returns the gas) or leaves the child message in `f.pending` for the driver.
 */
export function opCall(f: Frame, ctx: Context, op: number): HaltReason | undefined {
  const kind = KIND_OF_OP[op]!
  const s = f.stack
  let sp = f.sp
  const gasParam = s[--sp]!
  const to = s[--sp]! & ADDRESS_MASK
  const value = kind === CallKind.Call || kind === CallKind.CallCode ? s[--sp]! : 0n
  const inOffset = s[--sp]!
  const inSize = s[--sp]!
  const outOffset = s[--sp]!
  const outSize = s[--sp]!
  f.sp = sp
  const end = Math.max(rangeEnd(inOffset, inSize), rangeEnd(outOffset, outSize))
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const memoryGas = expansionCost(f, end)
  if (memoryGas < 0) return 'OutOfGas'
  const { host, rules } = ctx
  const p = rules.params

  let extra = ctx.eip2929 ? accountAccessCost(ctx, to) : p.callGas
  let codeAddress = to
  let code = host.getCode(to)
  let disablePrecompiles = false
  if (code.length === DELEGATION_LENGTH && ctx.eip7702) {
    const target = delegationTarget(code)
    if (target !== undefined) {
      codeAddress = target
      disablePrecompiles = true
      extra += accountAccessCost(ctx, target)
      code = host.getCode(target)
    }
  }
  if (value !== 0n) extra += GAS_CALL_VALUE
  if (kind === CallKind.Call) {
    // EIP-161: only a value transfer to an empty account creates it; before, any call to a
    // missing account did.
    if (ctx.eip161) {
      if (value !== 0n && host.isEmpty(to)) extra += GAS_NEW_ACCOUNT
    } else if (!host.exists(to)) extra += GAS_NEW_ACCOUNT
  }

  let childGas: number
  let childExcess = 0n
  if (f.excess === 0n && (ctx.eip150 || gasParam <= MAX_SAFE_BIG)) {
    let callGas: number
    if (ctx.eip150) {
      // EIP-150: the callee gets at most all but one 64th of what is left after the charges.
      if (f.gas < extra + memoryGas) return 'OutOfGas'
      const available = f.gas - memoryGas - extra
      const cap = available - Math.floor(available / 64)
      callGas = gasParam < BigInt(cap) ? Number(gasParam) : cap
    } else callGas = Number(gasParam)
    const total = callGas + extra + memoryGas
    if (f.gas < total) return 'OutOfGas'
    f.gas -= total
    childGas = value !== 0n ? callGas + GAS_CALL_STIPEND : callGas
  } else {
    // Gas beyond 2^53 (a transaction with a huge limit, or a pre-EIP-150 CALL asking for more
    // than a number holds): the same rules in bigint.
    const charges = BigInt(extra + memoryGas)
    const available = BigInt(f.gas) + f.excess
    let callGas = gasParam
    if (ctx.eip150) {
      if (available < charges) return 'OutOfGas'
      const rest = available - charges
      const cap = rest - rest / 64n
      if (cap < callGas) callGas = cap
    }
    if (available < callGas + charges) return 'OutOfGas'
    setFrameGas(f, available - callGas - charges)
    ;[childGas, childExcess] = splitGas(value !== 0n ? callGas + BigInt(GAS_CALL_STIPEND) : callGas)
  }
  if (f.isStatic && kind === CallKind.Call && value !== 0n) return 'WriteInStaticContext'
  if (end > f.memorySize) growMemory(f, end)
  f.returnData = EMPTY

  if (
    f.depth + 1 > CALL_DEPTH_LIMIT ||
    (value !== 0n && kind !== CallKind.DelegateCall && host.getBalance(f.address) < value)
  ) {
    if (childExcess === 0n && f.excess === 0n && f.gas + childGas <= Number.MAX_SAFE_INTEGER)
      f.gas += childGas
    else setFrameGas(f, BigInt(f.gas) + f.excess + BigInt(childGas) + childExcess)
    s[f.sp++] = 0n
    return undefined
  }
  const inLength = Number(inSize)
  const input = inLength === 0 ? EMPTY : f.memory.slice(Number(inOffset), Number(inOffset) + inLength)
  const retSize = Number(outSize)
  const retOffset = retSize === 0 ? 0 : Number(outOffset)
  let caller = f.address
  let address = to
  let msgValue = value
  let transferValue = true
  if (kind === CallKind.CallCode) address = f.address
  else if (kind === CallKind.DelegateCall) {
    caller = f.caller
    address = f.address
    msgValue = f.value
    transferValue = false
  }
  f.pending = callMessage({
    kind,
    caller,
    address,
    codeAddress,
    value: msgValue,
    input,
    code,
    gas: childGas,
    gasExcess: childExcess,
    depth: f.depth + 1,
    isStatic: f.isStatic || kind === CallKind.StaticCall,
    transferValue,
    disablePrecompiles,
    retOffset,
    retSize,
  })
  return undefined
}

/** CREATE and CREATE2 (EIP-1014), with EIP-3860 initcode limits and EIP-684/7610 collisions. */
export function opCreate(f: Frame, ctx: Context, isCreate2: boolean): HaltReason | undefined {
  const s = f.stack
  let sp = f.sp
  const value = s[--sp]!
  const offset = s[--sp]!
  const size = s[--sp]!
  const salt = isCreate2 ? s[--sp]! : 0n
  f.sp = sp
  const end = rangeEnd(offset, size)
  if (end === Number.POSITIVE_INFINITY) return 'OutOfGas'
  const { host, rules } = ctx
  const p = rules.params
  const n = Number(size)
  const words = Math.ceil(n / 32)
  const extra = p.initCodeWordGas * words + (isCreate2 ? GAS_KECCAK256_WORD * words : 0)
  if (!chargeMemory(f, end, extra)) return 'OutOfGas'
  if (n > p.maxInitCodeSize) return 'OutOfGas'
  let callGas: number
  let callExcess = 0n
  if (f.excess === 0n) {
    callGas = ctx.eip150 ? f.gas - Math.floor(f.gas / 64) : f.gas
    f.gas -= callGas
  } else {
    const available = BigInt(f.gas) + f.excess
    const give = ctx.eip150 ? available - available / 64n : available
    setFrameGas(f, available - give)
    ;[callGas, callExcess] = splitGas(give)
  }
  if (f.isStatic) return 'WriteInStaticContext'
  f.returnData = EMPTY
  const self = f.address
  const nonce = host.getNonce(self)
  if (f.depth + 1 > CALL_DEPTH_LIMIT || nonce >= MAX_NONCE || host.getBalance(self) < value) {
    if (callExcess === 0n && f.excess === 0n) f.gas += callGas
    else setFrameGas(f, BigInt(f.gas) + f.excess + BigInt(callGas) + callExcess)
    s[f.sp++] = 0n
    return undefined
  }
  const initcode = n === 0 ? EMPTY : f.memory.slice(Number(offset), Number(offset) + n)
  const selfBytes = wordToAddress(self)
  const address = bytesToWord(
    isCreate2
      ? create2Address(selfBytes, wordToBytes(salt), keccak256(initcode))
      : createAddress(selfBytes, nonce),
  )
  if (ctx.eip2929) host.warmAccount(address)
  host.setNonce(self, nonce + 1n)
  f.pending = createMessage({
    kind: isCreate2 ? CallKind.Create2 : CallKind.Create,
    caller: self,
    address,
    value,
    initcode,
    gas: callGas,
    gasExcess: callExcess,
    depth: f.depth + 1,
  })
  return undefined
}

/** True when `address` already self-destructed in this frame or a caller (including merged children). */
function alreadyDestroyed(f: Frame, address: bigint): boolean {
  for (let x: Frame | undefined = f; x !== undefined; x = x.parent)
    if (x.selfdestructs?.has(address)) return true
  return false
}

/** SELFDESTRUCT: EIP-150 costs, EIP-161 touches, EIP-2929 cold beneficiary, EIP-3529 and EIP-6780. */
export function opSelfdestruct(f: Frame, ctx: Context): HaltReason | undefined {
  const beneficiary = f.stack[--f.sp]! & ADDRESS_MASK
  const { host, rules } = ctx
  const p = rules.params
  const self = f.address
  let cost = 0
  if (ctx.eip2929 && !host.warmAccount(beneficiary)) cost += p.coldAccountAccessGas
  if (ctx.eip161) {
    if (host.getBalance(self) !== 0n && host.isEmpty(beneficiary)) cost += p.selfdestructNewAccountGas
  } else if (!host.exists(beneficiary)) cost += p.selfdestructNewAccountGas
  if (f.gas < cost) return 'OutOfGas'
  f.gas -= cost
  if (f.isStatic) return 'WriteInStaticContext'
  if (p.selfdestructRefund > 0 && !alreadyDestroyed(f, self)) f.refund += p.selfdestructRefund
  const balance = host.getBalance(self)
  let destroy = true
  if (ctx.eip6780) {
    // EIP-6780: the balance moves; the account goes only if created in this transaction (a
    // self-beneficiary then burns its balance).
    if (beneficiary !== self && balance !== 0n) {
      host.setBalance(self, 0n)
      host.setBalance(beneficiary, host.getBalance(beneficiary) + balance)
    }
    destroy = host.isCreatedInTransaction(self)
    if (destroy) host.setBalance(self, 0n)
  } else {
    // Credit first, then zero: a self-beneficiary burns its balance.
    host.setBalance(beneficiary, host.getBalance(beneficiary) + balance)
    host.setBalance(self, 0n)
  }
  if (ctx.eip161) host.touch(beneficiary)
  if (destroy) {
    if (f.selfdestructs === undefined) f.selfdestructs = new Set([self])
    else f.selfdestructs.add(self)
  }
  f.status = Status.Success
  return undefined
}
