import type { BlockEnv, TransactionInput } from '@crucible/evm-types'
import { type ForkName, getForkRules } from '@crucible/forks'
import type { Inspector } from '../src/tracing/inspector.js'
import { processTransaction, type TransactionResult } from '../src/transaction/process.js'
import { asm } from './asm.js'
import { MemoryHost } from './memory-host.js'

export const SENDER = 0x1000n
export const CONTRACT = 0xc0den
export const COINBASE = 0xcb0000n

export function block(overrides: Partial<BlockEnv> = {}): BlockEnv {
  return {
    number: 100n,
    coinbase: COINBASE,
    timestamp: 1000n,
    gasLimit: 30_000_000n,
    difficulty: 0x20000n,
    prevRandao: 0x1234n,
    baseFee: 7n,
    blobBaseFee: 1n,
    chainId: 1n,
    ...overrides,
  }
}

export { asm } from './asm.js'

export interface RunOptions {
  fork?: ForkName
  gas?: bigint
  value?: bigint
  data?: Uint8Array
  host?: MemoryHost
  storage?: Record<string, bigint>
  inspector?: Inspector
  tx?: Partial<TransactionInput>
  block?: Partial<BlockEnv>
}

/** Puts `code` at CONTRACT and sends it a transaction; returns the result and the host. */
export function runCode(
  code: string | Uint8Array,
  o: RunOptions = {},
): { result: TransactionResult; host: MemoryHost } {
  const host = o.host ?? new MemoryHost()
  host.put(SENDER, { balance: 10n ** 24n })
  host.put(CONTRACT, {
    code: typeof code === 'string' ? asm(code) : code,
    storage: o.storage,
    balance: host.getBalance(CONTRACT),
  })
  const rules = getForkRules(o.fork ?? 'Cancun')
  const tx: TransactionInput = {
    type: 0,
    sender: SENDER,
    to: CONTRACT,
    nonce: 0n,
    value: o.value ?? 0n,
    data: o.data ?? new Uint8Array(0),
    gasLimit: o.gas ?? 1_000_000n,
    gasPrice: 10n,
    ...o.tx,
  }
  const result = processTransaction(
    host,
    tx,
    block(o.block),
    rules,
    o.inspector ? { inspector: o.inspector } : {},
  )
  return { result, host }
}

/** Runs `code` that ends by storing its result in slot 0; returns that slot. */
export function slot(host: MemoryHost, k = 0n, address = CONTRACT): bigint {
  return host.getStorage(address, k)
}

import { Context } from '../src/interpreter/context.js'
import { executeMessage, type MessageResult } from '../src/message/driver.js'
import { callMessage } from '../src/message/message.js'

export interface ExecOptions {
  fork?: ForkName
  gas?: number
  storage?: Record<string, bigint>
  host?: MemoryHost
  /** Warm these slots of CONTRACT first (as an access list would). */
  warmSlots?: bigint[]
  isStatic?: boolean
  data?: Uint8Array
  value?: bigint
}

/** Runs `code` as a message at CONTRACT (no transaction costs): gas used, refund, output. */
export function exec(
  code: string,
  o: ExecOptions = {},
): { r: MessageResult; gasUsed: number; host: MemoryHost } {
  const host = o.host ?? new MemoryHost()
  if (!host.exists(SENDER)) host.put(SENDER, { balance: 10n ** 24n })
  host.put(CONTRACT, { code: asm(code), storage: o.storage, balance: host.getBalance(CONTRACT) })
  const rules = getForkRules(o.fork ?? 'Cancun')
  host.beginTransaction()
  const ctx = new Context(host, rules, block(), SENDER, 10n, [], undefined)
  if (ctx.eip2929) {
    host.warmAccount(SENDER)
    host.warmAccount(CONTRACT)
    for (const a of rules.params.precompiles) host.warmAccount(BigInt(a))
  }
  for (const k of o.warmSlots ?? []) host.warmSlot(CONTRACT, k)
  const gas = o.gas ?? 1_000_000
  const msg = callMessage({
    caller: SENDER,
    address: CONTRACT,
    value: o.value ?? 0n,
    input: o.data ?? new Uint8Array(0),
    code: asm(code),
    gas,
    isStatic: o.isStatic ?? false,
  })
  const r = executeMessage(ctx, msg)
  return { r, gasUsed: gas - r.gasLeft, host }
}

/** A word of output as a bigint. */
export function outWord(r: MessageResult): bigint {
  let v = 0n
  for (const b of r.output) v = (v << 8n) | BigInt(b)
  return v
}

/** Code that returns the top of the stack as a 32-byte word: appended to a computation. */
export const RETURN_TOP = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN'
