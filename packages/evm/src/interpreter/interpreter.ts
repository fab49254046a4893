import type { HaltReason } from '../errors.js'
import type { Inspector } from '../tracing/inspector.js'
import { byteLength, byteOf, clz, exp, sar, sdiv, sgt, shl, shr, signExtend, slt, smod } from './arith.js'
import { EMPTY, MAX_MEMORY_BIG, MAX_WORD, WORD_MOD } from './constants.js'
import type { Context } from './context.js'
import { type Frame, Status } from './frame.js'
import type { Meter } from './limits.js'
import { expansionCost, growMemory, loadPadded, readWord, writeWord } from './memory.js'
import {
  blobHash,
  blockHash,
  opBalance,
  opCopy,
  opExtCodeCopy,
  opExtCodeHash,
  opExtCodeSize,
  opKeccak,
  opLog,
  opMcopy,
} from './ops-env.js'
import { opReturn } from './ops-halt.js'
import { opSload, opSstore, opTstore } from './ops-storage.js'
import { opCall, opCreate, opSelfdestruct } from './ops-system.js'

/** `run` returned because the frame halted (see `frame.status`). */
export const ACTION_HALT = 0
/** `run` returned because the frame wants to run the child message in `frame.pending`. */
export const ACTION_MESSAGE = 1

/**
 * Runs a frame until it halts or needs a child message. Synchronous and allocation-light: pc,
 * stack pointer and gas live in locals; static gas and stack bounds come from the fork's
 * tables; undefined opcodes were mapped to INVALID.
 *
 * An opcode either runs inline (locals only; pure helpers that take and return values are
 * fine) or in an out-of-line `op*` helper that works on the frame. Every helper call follows
 * one pattern, whatever the helper touches: write `sp` and `gas` to the frame, call, read
 * both back, then stop on a returned halt reason (or, for calls and creations, return to the
 * driver when a child message is pending).
 *
 * Each `!` on an index states a fact the loop has checked, for noUncheckedIndexedAccess, at no
 * run-time cost: `stack[…]!` is within the opcode's stack bounds (`minSp`/`maxSp`, checked
 * before the switch), `code[pc]!` within the zero-padded code (see `analyzeCode`), and the
 * per-opcode tables have 256 entries.
 */
export function run(f: Frame, ctx: Context): number {
  const table = ctx.table
  const opmap = table.opmap
  const gasTable = table.gas
  const minSp = table.minSp
  const maxSp = table.maxSp
  const code = f.code
  const pushes = f.pushes
  const jumpdests = f.jumpdests
  const codeLength = BigInt(f.codeLength)
  const stack = f.stack
  const inspector = ctx.inspector
  // Metered runs poll their interrupt at jumps (every loop has one), spaced by gas.
  const meter = ctx.meter
  const traced = inspector !== undefined && (inspector.step !== undefined || inspector.stepEnd !== undefined)
  // Traced runs only: the opcode whose stepEnd is due (-1: none yet) and its gas before.
  let stepPc = -1
  let stepGas = 0
  let pc = f.pc
  let sp = f.sp
  let gas = f.gas
  let err: HaltReason | undefined
  loop: for (;;) {
    const op = opmap[code[pc]!]!
    if (traced) {
      f.pc = pc
      f.sp = sp
      f.gas = gas
      if (stepPc >= 0) endStep(f, inspector, stepPc, stepGas, undefined)
      stepPc = pc
      stepGas = gas
      inspector.step?.(f)
    }
    if (sp < minSp[op]!) {
      err = 'StackUnderflow'
      break
    }
    if (sp > maxSp[op]!) {
      err = 'StackOverflow'
      break
    }
    if ((gas -= gasTable[op]!) < 0) {
      err = 'OutOfGas'
      break
    }
    switch (op) {
      case 0x00: // STOP
        f.status = Status.Success
        f.output = EMPTY
        break loop
      case 0x01: {
        // ADD
        const r = stack[--sp]! + stack[sp - 1]!
        stack[sp - 1] = r > MAX_WORD ? r - WORD_MOD : r
        break
      }
      case 0x02: // MUL
        sp--
        stack[sp - 1] = BigInt.asUintN(256, stack[sp]! * stack[sp - 1]!)
        break
      case 0x03: {
        // SUB
        const r = stack[--sp]! - stack[sp - 1]!
        stack[sp - 1] = r < 0n ? r + WORD_MOD : r
        break
      }
      case 0x04: {
        // DIV
        const a = stack[--sp]!
        const b = stack[sp - 1]!
        stack[sp - 1] = b === 0n ? 0n : a / b
        break
      }
      case 0x05: // SDIV
        sp--
        stack[sp - 1] = sdiv(stack[sp]!, stack[sp - 1]!)
        break
      case 0x06: {
        // MOD
        const a = stack[--sp]!
        const b = stack[sp - 1]!
        stack[sp - 1] = b === 0n ? 0n : a % b
        break
      }
      case 0x07: // SMOD
        sp--
        stack[sp - 1] = smod(stack[sp]!, stack[sp - 1]!)
        break
      case 0x08: {
        // ADDMOD
        const a = stack[--sp]!
        const b = stack[--sp]!
        const n = stack[sp - 1]!
        if (n === 0n) stack[sp - 1] = 0n
        else if (a < n && b < n) {
          // Both already reduced: one compare and subtract instead of a division.
          const r = a + b
          stack[sp - 1] = r >= n ? r - n : r
        } else stack[sp - 1] = (a + b) % n
        break
      }
      case 0x09: {
        // MULMOD
        const a = stack[--sp]!
        const b = stack[--sp]!
        const n = stack[sp - 1]!
        stack[sp - 1] = n === 0n ? 0n : (a * b) % n
        break
      }
      case 0x0a: {
        // EXP
        const base = stack[--sp]!
        const exponent = stack[sp - 1]!
        if ((gas -= ctx.rules.params.expByteGas * byteLength(exponent)) < 0) {
          err = 'OutOfGas'
          break loop
        }
        stack[sp - 1] = exp(base, exponent)
        break
      }
      case 0x0b: // SIGNEXTEND
        sp--
        stack[sp - 1] = signExtend(stack[sp]!, stack[sp - 1]!)
        break
      case 0x10: // LT
        sp--
        stack[sp - 1] = stack[sp]! < stack[sp - 1]! ? 1n : 0n
        break
      case 0x11: // GT
        sp--
        stack[sp - 1] = stack[sp]! > stack[sp - 1]! ? 1n : 0n
        break
      case 0x12: // SLT
        sp--
        stack[sp - 1] = slt(stack[sp]!, stack[sp - 1]!)
        break
      case 0x13: // SGT
        sp--
        stack[sp - 1] = sgt(stack[sp]!, stack[sp - 1]!)
        break
      case 0x14: // EQ
        sp--
        stack[sp - 1] = stack[sp]! === stack[sp - 1]! ? 1n : 0n
        break
      case 0x15: // ISZERO
        stack[sp - 1] = stack[sp - 1]! === 0n ? 1n : 0n
        break
      case 0x16: // AND
        sp--
        stack[sp - 1] = stack[sp]! & stack[sp - 1]!
        break
      case 0x17: // OR
        sp--
        stack[sp - 1] = stack[sp]! | stack[sp - 1]!
        break
      case 0x18: // XOR
        sp--
        stack[sp - 1] = stack[sp]! ^ stack[sp - 1]!
        break
      case 0x19: // NOT
        stack[sp - 1] = MAX_WORD ^ stack[sp - 1]!
        break
      case 0x1a: // BYTE
        sp--
        stack[sp - 1] = byteOf(stack[sp]!, stack[sp - 1]!)
        break
      case 0x1b: // SHL
        sp--
        stack[sp - 1] = shl(stack[sp]!, stack[sp - 1]!)
        break
      case 0x1c: // SHR
        sp--
        stack[sp - 1] = shr(stack[sp]!, stack[sp - 1]!)
        break
      case 0x1d: // SAR
        sp--
        stack[sp - 1] = sar(stack[sp]!, stack[sp - 1]!)
        break
      case 0x1e: // CLZ
        stack[sp - 1] = clz(stack[sp - 1]!)
        break
      case 0x20: // KECCAK256
        f.sp = sp
        f.gas = gas
        err = opKeccak(f)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x30: // ADDRESS
        stack[sp++] = f.address
        break
      case 0x31: // BALANCE
        f.sp = sp
        f.gas = gas
        err = opBalance(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x32: // ORIGIN
        stack[sp++] = ctx.origin
        break
      case 0x33: // CALLER
        stack[sp++] = f.caller
        break
      case 0x34: // CALLVALUE
        stack[sp++] = f.value
        break
      case 0x35: // CALLDATALOAD
        stack[sp - 1] = loadPadded(f.input, stack[sp - 1]!)
        break
      case 0x36: // CALLDATASIZE
        stack[sp++] = BigInt(f.input.length)
        break
      case 0x37: // CALLDATACOPY
      case 0x39: // CODECOPY
      case 0x3e: // RETURNDATACOPY
        f.sp = sp
        f.gas = gas
        err = opCopy(
          f,
          op === 0x37 /* CALLDATACOPY */
            ? f.input
            : op === 0x39 /* CODECOPY */
              ? code.subarray(0, f.codeLength)
              : f.returnData,
          op === 0x3e /* RETURNDATACOPY */,
        )
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x38: // CODESIZE
        stack[sp++] = codeLength
        break
      case 0x3a: // GASPRICE
        stack[sp++] = ctx.gasPrice
        break
      case 0x3b: // EXTCODESIZE
        f.sp = sp
        f.gas = gas
        err = opExtCodeSize(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x3c: // EXTCODECOPY
        f.sp = sp
        f.gas = gas
        err = opExtCodeCopy(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x3d: // RETURNDATASIZE
        stack[sp++] = BigInt(f.returnData.length)
        break
      case 0x3f: // EXTCODEHASH
        f.sp = sp
        f.gas = gas
        err = opExtCodeHash(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x40: // BLOCKHASH
        stack[sp - 1] = blockHash(ctx, stack[sp - 1]!)
        break
      case 0x41: // COINBASE
        stack[sp++] = ctx.block.coinbase
        break
      case 0x42: // TIMESTAMP
        stack[sp++] = ctx.block.timestamp
        break
      case 0x43: // NUMBER
        stack[sp++] = ctx.block.number
        break
      case 0x44: // PREVRANDAO
        stack[sp++] = ctx.randomness
        break
      case 0x45: // GASLIMIT
        stack[sp++] = ctx.block.gasLimit
        break
      case 0x46: // CHAINID
        stack[sp++] = ctx.block.chainId
        break
      case 0x47: // SELFBALANCE
        stack[sp++] = ctx.host.getBalance(f.address)
        break
      case 0x48: // BASEFEE
        stack[sp++] = ctx.block.baseFee
        break
      case 0x49: // BLOBHASH
        stack[sp - 1] = blobHash(ctx, stack[sp - 1]!)
        break
      case 0x4a: // BLOBBASEFEE
        stack[sp++] = ctx.block.blobBaseFee
        break
      case 0x50: // POP
        sp--
        break
      case 0x51: {
        // MLOAD
        const offset = stack[sp - 1]!
        if (offset > MAX_MEMORY_BIG) {
          err = 'OutOfGas'
          break loop
        }
        const o = Number(offset)
        const end = o + 32
        if (end > f.memorySize) {
          const cost = expansionCost(f, end)
          if (cost < 0 || (gas -= cost) < 0) {
            err = 'OutOfGas'
            break loop
          }
          growMemory(f, end)
        }
        stack[sp - 1] = readWord(f.view, o)
        break
      }
      case 0x52: // MSTORE
      case 0x53: {
        // MSTORE8
        const offset = stack[--sp]!
        const value = stack[--sp]!
        if (offset > MAX_MEMORY_BIG) {
          err = 'OutOfGas'
          break loop
        }
        const o = Number(offset)
        const end = op === 0x52 /* MSTORE */ ? o + 32 : o + 1
        if (end > f.memorySize) {
          const cost = expansionCost(f, end)
          if (cost < 0 || (gas -= cost) < 0) {
            err = 'OutOfGas'
            break loop
          }
          growMemory(f, end)
        }
        if (op === 0x52 /* MSTORE */) writeWord(f.view, o, value)
        else f.memory[o] = Number(value & 0xffn)
        break
      }
      case 0x54: // SLOAD
        f.sp = sp
        f.gas = gas
        err = opSload(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x55: // SSTORE
        f.sp = sp
        f.gas = gas
        err = opSstore(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x56: {
        // JUMP
        const dest = stack[--sp]!
        if (dest >= codeLength || jumpdests[Number(dest)] !== 1) {
          err = 'InvalidJump'
          break loop
        }
        pc = Number(dest)
        if (meter !== undefined && gas < meter.pollAt) poll(f, meter, pc, gas)
        continue
      }
      case 0x57: {
        // JUMPI
        const dest = stack[--sp]!
        if (stack[--sp]! !== 0n) {
          if (dest >= codeLength || jumpdests[Number(dest)] !== 1) {
            err = 'InvalidJump'
            break loop
          }
          pc = Number(dest)
          if (meter !== undefined && gas < meter.pollAt) poll(f, meter, pc, gas)
          continue
        }
        break
      }
      case 0x58: // PC
        stack[sp++] = BigInt(pc)
        break
      case 0x59: // MSIZE
        stack[sp++] = BigInt(f.memorySize)
        break
      case 0x5a: // GAS
        stack[sp++] = f.excess === 0n ? BigInt(gas) : BigInt(gas) + f.excess
        break
      case 0x5b: // JUMPDEST
        break
      case 0x5c: // TLOAD
        stack[sp - 1] = ctx.host.getTransientStorage(f.address, stack[sp - 1]!)
        break
      case 0x5d: // TSTORE
        f.sp = sp
        f.gas = gas
        err = opTstore(f, ctx)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x5e: // MCOPY
        f.sp = sp
        f.gas = gas
        err = opMcopy(f)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0x5f: // PUSH0
        stack[sp++] = 0n
        break
      case 0x60: // PUSH1
      case 0x61: // PUSH2
      case 0x62: // PUSH3
      case 0x63: // PUSH4
      case 0x64: // PUSH5
      case 0x65: // PUSH6
      case 0x66: // PUSH7
      case 0x67: // PUSH8
      case 0x68: // PUSH9
      case 0x69: // PUSH10
      case 0x6a: // PUSH11
      case 0x6b: // PUSH12
      case 0x6c: // PUSH13
      case 0x6d: // PUSH14
      case 0x6e: // PUSH15
      case 0x6f: // PUSH16
      case 0x70: // PUSH17
      case 0x71: // PUSH18
      case 0x72: // PUSH19
      case 0x73: // PUSH20
      case 0x74: // PUSH21
      case 0x75: // PUSH22
      case 0x76: // PUSH23
      case 0x77: // PUSH24
      case 0x78: // PUSH25
      case 0x79: // PUSH26
      case 0x7a: // PUSH27
      case 0x7b: // PUSH28
      case 0x7c: // PUSH29
      case 0x7d: // PUSH30
      case 0x7e: // PUSH31
      case 0x7f: // PUSH32
        stack[sp++] = pushes[pc]!
        pc += op - 0x5e
        continue
      case 0x80: // DUP1
      case 0x81: // DUP2
      case 0x82: // DUP3
      case 0x83: // DUP4
      case 0x84: // DUP5
      case 0x85: // DUP6
      case 0x86: // DUP7
      case 0x87: // DUP8
      case 0x88: // DUP9
      case 0x89: // DUP10
      case 0x8a: // DUP11
      case 0x8b: // DUP12
      case 0x8c: // DUP13
      case 0x8d: // DUP14
      case 0x8e: // DUP15
      case 0x8f: // DUP16
        stack[sp] = stack[sp - (op - 0x7f)]!
        sp++
        break
      case 0x90: // SWAP1
      case 0x91: // SWAP2
      case 0x92: // SWAP3
      case 0x93: // SWAP4
      case 0x94: // SWAP5
      case 0x95: // SWAP6
      case 0x96: // SWAP7
      case 0x97: // SWAP8
      case 0x98: // SWAP9
      case 0x99: // SWAP10
      case 0x9a: // SWAP11
      case 0x9b: // SWAP12
      case 0x9c: // SWAP13
      case 0x9d: // SWAP14
      case 0x9e: // SWAP15
      case 0x9f: {
        // SWAP16
        const i = sp - 1 - (op - 0x8f)
        const top = stack[sp - 1]!
        stack[sp - 1] = stack[i]!
        stack[i] = top
        break
      }
      case 0xa0: // LOG0
      case 0xa1: // LOG1
      case 0xa2: // LOG2
      case 0xa3: // LOG3
      case 0xa4: // LOG4
        f.sp = sp
        f.gas = gas
        err = opLog(f, ctx, op - 0xa0)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        break
      case 0xf0: // CREATE
      case 0xf5: // CREATE2
      case 0xf1: // CALL
      case 0xf2: // CALLCODE
      case 0xf4: // DELEGATECALL
      case 0xfa: // STATICCALL
        f.sp = sp
        f.gas = gas
        err =
          op === 0xf0 /* CREATE */ || op === 0xf5 /* CREATE2 */
            ? opCreate(f, ctx, op === 0xf5)
            : opCall(f, ctx, op)
        sp = f.sp
        gas = f.gas
        if (err !== undefined) break loop
        if (f.pending !== undefined) {
          f.pc = pc + 1
          if (traced) endStep(f, inspector, pc, stepGas, undefined)
          return ACTION_MESSAGE
        }
        break
      case 0xf3: // RETURN
      case 0xfd: // REVERT
        f.sp = sp
        f.gas = gas
        err = opReturn(f, op === 0xfd /* REVERT */)
        sp = f.sp
        gas = f.gas
        break loop
      case 0xff: // SELFDESTRUCT
        f.sp = sp
        f.gas = gas
        err = opSelfdestruct(f, ctx)
        sp = f.sp
        gas = f.gas
        break loop
      default:
        err = 'InvalidOpcode'
        break loop
    }
    pc++
  }
  f.pc = pc
  f.sp = sp
  if (err !== undefined) {
    f.status = Status.Error
    f.halt = err
    f.gas = 0
    f.excess = 0n
    f.output = EMPTY
  } else f.gas = gas
  if (traced && stepPc >= 0) endStep(f, inspector, stepPc, stepGas, err)
  return ACTION_HALT
}

/** Polls a metered run's interrupt at a jump to `pc` (throws when it says to abort). */
function poll(f: Frame, meter: Meter, pc: number, gas: number): void {
  f.pc = pc
  f.gas = gas
  meter.poll(f, gas)
}

/** Calls `stepEnd` for the opcode at `opPc` (the frame already shows its effects). */
function endStep(
  f: Frame,
  inspector: Inspector,
  opPc: number,
  gasBefore: number,
  halt: HaltReason | undefined,
) {
  if (inspector.stepEnd === undefined) return
  const pc = f.pc
  f.pc = opPc
  inspector.stepEnd(f, gasBefore - f.gas, halt)
  f.pc = pc
}
