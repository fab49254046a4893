import type { BlockEnv, Host } from '@crucible/evm-types'
import type { ForkRules } from '@crucible/forks'
import { getPrecompile, type Precompile } from '@crucible/precompiles'
import type { Inspector } from '../tracing/inspector.js'
import { type ExecutionLimits, Meter } from './limits.js'
import { type ForkTable, forkTable } from './tables.js'

/** The EIP gates the opcodes read, resolved once per rules object (see {@link Context}). */
interface ForkGates {
  readonly eip150: boolean
  readonly eip161: boolean
  readonly eip2200: boolean
  readonly netGasMetering: boolean
  readonly eip2929: boolean
  readonly eip4399: boolean
  readonly eip6780: boolean
  readonly eip7702: boolean
  readonly precompiles: Uint8Array
}

const GATES = new WeakMap<ForkRules, ForkGates>()

function forkGates(rules: ForkRules): ForkGates {
  let gates = GATES.get(rules)
  if (gates === undefined) {
    const precompiles = new Uint8Array(0x101)
    for (const a of rules.params.precompiles) if (a <= 0x100) precompiles[a] = 1
    gates = Object.freeze({
      eip150: rules.isActive(150),
      eip161: rules.isActive(161),
      eip2200: rules.isActive(2200),
      netGasMetering: rules.isActive(2200) || rules.isActive(1283),
      eip2929: rules.isActive(2929),
      eip4399: rules.isActive(4399),
      eip6780: rules.isActive(6780),
      eip7702: rules.isActive(7702),
      precompiles,
    })
    GATES.set(rules, gates)
  }
  return gates
}

/**
 * Everything constant during one transaction, shared by all its frames. The fork gates the
 * opcodes test are plain fields, read from a per-rules record built once.
 */
export class Context {
  readonly table: ForkTable
  /** EIP-150: a callee gets at most all but one 64th of the gas left. */
  readonly eip150: boolean
  /** EIP-161: empty accounts are not created by calls without value, and are cleared when touched. */
  readonly eip161: boolean
  /** EIP-2200: SSTORE fails when gas left is at most the call stipend. */
  readonly eip2200: boolean
  /** Net gas metering of SSTORE (EIP-1283 in Constantinople, EIP-2200 from Istanbul). */
  readonly netGasMetering: boolean
  /** EIP-2929 warm/cold accounting. */
  readonly eip2929: boolean
  /** EIP-6780: SELFDESTRUCT deletes only an account created in the same transaction. */
  readonly eip6780: boolean
  /** EIP-7702: calls follow delegation designators. */
  readonly eip7702: boolean
  /** 1 at every precompile address in force (index = address, up to 0x100). */
  readonly precompiles: Uint8Array
  /** DIFFICULTY before the merge, PREVRANDAO (EIP-4399) after. */
  readonly randomness: bigint
  /** @internal Counters against the run's {@link ExecutionLimits}; absent (and nothing counted) without them. */
  readonly meter: Meter | undefined
  constructor(
    readonly host: Host,
    readonly rules: ForkRules,
    readonly block: BlockEnv,
    /** ORIGIN. */
    readonly origin: bigint,
    /** GASPRICE: the effective gas price. */
    readonly gasPrice: bigint,
    readonly blobHashes: readonly Uint8Array[],
    readonly inspector: Inspector | undefined,
    /**
     * The precompiles by address, in place of the fork's (eth_simulateV1's
     * `movePrecompileToAddress`); absent on every ordinary path.
     */
    readonly precompileMap?: ReadonlyMap<bigint, Precompile>,
    limits?: ExecutionLimits,
  ) {
    this.meter = limits === undefined ? undefined : new Meter(limits)
    this.table = forkTable(rules)
    const gates = forkGates(rules)
    this.eip150 = gates.eip150
    this.eip161 = gates.eip161
    this.eip2200 = gates.eip2200
    this.netGasMetering = gates.netGasMetering
    this.eip2929 = gates.eip2929
    this.eip6780 = gates.eip6780
    this.eip7702 = gates.eip7702
    this.precompiles = gates.precompiles
    this.randomness = gates.eip4399 ? block.prevRandao : block.difficulty
  }

  isPrecompile(address: bigint): boolean {
    if (this.precompileMap !== undefined) return this.precompileMap.has(address)
    return address <= 0x100n && this.precompiles[Number(address)] === 1
  }

  /** The precompile at an address {@link isPrecompile} accepts. */
  precompileAt(address: bigint): Precompile {
    return this.precompileMap?.get(address) ?? getPrecompile(Number(address), this.rules)!
  }
}
