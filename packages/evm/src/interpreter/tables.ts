import type { ForkParams, ForkRules } from '@crucible/forks'
import {
  GAS_BASE,
  GAS_BLOB_HASH,
  GAS_BLOCK_HASH,
  GAS_CREATE,
  GAS_EXPONENTIATION,
  GAS_FAST_STEP,
  GAS_HIGH,
  GAS_JUMPDEST,
  GAS_KECCAK256,
  GAS_LOG,
  GAS_LOG_TOPIC,
  GAS_LOW,
  GAS_MID,
  GAS_VERY_LOW,
  GAS_WARM_ACCESS,
  GAS_ZERO,
  STACK_LIMIT,
} from './constants.js'

/**
 * A static cost: a fixed named cost (`GAS_*` in constants.ts), or the name of the fork parameter that
 * holds it (`balanceGas` …) when a repricing EIP changed it.
 */
export type StaticGas = number | { readonly param: GasParam; readonly accessCharged?: true }

/** The fork parameters an opcode's static cost can come from. */
export type GasParam =
  | 'balanceGas'
  | 'extcodeSizeGas'
  | 'extcodeCopyBaseGas'
  | 'extcodeHashGas'
  | 'sloadGas'
  | 'selfdestructGas'
  | 'clzGas'

/** One row of the opcode list: everything static about an opcode. */
export interface OpcodeInfo {
  readonly opcode: number
  readonly name: string
  /** Bytes of immediate data after the opcode (PUSHn: n). */
  readonly immediate: number
  /** Stack items it pops. */
  readonly inputs: number
  /** Stack items it pushes. */
  readonly outputs: number
  /** Gas charged before it runs (dynamic parts are charged by the opcode itself). */
  readonly gas: StaticGas
  /** The EIP that introduces it; 0 for the Frontier set. */
  readonly eip: number
}

// Under EIP-2929 the account or slot access of these is charged dynamically (warm or cold),
// so their static cost is 0 from Berlin.
const access = (param: GasParam): StaticGas => ({ param, accessCharged: true })
const param = (name: GasParam): StaticGas => ({ param: name })

type Row = [opcode: number, name: string, inputs: number, outputs: number, gas: StaticGas, eip?: number]

/** Every opcode, as the execution-specs' instructions list them (and evmone's traits). */
const ROWS: readonly Row[] = [
  [0x00, 'STOP', 0, 0, GAS_ZERO],
  [0x01, 'ADD', 2, 1, GAS_VERY_LOW],
  [0x02, 'MUL', 2, 1, GAS_LOW],
  [0x03, 'SUB', 2, 1, GAS_VERY_LOW],
  [0x04, 'DIV', 2, 1, GAS_LOW],
  [0x05, 'SDIV', 2, 1, GAS_LOW],
  [0x06, 'MOD', 2, 1, GAS_LOW],
  [0x07, 'SMOD', 2, 1, GAS_LOW],
  [0x08, 'ADDMOD', 3, 1, GAS_MID],
  [0x09, 'MULMOD', 3, 1, GAS_MID],
  [0x0a, 'EXP', 2, 1, GAS_EXPONENTIATION],
  [0x0b, 'SIGNEXTEND', 2, 1, GAS_LOW],
  [0x10, 'LT', 2, 1, GAS_VERY_LOW],
  [0x11, 'GT', 2, 1, GAS_VERY_LOW],
  [0x12, 'SLT', 2, 1, GAS_VERY_LOW],
  [0x13, 'SGT', 2, 1, GAS_VERY_LOW],
  [0x14, 'EQ', 2, 1, GAS_VERY_LOW],
  [0x15, 'ISZERO', 1, 1, GAS_VERY_LOW],
  [0x16, 'AND', 2, 1, GAS_VERY_LOW],
  [0x17, 'OR', 2, 1, GAS_VERY_LOW],
  [0x18, 'XOR', 2, 1, GAS_VERY_LOW],
  [0x19, 'NOT', 1, 1, GAS_VERY_LOW],
  [0x1a, 'BYTE', 2, 1, GAS_VERY_LOW],
  [0x1b, 'SHL', 2, 1, GAS_VERY_LOW, 145],
  [0x1c, 'SHR', 2, 1, GAS_VERY_LOW, 145],
  [0x1d, 'SAR', 2, 1, GAS_VERY_LOW, 145],
  [0x1e, 'CLZ', 1, 1, param('clzGas'), 7939],
  [0x20, 'KECCAK256', 2, 1, GAS_KECCAK256],
  [0x30, 'ADDRESS', 0, 1, GAS_BASE],
  [0x31, 'BALANCE', 1, 1, access('balanceGas')],
  [0x32, 'ORIGIN', 0, 1, GAS_BASE],
  [0x33, 'CALLER', 0, 1, GAS_BASE],
  [0x34, 'CALLVALUE', 0, 1, GAS_BASE],
  [0x35, 'CALLDATALOAD', 1, 1, GAS_VERY_LOW],
  [0x36, 'CALLDATASIZE', 0, 1, GAS_BASE],
  [0x37, 'CALLDATACOPY', 3, 0, GAS_VERY_LOW],
  [0x38, 'CODESIZE', 0, 1, GAS_BASE],
  [0x39, 'CODECOPY', 3, 0, GAS_VERY_LOW],
  [0x3a, 'GASPRICE', 0, 1, GAS_BASE],
  [0x3b, 'EXTCODESIZE', 1, 1, access('extcodeSizeGas')],
  [0x3c, 'EXTCODECOPY', 4, 0, access('extcodeCopyBaseGas')],
  [0x3d, 'RETURNDATASIZE', 0, 1, GAS_BASE, 211],
  [0x3e, 'RETURNDATACOPY', 3, 0, GAS_VERY_LOW, 211],
  [0x3f, 'EXTCODEHASH', 1, 1, access('extcodeHashGas'), 1052],
  [0x40, 'BLOCKHASH', 1, 1, GAS_BLOCK_HASH],
  [0x41, 'COINBASE', 0, 1, GAS_BASE],
  [0x42, 'TIMESTAMP', 0, 1, GAS_BASE],
  [0x43, 'NUMBER', 0, 1, GAS_BASE],
  // DIFFICULTY until the merge; EIP-4399 gives it the PREVRANDAO meaning, same opcode.
  [0x44, 'PREVRANDAO', 0, 1, GAS_BASE],
  [0x45, 'GASLIMIT', 0, 1, GAS_BASE],
  [0x46, 'CHAINID', 0, 1, GAS_BASE, 1344],
  [0x47, 'SELFBALANCE', 0, 1, GAS_FAST_STEP, 1884],
  [0x48, 'BASEFEE', 0, 1, GAS_BASE, 3198],
  [0x49, 'BLOBHASH', 1, 1, GAS_BLOB_HASH, 4844],
  [0x4a, 'BLOBBASEFEE', 0, 1, GAS_BASE, 7516],
  [0x50, 'POP', 1, 0, GAS_BASE],
  [0x51, 'MLOAD', 1, 1, GAS_VERY_LOW],
  [0x52, 'MSTORE', 2, 0, GAS_VERY_LOW],
  [0x53, 'MSTORE8', 2, 0, GAS_VERY_LOW],
  [0x54, 'SLOAD', 1, 1, access('sloadGas')],
  // Every part of SSTORE's cost depends on the slot's values: all charged by the opcode.
  [0x55, 'SSTORE', 2, 0, GAS_ZERO],
  [0x56, 'JUMP', 1, 0, GAS_MID],
  [0x57, 'JUMPI', 2, 0, GAS_HIGH],
  [0x58, 'PC', 0, 1, GAS_BASE],
  [0x59, 'MSIZE', 0, 1, GAS_BASE],
  [0x5a, 'GAS', 0, 1, GAS_BASE],
  [0x5b, 'JUMPDEST', 0, 0, GAS_JUMPDEST],
  [0x5c, 'TLOAD', 1, 1, GAS_WARM_ACCESS, 1153],
  [0x5d, 'TSTORE', 2, 0, GAS_WARM_ACCESS, 1153],
  [0x5e, 'MCOPY', 3, 0, GAS_VERY_LOW, 5656],
  [0x5f, 'PUSH0', 0, 1, GAS_BASE, 3855],
  // PUSH1-32, DUP1-16, SWAP1-16, LOG0-4: see the families below.
  [0xf0, 'CREATE', 3, 1, GAS_CREATE],
  // The CALL family's costs depend on warmth, value and account existence: all dynamic.
  [0xf1, 'CALL', 7, 1, GAS_ZERO],
  [0xf2, 'CALLCODE', 7, 1, GAS_ZERO],
  [0xf3, 'RETURN', 2, 0, GAS_ZERO],
  [0xf4, 'DELEGATECALL', 6, 1, GAS_ZERO, 7],
  [0xf5, 'CREATE2', 4, 1, GAS_CREATE, 1014],
  [0xfa, 'STATICCALL', 6, 1, GAS_ZERO, 214],
  [0xfd, 'REVERT', 2, 0, GAS_ZERO, 140],
  [0xfe, 'INVALID', 0, 0, GAS_ZERO],
  [0xff, 'SELFDESTRUCT', 1, 0, param('selfdestructGas')],
]

function info(row: Row, immediate = 0): OpcodeInfo {
  const [opcode, name, inputs, outputs, gas, eip = 0] = row
  return Object.freeze({ opcode, name, immediate, inputs, outputs, gas, eip })
}

/** Every defined opcode (any fork), in opcode order. */
export const OPCODES: readonly OpcodeInfo[] = /* @__PURE__ */ (() => {
  const list = ROWS.map((row) => info(row))
  for (let n = 1; n <= 32; n++) list.push(info([0x5f + n, `PUSH${n}`, 0, 1, GAS_VERY_LOW], n))
  for (let n = 1; n <= 16; n++) list.push(info([0x7f + n, `DUP${n}`, n, n + 1, GAS_VERY_LOW]))
  for (let n = 1; n <= 16; n++) list.push(info([0x8f + n, `SWAP${n}`, n + 1, n + 1, GAS_VERY_LOW]))
  for (let n = 0; n <= 4; n++) list.push(info([0xa0 + n, `LOG${n}`, n + 2, 0, GAS_LOG + GAS_LOG_TOPIC * n]))
  list.sort((a, b) => a.opcode - b.opcode)
  return Object.freeze(list)
})()

/** Mnemonic of every byte: the opcode's name, or its hex (`0x0c`) when no fork defines it. */
export const OPCODE_NAMES: readonly string[] = /* @__PURE__ */ (() => {
  const names: string[] = []
  for (let i = 0; i < 256; i++) names.push(`0x${i.toString(16).padStart(2, '0')}`)
  for (const o of OPCODES) names[o.opcode] = o.name
  return Object.freeze(names)
})()

/** Immediate bytes that follow each byte when it is executed as an opcode (PUSHn: n; else 0). */
export const IMMEDIATE_SIZE: Uint8Array = /* @__PURE__ */ (() => {
  const sizes = new Uint8Array(256)
  for (const o of OPCODES) sizes[o.opcode] = o.immediate
  return sizes
})()

/**
 * Per-fork dispatch data, built once per fork: `opmap` sends an opcode the fork does not
 * define to INVALID (0xfe), so the interpreter's switch never needs a fork check; `gas` is the
 * static cost; `minSp`/`maxSp` bound the stack pointer before the opcode runs.
 */
export interface ForkTable {
  readonly opmap: Uint8Array
  readonly gas: Int32Array
  readonly minSp: Int16Array
  readonly maxSp: Int16Array
}

/** The static cost of an opcode under a fork's rules. */
export function staticGas(o: OpcodeInfo, rules: ForkRules): number {
  const gas = o.gas
  if (typeof gas === 'number') return gas
  if (gas.accessCharged && rules.isActive(2929)) return 0
  return (rules.params as ForkParams)[gas.param]
}

const tables = new WeakMap<ForkRules, ForkTable>()

/** The dispatch table of a fork (built on first use, then shared). */
export function forkTable(rules: ForkRules): ForkTable {
  let table = tables.get(rules)
  if (table !== undefined) return table
  const opmap = new Uint8Array(256).fill(0xfe)
  const gas = new Int32Array(256)
  const minSp = new Int16Array(256)
  const maxSp = new Int16Array(256).fill(STACK_LIMIT)
  for (const o of OPCODES) {
    if (o.eip !== 0 && !rules.isActive(o.eip)) continue
    const op = o.opcode
    opmap[op] = op
    gas[op] = staticGas(o, rules)
    minSp[op] = o.inputs
    maxSp[op] = STACK_LIMIT - Math.max(0, o.outputs - o.inputs)
  }
  table = Object.freeze({ opmap, gas, minSp, maxSp })
  tables.set(rules, table)
  return table
}
