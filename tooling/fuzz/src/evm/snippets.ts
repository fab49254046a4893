import type { Random } from '../random.js'
import { hex, memStore, push, pushN } from './assemble.js'
import type { EvmFork, Snippet } from './model.js'
import { precompileCall } from './precompile-inputs.js'

/**
 * Stack-neutral snippets that reach real behaviour: every jump lands on a JUMPDEST the snippet
 * itself emits, every value pushed is consumed (stored, written to memory, or popped), calls
 * and creations target the generated contracts of the pre-state, precompiles get plausible
 * inputs. A small share of deliberately broken snippets keeps the halt paths covered.
 */

export interface SnippetContext {
  rand: Random
  fork: EvmFork
  /** Generated contracts of the pre-state. */
  contracts: bigint[]
  /** Externally owned accounts of the pre-state (some delegated with EIP-7702). */
  eoas: bigint[]
  /** 0 for a pre-state contract, 1+ inside init code. */
  depth: number
  /** Blob hashes the transaction carries (for BLOBHASH indexes). */
  blobs: number
}

const sn = (k: string, ...t: string[]): Snippet => ({ k, t })

/** A storage key from a small set, so writes and reads of a transaction meet. */
const slot = (r: Random): bigint => (r.chance(0.9) ? BigInt(r.int(8)) : r.word())

/** A memory offset: mostly small, sometimes large (expansion cost), rarely absurd (out of gas). */
function offset(r: Random): bigint {
  const x = r.float()
  if (x < 0.9) return BigInt(r.int(0x300))
  if (x < 0.998) return BigInt(r.range(0x300, 0x8000))
  return r.word()
}

function length(r: Random): bigint {
  const x = r.float()
  if (x < 0.9) return BigInt(r.int(0x60))
  if (x < 0.998) return BigInt(r.range(0x60, 0x1000))
  return r.word()
}

/** Consumes the value on top of the stack. */
function sink(r: Random): string {
  const x = r.float()
  if (x < 0.55) return `${push(slot(r))}55`
  if (x < 0.85) return `${push(BigInt(32 * r.int(16)))}52`
  return '50'
}

/** An address a snippet talks to. */
export function target(c: SnippetContext): string {
  const r = c.rand
  const x = r.float()
  if (x < 0.45) return push(r.pick(c.contracts))
  if (x < 0.55) return push(r.pick(c.eoas))
  if (x < 0.63) return '30' // ADDRESS: the running contract itself
  if (x < 0.7) return '33' // CALLER
  if (x < 0.8) return push(BigInt(r.range(1, 0x11)))
  if (x < 0.9) return push(0xdeadn + BigInt(r.int(3)))
  return push(r.bigint(160))
}

const BINARY = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a,
  0x1b, 0x1c, 0x1d,
]
const TERNARY = [0x08, 0x09]
const NULLARY = [
  0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4a, 0x58,
  0x59, 0x5a,
]
const byte = (op: number) => op.toString(16).padStart(2, '0')

function arith(c: SnippetContext): Snippet {
  const r = c.rand
  const x = r.float()
  if (x < 0.6) return sn('arith', push(r.word()), push(r.word()), byte(r.pick(BINARY)), sink(r))
  if (x < 0.75)
    return sn('arith', push(r.word()), push(r.word()), push(r.word()), byte(r.pick(TERNARY)), sink(r))
  // CLZ (EIP-7939) exists from Osaka; before, it is an undefined opcode (a rare halt).
  const unary = c.fork === 'Osaka' || r.chance(0.05) ? [0x15, 0x19, 0x1e] : [0x15, 0x19]
  return sn('arith', push(r.word()), byte(r.pick(unary)), sink(r))
}

function env(c: SnippetContext): Snippet {
  const r = c.rand
  const x = r.float()
  if (x < 0.45) return sn('env', byte(r.pick(NULLARY)), sink(r))
  if (x < 0.7) return sn('ext', target(c), byte(r.pick([0x31, 0x3b, 0x3f])), sink(r))
  if (x < 0.78) return sn('blockhash', `43${push(BigInt(r.range(0, 260)))}9003`, '40', sink(r))
  if (x < 0.85) return sn('blobhash', push(BigInt(r.int(c.blobs + 2))), '49', sink(r))
  if (x < 0.92) return sn('calldataload', push(BigInt(r.int(80))), '35', sink(r))
  // CALLDATACOPY / CODECOPY / EXTCODECOPY to memory.
  const len = push(length(r))
  const from = push(BigInt(r.int(0x80)))
  const dst = push(offset(r))
  const op = r.pick(['37', '39', '3c'])
  return op === '3c' ? sn('extcodecopy', len, from, dst, target(c), '3c') : sn('copy', len, from, dst, op)
}

function storage(c: SnippetContext): Snippet {
  const r = c.rand
  const x = r.float()
  if (x < 0.4) return sn('sstore', push(r.chance(0.3) ? 0n : r.word()), push(slot(r)), '55')
  if (x < 0.6) return sn('sload', push(slot(r)), '54', sink(r))
  if (x < 0.8) return sn('tstore', push(r.word()), push(slot(r)), '5d')
  return sn('tload', push(slot(r)), '5c', sink(r))
}

function memory(c: SnippetContext): Snippet {
  const r = c.rand
  switch (r.int(5)) {
    case 0:
      return sn('mstore', push(r.word()), push(offset(r)), '52')
    case 1:
      return sn('mstore8', push(r.word()), push(offset(r)), '53')
    case 2:
      return sn('mload', push(offset(r)), '51', sink(r))
    case 3:
      return sn('mcopy', push(length(r)), push(offset(r)), push(offset(r)), '5e')
    default:
      return sn('keccak', push(length(r)), push(offset(r)), '20', sink(r))
  }
}

function log(c: SnippetContext): Snippet {
  const r = c.rand
  const n = r.int(5)
  const topics: string[] = []
  for (let i = 0; i < n; i++) topics.push(push(r.word()))
  return sn('log', ...topics, push(length(r)), push(offset(r)), byte(0xa0 + n))
}

function jump(c: SnippetContext): Snippet {
  const r = c.rand
  const junk = r.chance(0.8) ? '' : r.chance(0.7) ? 'fe' : hex(r.bytes(r.range(1, 4)))
  const x = r.float()
  if (x < 0.45) return sn('jump', '&a', '56', junk, '@a')
  if (x < 0.98) return sn('jumpi', push(r.chance(0.7) ? 1n : 0n), '&a', '57', junk, '@a')
  // A jump to a random offset: usually not a JUMPDEST.
  return sn('badjump', push(BigInt(r.int(200))), '56')
}

function loop(c: SnippetContext): Snippet {
  const r = c.rand
  const body: Snippet[] = []
  const n = r.range(1, 3)
  for (let i = 0; i < n; i++) body.push(flat(c))
  // counter; top: body; counter - 1 (PUSH1 1 SWAP1 SUB); DUP1; JUMPI top; POP the zero.
  return {
    k: 'loop',
    t: [push(BigInt(r.range(1, 5))), '@top', '*', '6001900380', '&top', '57', '50'],
    c: body,
  }
}

function call(c: SnippetContext): Snippet {
  const r = c.rand
  const kind = r.weighted({ f1: 5, f2: 1, f4: 2, fa: 2 })
  const gas = callGas(r)
  const value =
    kind === 'f1' || kind === 'f2'
      ? push(r.chance(0.6) ? 0n : r.chance(0.9) ? BigInt(r.range(1, 10_000)) : r.word())
      : ''
  const retLen = push(BigInt(r.int(0x60)))
  const retOff = push(BigInt(r.chance(0.5) ? 0 : r.int(0x200)))
  let prep = ''
  let argOff = 0x400
  let argLen = 0
  let to: string
  if (r.chance(0.3)) {
    const pc = precompileCall(r, c.fork)
    prep = memStore(pc.input, argOff)
    argLen = pc.input.length
    to = push(BigInt(pc.address))
  } else {
    to = target(c)
    argLen = r.int(0x40)
    if (argLen > 0) prep = memStore(r.bytes(argLen), argOff)
    if (r.chance(0.1)) argOff = Number(offset(r) & 0xffffn)
  }
  const head = prep + retLen + retOff + pushN(argLen) + pushN(argOff)
  const after = r.chance(0.3) ? returndata(c) : ''
  return sn(`call-${kind}`, head, value, to, gas, kind, sink(r), after)
}

/** RETURNDATACOPY of the whole return data, or (rarely) of a range that may be out of bounds. */
/**
 * Gas for a call: half of what is left (GAS PUSH1 2 SWAP1 DIV) most often, so the caller can
 * still store the result after a callee that burns all it was given; sometimes all of it
 * (63/64), sometimes a constant.
 */
function callGas(r: Random): string {
  const x = r.float()
  if (x < 0.45) return '5a60029004'
  if (x < 0.6) return '5a'
  return push(BigInt(r.chance(0.9) ? r.range(0, 200_000) : r.range(0, 1 << 30)))
}

function returndata(c: SnippetContext): string {
  const r = c.rand
  if (r.chance(0.95)) return `3d5f${push(BigInt(r.int(0x200)))}3e`
  const len = push(BigInt(r.chance(0.9) ? r.int(0x40) : r.range(0x40, 0x200)))
  return `${len}${push(BigInt(r.chance(0.8) ? 0 : r.int(0x40)))}${push(offset(c.rand))}3e`
}

function create(c: SnippetContext): Snippet {
  const r = c.rand
  const child: SnippetContext = { ...c, depth: c.depth + 1 }
  const ctor = body(child, r.range(0, 4), r.chance(0.15))
  const runtime = r.chance(0.85) ? body(child, r.range(0, 5), true) : undefined
  const value = push(r.chance(0.6) ? 0n : BigInt(r.range(1, 5000)))
  const is2 = r.chance(0.4)
  const salt = is2 ? push(BigInt(r.int(3))) : ''
  const op = is2 ? 'f5' : 'f0'
  let after: string
  if (r.chance(0.5)) after = sink(r)
  else {
    // Call the new contract: [addr] -> [addr, success] -> store success, pop addr.
    after = `${pushN(r.int(0x40))}5f${pushN(r.int(0x40))}5f${push(0n)}85${callGas(r)}f1${push(slot(r))}5550`
  }
  const s: Snippet = { k: is2 ? 'create2' : 'create', t: [salt, '!', '5f', value, op, after] }
  s.c = ctor
  if (runtime) s.r = runtime
  if (r.chance(0.04)) s.rp = 'ef'
  return s
}

/** A deliberately broken snippet: an undefined opcode or a stack underflow. */
function broken(c: SnippetContext): Snippet {
  const r = c.rand
  return r.chance(0.5) ? sn('invalid', r.pick(['fe', '0c', '21', 'ef', 'f6'])) : sn('underflow', '50')
}

function flat(c: SnippetContext): Snippet {
  const w = c.rand.weighted({
    arith: 3,
    env: 3,
    storage: 4,
    memory: 2,
    log: 2,
    jump: 2,
    call: c.depth < 2 ? 3 : 0,
  })
  return pickKind(c, w)
}

function pickKind(c: SnippetContext, kind: string): Snippet {
  switch (kind) {
    case 'arith':
      return arith(c)
    case 'env':
      return env(c)
    case 'storage':
      return storage(c)
    case 'memory':
      return memory(c)
    case 'log':
      return log(c)
    case 'jump':
      return jump(c)
    case 'loop':
      return loop(c)
    case 'call':
      return call(c)
    case 'create':
      return create(c)
    default:
      return broken(c)
  }
}

/** A contract's end: STOP, RETURN or REVERT of memory, SELFDESTRUCT, INVALID. */
function terminator(c: SnippetContext): Snippet {
  const r = c.rand
  const w = r.weighted({ stop: 3, ret: 4, revert: 2, selfdestruct: 1, invalid: 0.3 })
  switch (w) {
    case 'stop':
      return sn('stop', '00')
    case 'ret':
      return sn('return', push(BigInt(r.int(0x80))), push(BigInt(r.int(0x100))), 'f3')
    case 'revert':
      return sn('revert', push(BigInt(r.int(0x80))), push(BigInt(r.int(0x100))), 'fd')
    case 'selfdestruct':
      return sn('selfdestruct', target(c), 'ff')
    default:
      return sn('invalid', 'fe')
  }
}

/** A snippet list of about `n` snippets, ending in a terminator when `end` is set. */
export function body(c: SnippetContext, n: number, end: boolean): Snippet[] {
  const out: Snippet[] = []
  const r = c.rand
  // Most pre-state contracts call or create early, so message trees are the common case.
  if (c.depth === 0 && r.chance(0.6)) out.push(r.chance(0.8) ? call(c) : create(c))
  const weights = {
    arith: 3,
    env: 3,
    storage: 5,
    memory: 2,
    log: 2,
    jump: 2,
    loop: c.depth < 2 ? 1 : 0,
    call: c.depth < 2 ? 4 : 0.5,
    create: c.depth < 2 ? 1.5 : 0,
    broken: 0.05,
  }
  for (let i = 0; i < n; i++) out.push(pickKind(c, r.weighted(weights)))
  if (end) out.push(terminator(c))
  return out
}

/** A creation snippet for a contract-creation transaction's init code. */
export function creation(c: SnippetContext): Snippet {
  const r = c.rand
  const child: SnippetContext = { ...c, depth: 1 }
  const ctor = body(child, r.range(0, 6), r.chance(0.1))
  // Constructors call out too (a message tree under a creation).
  if (r.chance(0.5)) ctor.unshift(r.chance(0.8) ? call(child) : create(child))
  const s: Snippet = { k: 'init', t: [], c: ctor }
  if (r.chance(0.9)) s.r = body(child, r.range(0, 6), true)
  if (r.chance(0.03)) s.rp = 'ef'
  return s
}
