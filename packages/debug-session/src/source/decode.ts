import { bytesToHex } from '@crucible/primitives'
import {
  type AbiItem,
  type DecodedArgument,
  decodeEvent,
  decodeParameters,
  PANIC_REASONS,
  signature,
} from './abi.js'
import type { ContractInfo, Sources } from './artifacts.js'

/** Call data (or a creation's constructor arguments) decoded by the ABI. */
export interface DecodedCall {
  /** `name(types)`, or `constructor(types)`. */
  function: string
  args: DecodedArgument[]
}

/** Why a frame failed, decoded: `Error(string)`, `Panic(uint256)`, or a custom error of the ABI. */
export interface DecodedRevert {
  kind: 'error' | 'panic' | 'custom'
  /** The message (`Error`), the panic's meaning, or the custom error's signature. */
  reason: string
  /** The panic code (0x-hex). */
  code?: string
  args?: DecodedArgument[]
}

export interface DecodedEvent {
  event: string
  args: DecodedArgument[]
}

const ERROR_SELECTOR = '0x08c379a0'
const PANIC_SELECTOR = '0x4e487b71'
const selector = (data: Uint8Array) => bytesToHex(data.subarray(0, 4))

/** Decodes call data by the contract's functions; undefined when no function has its selector or it does not fit. */
export function decodeCalldata(contract: ContractInfo, data: Uint8Array): DecodedCall | undefined {
  if (data.length < 4) return undefined
  const item = contract.functions.get(selector(data))
  if (item === undefined) return undefined
  const args = decodeParameters(item.inputs ?? [], data.subarray(4))
  return args === undefined ? undefined : { function: signature(item), args }
}

/** Constructor arguments appended to creation code. */
export function decodeConstructor(contract: ContractInfo, args: Uint8Array): DecodedCall | undefined {
  const item = contract.abi.find((i) => i.type === 'constructor') ?? { type: 'constructor', inputs: [] }
  const decoded = decodeParameters(item.inputs ?? [], args)
  return decoded === undefined
    ? undefined
    : { function: `constructor(${signature(item).slice(1)}`, args: decoded }
}

/** Return data of a successful call to `fn`, decoded by its outputs. */
export function decodeReturn(
  contract: ContractInfo,
  calldata: Uint8Array,
  output: Uint8Array,
): DecodedArgument[] | undefined {
  if (calldata.length < 4) return undefined
  const item = contract.functions.get(selector(calldata))
  return item === undefined ? undefined : decodeParameters(item.outputs ?? [], output)
}

/**
 * Revert data decoded: the two builtin errors always; custom errors from `contract` first,
 * then from any contract of the sources (an error may bubble up from a callee).
 */
export function decodeRevert(
  data: Uint8Array,
  contract?: ContractInfo,
  sources?: Sources,
): DecodedRevert | undefined {
  if (data.length < 4) return undefined
  const sel = selector(data)
  if (sel === ERROR_SELECTOR) {
    const args = decodeParameters([{ type: 'string', name: 'message' }], data.subarray(4))
    return args === undefined ? undefined : { kind: 'error', reason: String(args[0]!.value) }
  }
  if (sel === PANIC_SELECTOR) {
    const args = decodeParameters([{ type: 'uint256', name: 'code' }], data.subarray(4))
    if (args === undefined) return undefined
    const code = BigInt(String(args[0]!.value))
    const meaning = code < 256n ? PANIC_REASONS[Number(code)] : undefined
    return {
      kind: 'panic',
      code: `0x${code.toString(16)}`,
      reason: meaning ?? `panic 0x${code.toString(16)}`,
    }
  }
  const candidates: AbiItem[] = []
  const own = contract?.errors.get(sel)
  if (own !== undefined) candidates.push(own)
  for (const c of sources?.contracts ?? []) {
    const e = c.errors.get(sel)
    if (e !== undefined && !candidates.includes(e)) candidates.push(e)
  }
  for (const item of candidates) {
    const args = decodeParameters(item.inputs ?? [], data.subarray(4))
    if (args !== undefined) return { kind: 'custom', reason: signature(item), args }
  }
  return undefined
}

/** A log decoded by the emitter's events (then any contract's with that topic 0). */
export function decodeLog(
  topics: readonly Uint8Array[],
  data: Uint8Array,
  emitter: ContractInfo | undefined,
  sources: Sources,
): DecodedEvent | undefined {
  const t0 = topics[0]
  if (t0 === undefined) return undefined
  const topic = bytesToHex(t0)
  const candidates: AbiItem[] = []
  const own = emitter?.events.get(topic)
  if (own !== undefined) candidates.push(own)
  for (const c of sources.contracts) {
    const e = c.events.get(topic)
    if (e !== undefined && !candidates.includes(e)) candidates.push(e)
  }
  for (const item of candidates) {
    const args = decodeEvent(item, topics, data)
    if (args !== undefined) return { event: signature(item), args }
  }
  return undefined
}
