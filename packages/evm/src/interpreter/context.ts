import type { BlockEnv, Host } from '@crucible/evm-types'
import { Fork, type ForkRules } from '@crucible/forks'
import { getPrecompile, type Precompile } from '@crucible/precompiles'
import type { Inspector } from '../tracing/inspector.js'
import { type ExecutionLimits, Meter } from './limits.js'
import { type ForkTable, forkTable } from './tables.js'

const PRECOMPILE_FLAGS = new WeakMap<ForkRules, Uint8Array>()

/** Everything constant during one transaction, shared by all its frames. */
export class Context {
  readonly table: ForkTable
  /** EIP-2929 warm/cold accounting. */
  readonly eip2929: boolean
  /** 1 at every precompile address in force (index = address, up to 0x100). */
  readonly precompiles: Uint8Array
  /** DIFFICULTY before the merge, PREVRANDAO (EIP-4399) after. */
  readonly randomness: bigint
  /** Counters against the run's {@link ExecutionLimits}; absent (and nothing counted) without them. */
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
    this.eip2929 = rules.isActive(2929)
    let precompiles = PRECOMPILE_FLAGS.get(rules)
    if (precompiles === undefined) {
      precompiles = new Uint8Array(0x101)
      for (const a of rules.params.precompiles) if (a <= 0x100) precompiles[a] = 1
      PRECOMPILE_FLAGS.set(rules, precompiles)
    }
    this.precompiles = precompiles
    this.randomness = rules.gte(Fork.Paris) ? block.prevRandao : block.difficulty
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
