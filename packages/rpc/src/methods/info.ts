import { calcBaseFee, calcBlobBaseFee, calcExcessBlobGas } from '@crucible/block'
import {
  type ChainConfig,
  CONSTANTS,
  type FORK_NAMES,
  type ForkRules,
  rulesFor,
  SYSTEM_ADDRESSES,
} from '@crucible/forks'
import { bigIntToBytes, bytesToHex, type Hex, keccak256, numberToHex } from '@crucible/primitives'
import { decodeTransaction } from '@crucible/tx'
import type { ChainBlock } from '../chain.js'
import type { Handler, RpcContext } from '../context.js'
import { invalidParams } from '../errors.js'
import { addressHex } from '../format.js'
import { findBlock } from '../lookup.js'
import { argError, blockNumberOrTag, bytes, quantity, required } from '../params.js'

const PRECOMPILE_NAMES: Record<number, string> = {
  1: 'ECREC',
  2: 'SHA256',
  3: 'RIPEMD160',
  4: 'ID',
  5: 'MODEXP',
  6: 'BN254_ADD',
  7: 'BN254_MUL',
  8: 'BN254_PAIRING',
  9: 'BLAKE2F',
  10: 'KZG_POINT_EVALUATION',
  11: 'BLS12_G1ADD',
  12: 'BLS12_G1MSM',
  13: 'BLS12_G2ADD',
  14: 'BLS12_G2MSM',
  15: 'BLS12_PAIRING_CHECK',
  16: 'BLS12_MAP_FP_TO_G1',
  17: 'BLS12_MAP_FP2_TO_G2',
  256: 'P256VERIFY',
}

/** The base fee of the block after `parent` (EIP-1559), or undefined before London. */
export function nextBaseFee(parent: ChainBlock, rules: ForkRules): bigint | undefined {
  const h = parent.block.header
  if (!rules.isActive(1559)) return undefined
  if (h.baseFeePerGas === undefined) return CONSTANTS.initialBaseFee
  return calcBaseFee(
    { gasLimit: h.gasLimit, gasUsed: h.gasUsed, baseFeePerGas: h.baseFeePerGas },
    rules.params,
  )
}

/** The blob base fee of a block, from its own excess blob gas. */
export function blobBaseFeeOf(block: ChainBlock, rules: ForkRules): bigint {
  const blob = rules.params.blob
  return blob ? calcBlobBaseFee(block.block.header.excessBlobGas ?? 0n, blob) : 0n
}

/** Rules of a block that would follow the head now (same timestamp + 1, merged). */
function nextRules(ctx: RpcContext): ForkRules {
  const head = ctx.chain.head().block.header
  return ctx.chain.rules({
    header: {
      ...head,
      number: head.number + 1n,
      timestamp: head.timestamp + 1n,
      parentHash: ctx.chain.head().hash,
    },
    transactions: [],
    uncles: [],
  })
}

/** Effective priority fees paid in a block, sorted, with each transaction's gas used. */
function rewards(block: ChainBlock): { tip: bigint; gas: bigint }[] {
  const baseFee = block.block.header.baseFeePerGas ?? 0n
  let previous = 0n
  return block.block.transactions
    .map((bytes, i) => {
      const tx = decodeTransaction(bytes)
      const cumulative = block.receipts[i]!.cumulativeGasUsed
      const gas = cumulative - previous
      previous = cumulative
      let tip: bigint
      if (tx.type === 0 || tx.type === 1) tip = tx.gasPrice - baseFee
      else
        tip =
          tx.maxPriorityFeePerGas < tx.maxFeePerGas - baseFee
            ? tx.maxPriorityFeePerGas
            : tx.maxFeePerGas - baseFee
      return { tip: tip < 0n ? 0n : tip, gas }
    })
    .sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0))
}

function suggestedTip(ctx: RpcContext): bigint {
  const tips: bigint[] = []
  let b: ChainBlock | undefined = ctx.chain.head()
  for (let i = 0; i < 20 && b; i++) {
    const r = rewards(b)
    if (r.length > 0) tips.push(r[0]!.tip)
    b = b.block.header.number === 0n ? undefined : ctx.chain.blockByHash(b.block.header.parentHash)
  }
  if (tips.length === 0) return 1_000_000n
  tips.sort((a, c) => (a < c ? -1 : a > c ? 1 : 0))
  const tip = tips[Math.floor(((tips.length - 1) * 60) / 100)]!
  return tip < 1n ? 1n : tip
}

/** CRC-32 (IEEE), for EIP-2124 fork ids. */
function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0
  for (const byte of data) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return ~c >>> 0
}

/** The activations after genesis, as EIP-2124 lists them (blocks then times, deduplicated). */
function forkPoints(
  chain: ChainConfig,
  genesisTime: bigint,
  netsplit?: bigint,
): { fork: string; at: bigint; time: boolean }[] {
  const out: { fork: string; at: bigint; time: boolean }[] = []
  const seen = new Set<string>()
  const activations = [...chain.forks]
  if (netsplit !== undefined) {
    const firstTimed = activations.findIndex((a) => a.timestamp !== undefined)
    activations.splice(firstTimed < 0 ? activations.length : firstTimed, 0, {
      fork: 'Paris',
      block: netsplit,
    })
  }
  for (const a of activations) {
    const time = a.timestamp !== undefined
    const at = (time ? a.timestamp : a.block) as bigint
    if ((time && at <= genesisTime) || (!time && at === 0n)) continue
    const key = `${time}:${at}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ fork: a.fork, at, time })
  }
  return out
}

function forkId(ctx: RpcContext, head: ChainBlock): Hex {
  const genesis = ctx.chain.genesis()
  let crc = crc32(genesis.hash)
  const h = head.block.header
  for (const p of forkPoints(
    ctx.chain.config,
    genesis.block.header.timestamp,
    ctx.chain.mergeNetsplitBlock,
  )) {
    const passed = p.time ? h.timestamp >= p.at : h.number >= p.at
    if (!passed) break
    crc = crc32(bigIntToBytes(p.at, 8), crc)
  }
  return `0x${crc.toString(16).padStart(8, '0')}`
}

function forkConfig(ctx: RpcContext, rules: ForkRules, activationTime: bigint | undefined, head: ChainBlock) {
  const precompiles: Record<string, Hex> = {}
  const entries = rules.params.precompiles.map(
    (a) => [PRECOMPILE_NAMES[a] ?? `0x${a.toString(16)}`, addressHex(BigInt(a))] as const,
  )
  for (const [name, a] of entries.sort((x, y) => (x[0] < y[0] ? -1 : 1))) precompiles[name] = a
  const system: Record<string, Hex> = {}
  if (rules.isActive(4788)) system.BEACON_ROOTS_ADDRESS = SYSTEM_ADDRESSES.beaconRoots
  if (rules.isActive(7251))
    system.CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS = SYSTEM_ADDRESSES.consolidationRequests
  if (rules.isActive(6110))
    system.DEPOSIT_CONTRACT_ADDRESS = (ctx.chain.config.depositContractAddress ??
      SYSTEM_ADDRESSES.mainnetDepositContract) as Hex
  if (rules.isActive(2935)) system.HISTORY_STORAGE_ADDRESS = SYSTEM_ADDRESSES.historyStorage
  if (rules.isActive(7002)) system.WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS = SYSTEM_ADDRESSES.withdrawalRequests
  const blob = rules.params.blob
  return {
    activationTime: activationTime === undefined ? 0 : Number(activationTime),
    blobSchedule: blob
      ? { target: blob.target, max: blob.max, baseFeeUpdateFraction: Number(blob.baseFeeUpdateFraction) }
      : null,
    chainId: numberToHex(ctx.chain.config.chainId),
    forkId: forkId(ctx, head),
    precompiles,
    systemContracts: Object.keys(system).length > 0 ? system : null,
  }
}

export const infoMethods: Record<string, Handler> = {
  eth_chainId: (ctx) => numberToHex(ctx.chain.config.chainId),
  net_version: (ctx) => ctx.chain.config.chainId.toString(),
  net_listening: () => true,
  net_peerCount: () => '0x0',
  web3_clientVersion: (ctx) => ctx.clientVersion,
  web3_sha3: (_ctx, params) => bytesToHex(keccak256(bytes(required(params, 0), 0))),
  eth_syncing: () => false,
  eth_accounts: () => [],
  eth_mining: () => false,
  eth_hashrate: () => '0x0',
  eth_protocolVersion: () => '0x44',

  eth_gasPrice(ctx) {
    const head = ctx.chain.head()
    return numberToHex(suggestedTip(ctx) + (head.block.header.baseFeePerGas ?? 0n))
  },
  eth_maxPriorityFeePerGas: (ctx) => numberToHex(suggestedTip(ctx)),
  eth_baseFee(ctx) {
    const fee = nextBaseFee(ctx.chain.head(), nextRules(ctx))
    return fee === undefined ? null : numberToHex(fee)
  },
  eth_blobBaseFee(ctx) {
    const head = ctx.chain.head()
    const rules = nextRules(ctx)
    const blob = rules.params.blob
    if (!blob) return '0x0'
    const excess = calcExcessBlobGas(head.block.header, blob, rules.isActive(7918))
    return numberToHex(calcBlobBaseFee(excess, blob))
  },

  eth_feeHistory(ctx, params) {
    let count = quantity(required(params, 0), 0, 64)
    const newest = findBlock(ctx.chain, blockNumberOrTag(required(params, 1), 1))
    const percentiles = params[2] ?? []
    if (!Array.isArray(percentiles) || percentiles.some((p) => typeof p !== 'number' || p < 0 || p > 100))
      throw argError(2, 'percentiles must be numbers between 0 and 100')
    for (let i = 1; i < percentiles.length; i++)
      if ((percentiles[i] as number) < (percentiles[i - 1] as number))
        throw invalidParams('invalid reward percentile')
    if (count > 1024n) count = 1024n
    if (!newest || count === 0n) return { oldestBlock: '0x0', baseFeePerGas: [], gasUsedRatio: [] }
    const last = newest.block.header.number
    const first = last + 1n > count ? last + 1n - count : 0n
    const baseFees: Hex[] = []
    const blobFees: Hex[] = []
    const ratios: number[] = []
    const blobRatios: number[] = []
    const reward: Hex[][] = []
    for (let n = first; n <= last; n++) {
      const b = ctx.chain.blockByNumber(n)!
      const h = b.block.header
      const rules = ctx.chain.rules(b.block)
      baseFees.push(numberToHex(h.baseFeePerGas ?? 0n))
      blobFees.push(numberToHex(blobBaseFeeOf(b, rules)))
      ratios.push(h.gasLimit === 0n ? 0 : Number(h.gasUsed) / Number(h.gasLimit))
      const maxBlob = rules.params.blob ? BigInt(rules.params.blob.max) * 131072n : 0n
      blobRatios.push(maxBlob === 0n ? 0 : Number(h.blobGasUsed ?? 0n) / Number(maxBlob))
      if (percentiles.length > 0) {
        const r = rewards(b)
        const total = r.reduce((s, x) => s + x.gas, 0n)
        reward.push(
          (percentiles as number[]).map((p) => {
            if (r.length === 0) return '0x0'
            const threshold = (Number(total) * p) / 100
            let sum = 0
            for (const x of r) {
              sum += Number(x.gas)
              if (sum >= threshold) return numberToHex(x.tip)
            }
            return numberToHex(r[r.length - 1]!.tip)
          }),
        )
      }
    }
    const nextRulesOf = ctx.chain.rules({
      header: { ...newest.block.header, number: last + 1n, parentHash: newest.hash },
      transactions: [],
      uncles: [],
    })
    baseFees.push(numberToHex(nextBaseFee(newest, nextRulesOf) ?? 0n))
    const blob = nextRulesOf.params.blob
    blobFees.push(
      numberToHex(
        blob
          ? calcBlobBaseFee(calcExcessBlobGas(newest.block.header, blob, nextRulesOf.isActive(7918)), blob)
          : 0n,
      ),
    )
    const out: Record<string, unknown> = { oldestBlock: numberToHex(first) }
    if (percentiles.length > 0) out.reward = reward
    out.baseFeePerGas = baseFees
    out.gasUsedRatio = ratios
    out.baseFeePerBlobGas = blobFees
    out.blobGasUsedRatio = blobRatios
    return out
  },

  eth_config(ctx) {
    const head = ctx.chain.head()
    const h = head.block.header
    const chain = ctx.chain.config
    const rules = ctx.chain.rules(head.block)
    const points = forkPoints(chain, ctx.chain.genesis().block.header.timestamp).filter((p) => p.time)
    // The last timed activation the head has reached (BPO forks share their base fork's rules).
    const reached = points.filter((p) => p.at <= h.timestamp)
    const current = forkConfig(ctx, rules, reached[reached.length - 1]?.at, head)
    const upcoming = points.find((p) => p.at > h.timestamp)
    let next: unknown = null
    if (upcoming) {
      const nextRules = rulesFor(chain, upcoming.fork as (typeof FORK_NAMES)[number])
      const fake = { ...head, block: { ...head.block, header: { ...h, timestamp: upcoming.at } } }
      next = forkConfig(ctx, nextRules, upcoming.at, fake)
    }
    let lastFork: unknown = null
    const final = points[points.length - 1]
    if (final && final.at > h.timestamp) {
      const lastRules = rulesFor(chain, final.fork as (typeof FORK_NAMES)[number])
      const fake = { ...head, block: { ...head.block, header: { ...h, timestamp: final.at } } }
      lastFork = forkConfig(ctx, lastRules, final.at, fake)
    }
    return { current, next, last: lastFork }
  },

  eth_capabilities(ctx) {
    const head = ctx.chain.head()
    const window = { disabled: false, oldestBlock: '0x0' }
    return {
      head: { number: numberToHex(head.block.header.number), hash: bytesToHex(head.hash) },
      state: window,
      tx: window,
      logs: window,
      receipts: window,
      blocks: window,
      stateproofs: window,
    }
  },
}
