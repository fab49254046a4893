import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type Block,
  type BlockHeader,
  calcBaseFee,
  chainFromGethConfig,
  defaultVm,
  encodeBlock,
  executeBlock,
  type GethGenesis,
  genesisHeader,
  headerHash,
  transactionsRoot,
} from '@crucible/block'
import { rulesAt } from '@crucible/forks'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  createAddress,
  hexToBytes,
  KECCAK256_RLP_EMPTY,
  KECCAK256_RLP_EMPTY_LIST,
  keccak256,
  padLeft,
} from '@crucible/primitives'
import { type StateSnapshot, WorldState } from '@crucible/state'
import { encodeTransaction, privateKeyToAddress, signTransaction } from '@crucible/tx'

/**
 * A synthetic chain of full blocks for the import benchmark, built by executing it with
 * Crucible: Shanghai rules from genesis (post-merge), 30M gas per block (the EIP-1559 target of
 * a 60M limit, so the base fee stays put), each block a mix of
 * - ETH transfers between funded accounts and fresh addresses,
 * - storage-heavy calls: `Benchmark()` of evm-bench's ERC-20 mint contract (../shared/bench
 *   `erc20_mint`: about 13M gas of minting, thousands of SSTOREs, to the caller),
 * - ERC-20 `transfer`s of those tokens to fresh holders (a new balance slot each),
 * filling the block to its gas target.
 */
export interface SyntheticChain {
  genesis: GethGenesis
  /** RLP of blocks 1..N. */
  blocks: Uint8Array[]
  txs: number
  gas: bigint
  headHash: string
  headStateRoot: string
  /** With `keepStates`: the post-state of each block, genesis first (copy-on-write snapshots). */
  states?: StateSnapshot[]
}

export interface ChainShape {
  blocks: number
  /** Gas per block to fill to. */
  gasTarget: bigint
  ethTransfers: number
  erc20Transfers: number
  storageCalls: number
  /** Keep every post-state (for tests that compare a stored state with the expected one). */
  keepStates?: boolean
}

export const DEFAULT_SHAPE: ChainShape = {
  blocks: 200,
  gasTarget: 30_000_000n,
  ethTransfers: 60,
  erc20Transfers: 60,
  storageCalls: 2,
}

const CHAIN_ID = 1337n
const GWEI = 1_000_000_000n
const SENDERS = 64
const ERC20_TRANSFER = hexToBytes('0xa9059cbb')
const BENCHMARK = hexToBytes('0x30627b7c')

function key(i: number): Uint8Array {
  return keccak256(new TextEncoder().encode(`crucible import bench key ${i}`))
}

function hexCode(benchDir: string, name: string, file: string): Uint8Array {
  return hexToBytes(`0x${readFileSync(join(benchDir, name, file), 'utf8').trim()}`)
}

function word(value: bigint): Uint8Array {
  return padLeft(bigIntToBytes(value), 32)
}

/** Builds the chain (deterministic: same shape, same bytes). */
export function buildChain(benchDir: string, shape: ChainShape = DEFAULT_SHAPE): SyntheticChain {
  const keys = Array.from({ length: SENDERS + 1 }, (_, i) => key(i))
  const addresses = keys.map((k) => privateKeyToAddress(k))
  const deployer = 0
  const alloc: GethGenesis['alloc'] = {}
  for (const a of addresses)
    alloc[bytesToHex(bigIntToBytes(a, 20))] = { balance: `0x${(10n ** 27n).toString(16)}` }
  const genesis: GethGenesis = {
    config: {
      chainId: Number(CHAIN_ID),
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      mergeNetsplitBlock: 0,
      terminalTotalDifficulty: 0,
      terminalTotalDifficultyPassed: true,
      shanghaiTime: 0,
    },
    alloc,
    nonce: '0x0',
    timestamp: '0x0',
    extraData: '0x',
    gasLimit: `0x${(shape.gasTarget * 2n).toString(16)}`,
    difficulty: '0x0',
    mixHash: `0x${'00'.repeat(32)}`,
    coinbase: `0x${'00'.repeat(20)}`,
    baseFeePerGas: `0x${GWEI.toString(16)}`,
  }
  const chain = chainFromGethConfig(genesis.config, 'import-bench')
  const state = WorldState.fromAlloc(alloc)
  let parent = genesisHeader(genesis, chain, state.stateRoot())
  const states = shape.keepStates ? [state.snapshot()] : undefined
  const nonces = addresses.map(() => 0n)
  // The ERC-20 contract; its `Benchmark()` mints to the caller, who then has tokens to transfer.
  const token = bytesToBigInt(createAddress(bigIntToBytes(addresses[deployer]!, 20), 0n))
  let fresh = 0n
  const freshAddress = () => 0x1000000000000000000000000000000000000000n + ++fresh * 0x9e3779b97f4a7c15n

  const tx = (from: number, to: bigint | undefined, value: bigint, data: Uint8Array, gasLimit: bigint) =>
    encodeTransaction(
      signTransaction(
        {
          type: 2,
          chainId: CHAIN_ID,
          nonce: nonces[from]!++,
          maxPriorityFeePerGas: GWEI,
          maxFeePerGas: 100n * GWEI,
          gasLimit,
          to,
          value,
          data,
          accessList: [],
        },
        keys[from]!,
      ),
    )

  const blocks: Uint8Array[] = []
  let txs = 0
  let gas = 0n
  let sender = 1
  for (let n = 1; n <= shape.blocks; n++) {
    const transactions: Uint8Array[] = []
    if (n === 1) {
      transactions.push(tx(deployer, undefined, 0n, hexCode(benchDir, 'erc20_mint', 'init.hex'), 3_000_000n))
    } else {
      for (let i = 0; i < shape.storageCalls; i++)
        transactions.push(tx(deployer, token, 0n, BENCHMARK, 14_000_000n))
      for (let i = 0; i < shape.erc20Transfers; i++) {
        const data = new Uint8Array([...ERC20_TRANSFER, ...word(freshAddress()), ...word(BigInt(1000 + i))])
        transactions.push(tx(deployer, token, 0n, data, 80_000n))
      }
      for (let i = 0; i < shape.ethTransfers; i++) {
        transactions.push(tx(sender, freshAddress(), 10n ** 15n, new Uint8Array(0), 21_000n))
        sender = (sender % SENDERS) + 1
      }
    }
    const header: BlockHeader = {
      parentHash: headerHash(parent),
      ommersHash: KECCAK256_RLP_EMPTY_LIST,
      coinbase: bigIntToBytes(0xc0ffeen, 20),
      stateRoot: new Uint8Array(32),
      transactionsRoot: transactionsRoot(transactions),
      receiptsRoot: KECCAK256_RLP_EMPTY,
      logsBloom: new Uint8Array(256),
      difficulty: 0n,
      number: BigInt(n),
      gasLimit: parent.gasLimit,
      gasUsed: 0n,
      timestamp: parent.timestamp + 12n,
      extraData: new Uint8Array(0),
      mixHash: keccak256(bigIntToBytes(BigInt(n), 32)),
      nonce: new Uint8Array(8),
      baseFeePerGas: calcBaseFee(
        parent as Required<BlockHeader>,
        rulesAt(chain, BigInt(n), parent.timestamp + 12n, true).params,
      ),
      withdrawalsRoot: KECCAK256_RLP_EMPTY,
    }
    const block: Block = { header, transactions, uncles: [], withdrawals: [] }
    const rules = rulesAt(chain, header.number, header.timestamp, true)
    const result = executeBlock(block, state, { chain, rules, vm: defaultVm })
    const failed = result.receipts.findIndex((r) => r.status !== 1)
    if (failed >= 0) throw new Error(`import bench chain: block ${n} transaction ${failed} failed`)
    header.stateRoot = result.stateRoot
    header.receiptsRoot = result.receiptsRoot
    header.logsBloom = result.logsBloom
    header.gasUsed = result.gasUsed
    blocks.push(encodeBlock(block))
    txs += transactions.length
    states?.push(state.snapshot())
    gas += result.gasUsed
    parent = header
  }
  return {
    genesis,
    blocks,
    txs,
    gas,
    headHash: bytesToHex(headerHash(parent)),
    headStateRoot: bytesToHex(parent.stateRoot),
    ...(states ? { states } : {}),
  }
}
