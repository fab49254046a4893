import type { HaltReason } from '../errors.js'
import { GAS_CALL_STIPEND } from './constants.js'
import type { Context } from './context.js'
import type { Frame } from './frame.js'

export function opSload(f: Frame, ctx: Context): HaltReason | undefined {
  const key = f.stack[f.sp - 1]!
  if (ctx.eip2929) {
    const p = ctx.rules.params
    const cost = ctx.host.warmSlot(f.address, key) ? p.warmStorageReadGas : p.coldSloadGas
    if (f.gas < cost) return 'OutOfGas'
    f.gas -= cost
  }
  f.stack[f.sp - 1] = ctx.host.getStorage(f.address, key)
  return undefined
}

/**
 * SSTORE under each fork's rules: the original Frontier table; net metering of EIP-1283
 * (Constantinople only) and EIP-2200 (Istanbul on, with the 2300 sentry); cold slots of
 * EIP-2929; refunds of EIP-3529. The refund counter may go negative inside a frame.
 */
export function opSstore(f: Frame, ctx: Context): HaltReason | undefined {
  const s = f.stack
  const sp = (f.sp -= 2)
  const key = s[sp + 1]!
  const value = s[sp]!
  const rules = ctx.rules
  const p = rules.params
  const host = ctx.host
  const address = f.address
  if (!ctx.netGasMetering) {
    const current = host.getStorage(address, key)
    const cost = value !== 0n && current === 0n ? p.sstoreSetGas : p.sstoreResetGas
    if (f.gas < cost) return 'OutOfGas'
    f.gas -= cost
    if (f.isStatic) return 'WriteInStaticContext'
    if (value === 0n && current !== 0n) f.refund += p.sstoreClearsRefund
    host.setStorage(address, key, value)
    return undefined
  }
  if (ctx.eip2200 && f.gas <= GAS_CALL_STIPEND) return 'OutOfGas'
  let cost = 0
  if (ctx.eip2929 && !host.warmSlot(address, key)) cost += p.coldSloadGas
  const current = host.getStorage(address, key)
  const original = current === value ? current : host.getOriginalStorage(address, key)
  // The "no-op/dirty" price: warm read from Berlin, SLOAD price before.
  const warm = ctx.eip2929 ? p.warmStorageReadGas : p.sloadGas
  if (original === current && current !== value) cost += original === 0n ? p.sstoreSetGas : p.sstoreResetGas
  else cost += warm
  if (f.gas < cost) return 'OutOfGas'
  f.gas -= cost
  if (f.isStatic) return 'WriteInStaticContext'
  if (current !== value) {
    const clear = p.sstoreClearsRefund
    if (original !== 0n && current !== 0n && value === 0n) f.refund += clear
    if (original !== 0n && current === 0n) f.refund -= clear
    if (original === value) f.refund += original === 0n ? p.sstoreSetGas - warm : p.sstoreResetGas - warm
    host.setStorage(address, key, value)
  }
  return undefined
}

export function opTstore(f: Frame, ctx: Context): HaltReason | undefined {
  if (f.isStatic) return 'WriteInStaticContext'
  const s = f.stack
  const sp = (f.sp -= 2)
  ctx.host.setTransientStorage(f.address, s[sp + 1]!, s[sp]!)
  return undefined
}
