import { Fork, type ForkRules } from '@crucible/forks'
import { STACK_LIMIT } from './constants.js'

/** Mnemonics of every defined opcode (any fork). */
export const OPCODE_NAMES: readonly string[] = /* @__PURE__ */ (() => {
  const names: string[] = []
  for (let i = 0; i < 256; i++) names.push(`0x${i.toString(16).padStart(2, '0')}`)
  const set = (op: number, name: string) => {
    names[op] = name
  }
  const list: [number, string][] = [
    [0x00, 'STOP'],
    [0x01, 'ADD'],
    [0x02, 'MUL'],
    [0x03, 'SUB'],
    [0x04, 'DIV'],
    [0x05, 'SDIV'],
    [0x06, 'MOD'],
    [0x07, 'SMOD'],
    [0x08, 'ADDMOD'],
    [0x09, 'MULMOD'],
    [0x0a, 'EXP'],
    [0x0b, 'SIGNEXTEND'],
    [0x10, 'LT'],
    [0x11, 'GT'],
    [0x12, 'SLT'],
    [0x13, 'SGT'],
    [0x14, 'EQ'],
    [0x15, 'ISZERO'],
    [0x16, 'AND'],
    [0x17, 'OR'],
    [0x18, 'XOR'],
    [0x19, 'NOT'],
    [0x1a, 'BYTE'],
    [0x1b, 'SHL'],
    [0x1c, 'SHR'],
    [0x1d, 'SAR'],
    [0x1e, 'CLZ'],
    [0x20, 'KECCAK256'],
    [0x30, 'ADDRESS'],
    [0x31, 'BALANCE'],
    [0x32, 'ORIGIN'],
    [0x33, 'CALLER'],
    [0x34, 'CALLVALUE'],
    [0x35, 'CALLDATALOAD'],
    [0x36, 'CALLDATASIZE'],
    [0x37, 'CALLDATACOPY'],
    [0x38, 'CODESIZE'],
    [0x39, 'CODECOPY'],
    [0x3a, 'GASPRICE'],
    [0x3b, 'EXTCODESIZE'],
    [0x3c, 'EXTCODECOPY'],
    [0x3d, 'RETURNDATASIZE'],
    [0x3e, 'RETURNDATACOPY'],
    [0x3f, 'EXTCODEHASH'],
    [0x40, 'BLOCKHASH'],
    [0x41, 'COINBASE'],
    [0x42, 'TIMESTAMP'],
    [0x43, 'NUMBER'],
    [0x44, 'PREVRANDAO'],
    [0x45, 'GASLIMIT'],
    [0x46, 'CHAINID'],
    [0x47, 'SELFBALANCE'],
    [0x48, 'BASEFEE'],
    [0x49, 'BLOBHASH'],
    [0x4a, 'BLOBBASEFEE'],
    [0x50, 'POP'],
    [0x51, 'MLOAD'],
    [0x52, 'MSTORE'],
    [0x53, 'MSTORE8'],
    [0x54, 'SLOAD'],
    [0x55, 'SSTORE'],
    [0x56, 'JUMP'],
    [0x57, 'JUMPI'],
    [0x58, 'PC'],
    [0x59, 'MSIZE'],
    [0x5a, 'GAS'],
    [0x5b, 'JUMPDEST'],
    [0x5c, 'TLOAD'],
    [0x5d, 'TSTORE'],
    [0x5e, 'MCOPY'],
    [0x5f, 'PUSH0'],
    [0xf0, 'CREATE'],
    [0xf1, 'CALL'],
    [0xf2, 'CALLCODE'],
    [0xf3, 'RETURN'],
    [0xf4, 'DELEGATECALL'],
    [0xf5, 'CREATE2'],
    [0xfa, 'STATICCALL'],
    [0xfd, 'REVERT'],
    [0xfe, 'INVALID'],
    [0xff, 'SELFDESTRUCT'],
  ]
  for (const [op, name] of list) set(op, name)
  for (let n = 1; n <= 32; n++) set(0x5f + n, `PUSH${n}`)
  for (let n = 1; n <= 16; n++) set(0x7f + n, `DUP${n}`)
  for (let n = 1; n <= 16; n++) set(0x8f + n, `SWAP${n}`)
  for (let n = 0; n <= 4; n++) set(0xa0 + n, `LOG${n}`)
  return Object.freeze(names)
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

interface OpDef {
  since: number
  inputs: number
  outputs: number
  gas: (rules: ForkRules) => number
}

const c = (n: number) => () => n

function definitions(): Map<number, OpDef> {
  const F = Fork.Frontier
  const defs = new Map<number, OpDef>()
  const def = (op: number, since: number, inputs: number, outputs: number, gas: (r: ForkRules) => number) =>
    defs.set(op, { since, inputs, outputs, gas })
  // Under EIP-2929 the account/slot access is charged dynamically (warm or cold).
  const access = (pre: (r: ForkRules) => number) => (r: ForkRules) => (r.isActive(2929) ? 0 : pre(r))
  def(0x00, F, 0, 0, c(0))
  for (const op of [0x01, 0x03]) def(op, F, 2, 1, c(3))
  for (const op of [0x02, 0x04, 0x05, 0x06, 0x07, 0x0b]) def(op, F, 2, 1, c(5))
  def(0x08, F, 3, 1, c(8))
  def(0x09, F, 3, 1, c(8))
  def(0x0a, F, 2, 1, c(10))
  for (const op of [0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a]) def(op, F, 2, 1, c(3))
  def(0x15, F, 1, 1, c(3))
  def(0x19, F, 1, 1, c(3))
  for (const op of [0x1b, 0x1c, 0x1d]) def(op, Fork.Constantinople, 2, 1, c(3))
  def(0x1e, Fork.Osaka, 1, 1, (r) => r.params.clzGas)
  def(0x20, F, 2, 1, c(30))
  def(0x30, F, 0, 1, c(2))
  def(
    0x31,
    F,
    1,
    1,
    access((r) => r.params.balanceGas),
  )
  for (const op of [0x32, 0x33, 0x34, 0x36, 0x38, 0x3a]) def(op, F, 0, 1, c(2))
  def(0x35, F, 1, 1, c(3))
  def(0x37, F, 3, 0, c(3))
  def(0x39, F, 3, 0, c(3))
  def(
    0x3b,
    F,
    1,
    1,
    access((r) => r.params.extcodeSizeGas),
  )
  def(
    0x3c,
    F,
    4,
    0,
    access((r) => r.params.extcodeCopyBaseGas),
  )
  def(0x3d, Fork.Byzantium, 0, 1, c(2))
  def(0x3e, Fork.Byzantium, 3, 0, c(3))
  def(
    0x3f,
    Fork.Constantinople,
    1,
    1,
    access((r) => r.params.extcodeHashGas),
  )
  def(0x40, F, 1, 1, c(20))
  for (const op of [0x41, 0x42, 0x43, 0x44, 0x45]) def(op, F, 0, 1, c(2))
  def(0x46, Fork.Istanbul, 0, 1, c(2))
  def(0x47, Fork.Istanbul, 0, 1, c(5))
  def(0x48, Fork.London, 0, 1, c(2))
  def(0x49, Fork.Cancun, 1, 1, c(3))
  def(0x4a, Fork.Cancun, 0, 1, c(2))
  def(0x50, F, 1, 0, c(2))
  def(0x51, F, 1, 1, c(3))
  def(0x52, F, 2, 0, c(3))
  def(0x53, F, 2, 0, c(3))
  def(
    0x54,
    F,
    1,
    1,
    access((r) => r.params.sloadGas),
  )
  def(0x55, F, 2, 0, c(0))
  def(0x56, F, 1, 0, c(8))
  def(0x57, F, 2, 0, c(10))
  for (const op of [0x58, 0x59, 0x5a]) def(op, F, 0, 1, c(2))
  def(0x5b, F, 0, 0, c(1))
  def(0x5c, Fork.Cancun, 1, 1, c(100))
  def(0x5d, Fork.Cancun, 2, 0, c(100))
  def(0x5e, Fork.Cancun, 3, 0, c(3))
  def(0x5f, Fork.Shanghai, 0, 1, c(2))
  for (let op = 0x60; op <= 0x7f; op++) def(op, F, 0, 1, c(3))
  for (let n = 1; n <= 16; n++) def(0x7f + n, F, n, n + 1, c(3))
  for (let n = 1; n <= 16; n++) def(0x8f + n, F, n + 1, n + 1, c(3))
  for (let n = 0; n <= 4; n++) def(0xa0 + n, F, n + 2, 0, c(375 + 375 * n))
  def(0xf0, F, 3, 1, c(32000))
  // CALL-family costs depend on warmth, value and account existence: all charged in the op.
  def(0xf1, F, 7, 1, c(0))
  def(0xf2, F, 7, 1, c(0))
  def(0xf3, F, 2, 0, c(0))
  def(0xf4, Fork.Homestead, 6, 1, c(0))
  def(0xf5, Fork.Constantinople, 4, 1, c(32000))
  def(0xfa, Fork.Byzantium, 6, 1, c(0))
  def(0xfd, Fork.Byzantium, 2, 0, c(0))
  def(0xfe, F, 0, 0, c(0))
  def(0xff, F, 1, 0, (r) => r.params.selfdestructGas)
  return defs
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
  for (const [op, d] of definitions()) {
    if (!rules.gte(d.since as never)) continue
    opmap[op] = op
    gas[op] = d.gas(rules)
    minSp[op] = d.inputs
    maxSp[op] = STACK_LIMIT - Math.max(0, d.outputs - d.inputs)
  }
  table = { opmap, gas, minSp, maxSp }
  tables.set(rules, table)
  return table
}
