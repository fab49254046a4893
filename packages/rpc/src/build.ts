import {
  type Block,
  BlockError,
  type BlockHeader,
  calcBaseFee,
  calcExcessBlobGas,
  defaultVm,
  executeBlock,
  headerHash,
  type Receipt,
  transactionsRoot,
  type Withdrawal,
  withdrawalsRoot,
} from '@crucible/block'
import { CONSTANTS } from '@crucible/forks'
import { KECCAK256_RLP_EMPTY_LIST } from '@crucible/primitives'
import { decodeTransaction } from '@crucible/tx'
import type { ChainBlock, ChainReader, ChainState } from './chain.js'
import { serverError } from './errors.js'

export interface BuildAttributes {
  timestamp: bigint
  prevRandao: Uint8Array
  feeRecipient: Uint8Array
  withdrawals?: Withdrawal[]
  parentBeaconBlockRoot?: Uint8Array
  extraData?: Uint8Array
  /** The gas limit the builder moves toward (geth's default 60M). */
  targetGasLimit?: bigint
  /** The block's gas limit as is (a dev node's setting), instead of a step toward the target. */
  gasLimit?: bigint
  /** The base fee as is (a dev node's setting), instead of the EIP-1559 one. */
  baseFeePerGas?: bigint
}

/** Where {@link buildBlock} executes: a copy of the parent's post-state unless given. */
export interface BuildOptions {
  /** The state to execute on (changed by the build): a dev node's pending state. */
  state?: ChainState
  /** Senders known by transaction index (not recovered): see `executeBlock`. */
  senders?: readonly (bigint | undefined)[]
}

export interface BuiltBlock {
  block: Block
  hash: Uint8Array
  /** Priority fees paid to the fee recipient. */
  value: bigint
  requests: Uint8Array[]
  receipts: Receipt[]
}

/** geth's `CalcGasLimit`: a step of at most parent/1024 − 1 toward the target. */
export function nextGasLimit(parent: bigint, target: bigint): bigint {
  const delta = parent / 1024n - 1n
  if (parent < target) return parent + delta < target ? parent + delta : target
  return parent - delta > target ? parent - delta : target
}

/**
 * Builds (without importing) a block on `parent` from the given transactions, in order.
 * A transaction that cannot be included fails the whole build with -32000.
 */
export function buildBlock(
  chain: ChainReader,
  parent: ChainBlock,
  transactions: Uint8Array[],
  attributes: BuildAttributes,
  options: BuildOptions = {},
): BuiltBlock {
  const p = parent.block.header
  const header: BlockHeader = {
    parentHash: parent.hash,
    ommersHash: KECCAK256_RLP_EMPTY_LIST,
    coinbase: attributes.feeRecipient,
    stateRoot: new Uint8Array(32),
    transactionsRoot: transactionsRoot(transactions),
    receiptsRoot: new Uint8Array(32),
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number: p.number + 1n,
    gasLimit: attributes.gasLimit ?? nextGasLimit(p.gasLimit, attributes.targetGasLimit ?? 60_000_000n),
    gasUsed: 0n,
    timestamp: attributes.timestamp,
    extraData: attributes.extraData ?? new Uint8Array(0),
    mixHash: attributes.prevRandao,
    nonce: new Uint8Array(8),
  }
  const block: Block = { header, transactions, uncles: [] }
  const rules = chain.rules(block)
  if (rules.isActive(1559))
    header.baseFeePerGas =
      attributes.baseFeePerGas ??
      (p.baseFeePerGas === undefined
        ? CONSTANTS.initialBaseFee
        : calcBaseFee(
            { gasLimit: p.gasLimit, gasUsed: p.gasUsed, baseFeePerGas: p.baseFeePerGas },
            rules.params,
          ))
  if (rules.isActive(4895)) {
    block.withdrawals = attributes.withdrawals ?? []
    header.withdrawalsRoot = withdrawalsRoot(block.withdrawals)
  }
  if (rules.isActive(4844)) {
    header.excessBlobGas = rules.params.blob
      ? calcExcessBlobGas(p, rules.params.blob, rules.isActive(7918))
      : 0n
    header.parentBeaconBlockRoot = attributes.parentBeaconBlockRoot ?? new Uint8Array(32)
  }
  const state = options.state ?? chain.stateAt(parent)
  let result: ReturnType<typeof executeBlock>
  try {
    result = executeBlock(block, state, {
      chain: chain.config,
      rules,
      vm: defaultVm,
      ...(options.senders ? { senders: options.senders } : {}),
    })
  } catch (error) {
    if (error instanceof BlockError) throw serverError(error.shortMessage.replace(/^transaction \d+: /, ''))
    throw error
  }
  header.stateRoot = result.stateRoot
  header.receiptsRoot = result.receiptsRoot
  header.logsBloom = result.logsBloom
  header.gasUsed = result.gasUsed
  if (rules.isActive(4844)) header.blobGasUsed = result.blobGasUsed
  if (result.requestsHash) header.requestsHash = result.requestsHash
  const baseFee = header.baseFeePerGas ?? 0n
  let value = 0n
  let previous = 0n
  result.receipts.forEach((r, i) => {
    const tx = decodeTransaction(transactions[i]!)
    const gas = r.cumulativeGasUsed - previous
    previous = r.cumulativeGasUsed
    const tip =
      tx.type === 0 || tx.type === 1
        ? tx.gasPrice - baseFee
        : tx.maxPriorityFeePerGas < tx.maxFeePerGas - baseFee
          ? tx.maxPriorityFeePerGas
          : tx.maxFeePerGas - baseFee
    value += gas * tip
  })
  return {
    block,
    hash: headerHash(header),
    value,
    requests: result.requests ?? [],
    receipts: result.receipts,
  }
}
