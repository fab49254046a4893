import { EMPTY } from '../interpreter/constants.js'

/** What kind of message a frame runs. */
export const CallKind = {
  Call: 0,
  CallCode: 1,
  DelegateCall: 2,
  StaticCall: 3,
  Create: 4,
  Create2: 5,
} as const
export type CallKind = (typeof CallKind)[keyof typeof CallKind]

/** The opcode names of the call kinds, as geth's tracers print them (`CALL_KIND_NAMES[kind]`). */
export const CALL_KIND_NAMES: Readonly<Record<CallKind, string>> = [
  'CALL',
  'CALLCODE',
  'DELEGATECALL',
  'STATICCALL',
  'CREATE',
  'CREATE2',
]

/** True for CREATE and CREATE2. */
export const isCreate = (kind: CallKind): boolean => kind === CallKind.Create || kind === CallKind.Create2

/**
 * A message to run: what CALL/CREATE hand to the driver, and what a transaction or a system
 * call starts with. Build one with {@link callMessage} or {@link createMessage}.
 */
export interface Message {
  readonly kind: CallKind
  readonly caller: bigint
  /** The account whose storage and balance the code acts on ("current target"). */
  readonly address: bigint
  /** Where the code came from (precompile dispatch looks at this). */
  readonly codeAddress: bigint
  readonly value: bigint
  /** Call data (empty for a creation). */
  readonly input: Uint8Array
  /** The code to run: the callee's code, or the initcode of a creation. */
  readonly code: Uint8Array
  readonly gas: number
  /**
   * Gas beyond `gas` (which is at most 2^53 - 1): only non-zero for transactions or calls
   * with more gas than a JS number holds exactly.
   */
  readonly gasExcess: bigint
  /** 0 for a transaction's (or system call's) own message. */
  readonly depth: number
  readonly isStatic: boolean
  /** False for DELEGATECALL (value is inherited, not sent) and for system calls. */
  readonly transferValue: boolean
  /** EIP-7702: code reached through a delegation never runs a precompile. */
  readonly disablePrecompiles: boolean
  /** Where the caller wants the output in its memory (calls from code only). */
  readonly retOffset: number
  readonly retSize: number
}

/** The fields of a call; everything but the parties, the code and the gas has a default. */
export interface CallMessageFields {
  /** Default `CallKind.Call`. */
  kind?:
    | typeof CallKind.Call
    | typeof CallKind.CallCode
    | typeof CallKind.DelegateCall
    | typeof CallKind.StaticCall
  caller: bigint
  address: bigint
  /** Default `address`. */
  codeAddress?: bigint
  /** Default 0n. */
  value?: bigint
  /** Default empty. */
  input?: Uint8Array
  code: Uint8Array
  gas: number
  /** Default 0n. */
  gasExcess?: bigint
  /** Default 0. */
  depth?: number
  /** Default false. */
  isStatic?: boolean
  /** Default true. */
  transferValue?: boolean
  /** Default false. */
  disablePrecompiles?: boolean
  /** Default 0. */
  retOffset?: number
  /** Default 0. */
  retSize?: number
}

/** A CALL, CALLCODE, DELEGATECALL or STATICCALL message (or a transaction's call). */
export function callMessage(m: CallMessageFields): Message {
  return {
    kind: m.kind ?? CallKind.Call,
    caller: m.caller,
    address: m.address,
    codeAddress: m.codeAddress ?? m.address,
    value: m.value ?? 0n,
    input: m.input ?? EMPTY,
    code: m.code,
    gas: m.gas,
    gasExcess: m.gasExcess ?? 0n,
    depth: m.depth ?? 0,
    isStatic: m.isStatic ?? false,
    transferValue: m.transferValue ?? true,
    disablePrecompiles: m.disablePrecompiles ?? false,
    retOffset: m.retOffset ?? 0,
    retSize: m.retSize ?? 0,
  }
}

/** The fields of a creation: the new address is already derived (CREATE or CREATE2 rule). */
export interface CreateMessageFields {
  /** Default `CallKind.Create`. */
  kind?: typeof CallKind.Create | typeof CallKind.Create2
  caller: bigint
  /** The address of the new contract. */
  address: bigint
  /** Default 0n. */
  value?: bigint
  initcode: Uint8Array
  gas: number
  /** Default 0n. */
  gasExcess?: bigint
  /** Default 0. */
  depth?: number
}

/** A CREATE or CREATE2 message (or a creation transaction's). */
export function createMessage(m: CreateMessageFields): Message {
  return {
    kind: m.kind ?? CallKind.Create,
    caller: m.caller,
    address: m.address,
    codeAddress: m.address,
    value: m.value ?? 0n,
    input: EMPTY,
    code: m.initcode,
    gas: m.gas,
    gasExcess: m.gasExcess ?? 0n,
    depth: m.depth ?? 0,
    isStatic: false,
    transferValue: true,
    disablePrecompiles: false,
    retOffset: 0,
    retSize: 0,
  }
}
