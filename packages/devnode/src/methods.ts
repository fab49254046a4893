import { calcBaseFee } from '@crucible/block'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  type Hex,
  hexToBytes,
  numberToHex,
  toChecksumAddress,
} from '@crucible/primitives'
import {
  callArgs,
  type Handler,
  invalidParams,
  METHODS,
  params as p,
  type RpcContext,
  RpcError,
  serverError,
} from '@crucible/rpc'
import {
  decodeNetworkTransaction,
  encodeTransaction,
  signTransaction,
  type Transaction,
  type UnsignedTransaction,
} from '@crucible/tx'
import { gzipHex } from './dump.js'
import type { DevNode } from './node.js'
import { personalMessageHash, signatureHex, type TypedData, typedDataHash } from './sign.js'

const GWEI = 1_000_000_000n
/** The priority fee a transaction from `eth_sendTransaction` offers when it names none (anvil's). */
export const DEFAULT_PRIORITY_FEE = GWEI

const checksum = (a: bigint): Hex => toChecksumAddress(bigIntToBytes(a, 20))

/** Renames a transaction-level refusal as the tools expect it ("intrinsic gas too low: ..."). */
function clearError(error: unknown): unknown {
  if (!(error instanceof RpcError)) return error
  const message = error.shortMessage
  if (/below the intrinsic gas/.test(message)) return serverError(`intrinsic gas too low: ${message}`)
  return error
}

/** The base fee the next block will have. */
export function nextBaseFee(node: DevNode): bigint {
  const forced = node.record.nextBaseFee
  if (forced !== undefined) return BigInt(forced)
  const h = node.chain.head().block.header
  if (h.baseFeePerGas === undefined) return 0n
  const rules = node.chain.rules({ ...node.chain.head().block, header: { ...h, number: h.number + 1n } })
  return calcBaseFee(
    { gasLimit: h.gasLimit, gasUsed: h.gasUsed, baseFeePerGas: h.baseFeePerGas },
    rules.params,
  )
}

/**
 * `anvil_setMinGasPrice`'s floor (a chain without a base fee only): a transaction offering
 * less is refused at submission, as geth's pool refuses an underpriced one.
 */
function checkGasPrice(node: DevNode, tx: UnsignedTransaction): void {
  const min = node.record.minGasPrice
  if (min === undefined || !('gasPrice' in tx)) return
  if (tx.gasPrice < BigInt(min))
    throw serverError(`transaction underpriced: gas price ${tx.gasPrice}, minimum ${min}`)
}

/** Adds a raw transaction to the pool and, when automining, mines it; returns its hash. */
async function submitRaw(node: DevNode, ctx: RpcContext, raw: Hex): Promise<Hex> {
  let hash: Hex
  let tx: Transaction | undefined
  try {
    tx = decodeNetworkTransaction(hexToBytes(raw))
  } catch {
    // Malformed: eth_sendRawTransaction below says why.
  }
  if (tx) checkGasPrice(node, tx)
  try {
    hash = (await METHODS.eth_sendRawTransaction!(ctx, [raw])) as Hex
    await node.afterSubmit(hexToBytes(hash))
  } catch (error) {
    throw clearError(error)
  }
  await node.flush()
  return hash
}

/**
 * The stand-in signature of an impersonated account's transaction: never checked (the pool and
 * the block are told the sender), and carrying the sender in `r` so that two accounts sending
 * the same transaction get different hashes.
 */
function unsignedAs(tx: UnsignedTransaction, from: bigint): Transaction {
  const r = from | (1n << 160n)
  if (tx.type === 0) return { ...tx, chainId: tx.chainId, v: (tx.chainId ?? 0n) * 2n + 35n, r, s: 1n }
  return { ...tx, yParity: 0n, r, s: 1n } as Transaction
}

/** Adds an impersonated account's transaction to the pool (automined like any other). */
async function submitImpersonated(
  node: DevNode,
  ctx: RpcContext,
  unsigned: UnsignedTransaction,
  from: bigint,
): Promise<Hex> {
  return submitFrom(node, ctx, unsigned, unsignedAs(unsigned, from), from, true)
}

/**
 * Adds a transaction whose sender is known (signed here with an unlocked key, or an
 * impersonated account's) to the pool and, when automining, mines it: the sender is not
 * recovered from the signature again (an ecrecover costs more than the rest of a transfer).
 */
async function submitFrom(
  node: DevNode,
  ctx: RpcContext,
  unsigned: UnsignedTransaction,
  tx: Transaction,
  from: bigint,
  impersonated: boolean,
): Promise<Hex> {
  const head = ctx.chain.head()
  const next = {
    ...head.block,
    header: { ...head.block.header, number: head.block.header.number + 1n, parentHash: head.hash },
  }
  checkGasPrice(node, unsigned)
  const raw = encodeTransaction(tx)
  let hash: Uint8Array
  try {
    hash = node.pool.add(raw, ctx.chain.stateAt(head), ctx.chain.rules(next), ctx.chain.config.chainId, from)
    if (impersonated) node.markUnsigned(hash)
    await node.afterSubmit(hash)
  } catch (error) {
    throw clearError(error)
  }
  await node.flush()
  return bytesToHex(hash)
}

/** The unsigned transaction `eth_sendTransaction` / `eth_signTransaction` make of a call object. */
async function fillTransaction(node: DevNode, ctx: RpcContext, value: unknown): Promise<UnsignedTransaction> {
  const args = callArgs(value, 0)
  if (args.from === undefined) throw p.argError(0, 'from is required')
  const from = args.from
  const state = ctx.chain.stateAt(ctx.chain.head())
  const nonce = args.nonce ?? node.pool.nextNonce(from, state.getNonce(from))
  let gasLimit = args.gas
  if (gasLimit === undefined) {
    const o: Record<string, unknown> = { ...(value as Record<string, unknown>), nonce: numberToHex(nonce) }
    delete o.gas
    gasLimit = BigInt((await METHODS.eth_estimateGas!(ctx, [o, 'latest'])) as string)
  }
  const chainId = args.chainId ?? ctx.chain.config.chainId
  const base = {
    nonce,
    gasLimit,
    to: args.to,
    value: args.value ?? 0n,
    data: args.data ?? new Uint8Array(0),
  }
  const type =
    args.type ??
    (args.authorizationList
      ? 4
      : args.gasPrice !== undefined
        ? args.accessList
          ? 1
          : 0
        : node.chain.head().block.header.baseFeePerGas === undefined
          ? args.accessList
            ? 1
            : 0
          : 2)
  const baseFee = nextBaseFee(node)
  const min = BigInt(node.record.minGasPrice ?? 0)
  const price = args.gasPrice ?? (baseFee + DEFAULT_PRIORITY_FEE > min ? baseFee + DEFAULT_PRIORITY_FEE : min)
  if (type === 0) return { type, ...base, gasPrice: price, chainId }
  if (type === 1)
    return {
      type,
      ...base,
      chainId,
      gasPrice: price,
      accessList: args.accessList ?? [],
    }
  const tip =
    args.maxPriorityFeePerGas ??
    (args.maxFeePerGas !== undefined && args.maxFeePerGas < DEFAULT_PRIORITY_FEE
      ? args.maxFeePerGas
      : DEFAULT_PRIORITY_FEE)
  const fees = {
    chainId,
    maxPriorityFeePerGas: tip,
    maxFeePerGas: args.maxFeePerGas ?? baseFee * 2n + tip,
    accessList: args.accessList ?? [],
  }
  if (type === 2) return { type, ...base, ...fees }
  if (type === 4) {
    if (args.to === undefined) throw p.argError(0, 'a set-code transaction needs to')
    return { type, ...base, to: args.to, ...fees, authorizationList: args.signedAuthorizations ?? [] }
  }
  throw p.argError(0, `eth_sendTransaction does not build type ${type} transactions`)
}

function signerOf(node: DevNode, address: bigint): Uint8Array {
  const key = node.keyOf(address)
  if (!key) throw serverError(`no signer available for ${checksum(address)}`)
  return key
}

function messageBytes(value: unknown, index: number): Uint8Array {
  if (typeof value === 'string' && !value.startsWith('0x')) return new TextEncoder().encode(value)
  return p.bytes(value, index)
}

/** A quantity as hex, or (as anvil and Hardhat take for counts and times) a JSON number. */
function quantity(value: unknown, index: number, bits = 256): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  return p.quantity(value, index, bits)
}

const one = <T>(list: unknown[], index: number, decode: (v: unknown, i: number) => T): T =>
  decode(p.required(list, index), index)

/** Runs `fn` then writes what it changed (state and record) before answering. */
async function settled<T>(node: DevNode, fn: () => T): Promise<T> {
  const out = fn()
  await node.flush()
  return out
}

/**
 * The dev node's methods, anvil's names with Hardhat's aliases, for `createDispatch`'s
 * `extra`: accounts and signing, mining, state control, time, snapshots.
 */
export function devMethods(node: DevNode): Record<string, Handler> {
  const setBalance: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    const balance = one(list, 1, p.quantity)
    return settled(node, () => {
      node.changeState((s) => s.setBalance(address, balance))
      return null
    })
  }
  const setCode: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    const code = one(list, 1, p.bytes)
    return settled(node, () => {
      node.changeState((s) => s.setCode(address, code))
      return null
    })
  }
  const setNonce: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    const nonce = one(list, 1, (v, i) => quantity(v, i, 64))
    return settled(node, () => {
      node.changeState((s) => s.setNonce(address, nonce))
      return null
    })
  }
  const setStorageAt: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    const slot = one(list, 1, p.storageKey)
    const value = bytesToBigInt(one(list, 2, (v, i) => p.bytes(v, i, 32)))
    return settled(node, () => {
      node.changeState((s) => s.setStorage(address, slot, value))
      return true
    })
  }
  const mine: Handler = (_ctx, list) => {
    const count = list[0] == null ? 1n : quantity(list[0], 0, 64)
    const interval = list[1] == null ? 1n : quantity(list[1], 1, 64)
    return node.mineBlocks(count, interval).then(() => null)
  }
  const setAutomine: Handler = (_ctx, list) => {
    node.automine = p.boolean(p.required(list, 0), 0)
    return null
  }
  const setIntervalMining: Handler = (_ctx, list) => {
    const seconds = Number(quantity(p.required(list, 0), 0, 32))
    node.setIntervalMining(seconds)
    return null
  }
  const setCoinbase: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    return settled(node, () => {
      node.update((r) => {
        r.coinbase = bytesToHex(bigIntToBytes(address, 20))
      })
      return null
    })
  }
  const setNextBlockBaseFeePerGas: Handler = (_ctx, list) => {
    const fee = one(list, 0, p.quantity)
    return settled(node, () => {
      node.update((r) => {
        r.nextBaseFee = fee.toString()
      })
      return null
    })
  }
  const setMinGasPrice: Handler = (_ctx, list) => {
    const price = one(list, 0, p.quantity)
    // anvil's rule and wording: with a base fee, the fee market sets the floor.
    if (node.chain.head().block.header.baseFeePerGas !== undefined)
      throw invalidParams('anvil_setMinGasPrice is not supported when EIP-1559 is active')
    return settled(node, () => {
      node.update((r) => {
        r.minGasPrice = price.toString()
      })
      return null
    })
  }
  const setBlockGasLimit: Handler = (_ctx, list) => {
    const limit = one(list, 0, (v, i) => quantity(v, i, 64))
    return settled(node, () => {
      node.update((r) => {
        r.gasLimit = limit.toString()
      })
      return true
    })
  }
  const increaseTime: Handler = (_ctx, list) => {
    const seconds = one(list, 0, p.quantity)
    return settled(node, () => {
      node.update((r) => {
        r.timeOffset = (BigInt(r.timeOffset) + seconds).toString()
      })
      return numberToHex(BigInt(node.record.timeOffset))
    })
  }
  const setNextBlockTimestamp: Handler = (_ctx, list) => {
    const timestamp = one(list, 0, (v, i) => quantity(v, i, 64))
    const head = node.chain.head().block.header.timestamp
    if (timestamp <= head)
      throw serverError(`timestamp ${timestamp} is not after the latest block's (${head})`)
    return settled(node, () => {
      node.update((r) => {
        r.nextTimestamp = timestamp.toString()
      })
      return null
    })
  }
  const setTime: Handler = (_ctx, list) => {
    const timestamp = one(list, 0, (v, i) => quantity(v, i, 64))
    return settled(node, () => {
      const before = node.time()
      node.update((r) => {
        r.timeOffset = (BigInt(r.timeOffset) + timestamp - before).toString()
      })
      return numberToHex(timestamp)
    })
  }
  const snapshot: Handler = () =>
    settled(node, () => {
      let id = ''
      node.update((r) => {
        r.snapshotCounter++
        id = numberToHex(r.snapshotCounter)
        r.snapshots.push({ id, head: r.head, pendingRoot: r.pendingRoot, timeOffset: r.timeOffset })
      })
      return id
    })
  const revert: Handler = (_ctx, list) => {
    const id = numberToHex(one(list, 0, (v, i) => quantity(v, i, 64)))
    const at = node.record.snapshots.findIndex((s) => s.id === id)
    if (at < 0) return false
    const s = node.record.snapshots[at]!
    return settled(node, () => {
      node.chain.setHead(hexToBytes(s.head as Hex))
      node.chain.setPendingRoot(hexToBytes(s.pendingRoot as Hex))
      node.update((r) => {
        // Reverting uses the snapshot up, with every one taken after it.
        r.snapshots.splice(at)
        r.timeOffset = s.timeOffset
        delete r.nextTimestamp
        delete r.nextBaseFee
      })
      return true
    })
  }
  const dropTransaction: Handler = (_ctx, list) => {
    const hash = one(list, 0, p.hash)
    return node.pool.remove(hash) ? bytesToHex(hash) : null
  }
  const dropAllTransactions: Handler = () => {
    node.pool.clear()
    return null
  }
  const rollback: Handler = (_ctx, list) => {
    const depth = list[0] == null ? 1n : quantity(list[0], 0, 64)
    const head = node.chain.head().block.header.number
    if (depth > head) throw serverError(`cannot roll back ${depth} blocks from block ${head}`)
    const target = node.chain.blockByNumber(head - depth)!
    return settled(node, () => {
      node.chain.setHead(target.hash)
      node.update(() => {})
      return null
    })
  }
  const nodeInfo: Handler = (ctx) => {
    const head = node.chain.head().block.header
    return {
      currentBlockNumber: numberToHex(head.number),
      currentBlockTimestamp: Number(head.timestamp),
      currentBlockHash: bytesToHex(node.chain.head().hash),
      hardFork: node.setup.hardfork.toLowerCase(),
      transactionOrder: 'fees',
      environment: {
        baseFee: numberToHex(nextBaseFee(node)),
        chainId: numberToHex(ctx.chain.config.chainId),
        gasLimit: numberToHex(BigInt(node.record.gasLimit ?? node.setup.gasLimit)),
        gasPrice: numberToHex(nextBaseFee(node) + DEFAULT_PRIORITY_FEE),
      },
      forkConfig: node.setup.fork
        ? {
            forkUrl: node.setup.fork.url,
            forkBlockNumber: Number(node.setup.fork.blockNumber),
            forkRetryBackoff: 0,
          }
        : {},
    }
  }
  const metadata: Handler = (ctx) => ({
    clientVersion: ctx.clientVersion,
    chainId: numberToHex(ctx.chain.config.chainId),
    instanceId: bytesToHex(node.chain.genesis().hash),
    latestBlockNumber: numberToHex(node.chain.head().block.header.number),
    latestBlockHash: bytesToHex(node.chain.head().hash),
    forkedNetwork: node.setup.fork
      ? {
          chainId: Number(node.setup.fork.chainId),
          forkBlockNumber: Number(node.setup.fork.blockNumber),
          forkBlockHash: node.setup.fork.blockHash,
        }
      : null,
    snapshots: Object.fromEntries(node.record.snapshots.map((s) => [s.id, s.head])),
  })

  const impersonate: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    return settled(node, () => {
      node.setImpersonated(address, true)
      return null
    })
  }
  const stopImpersonating: Handler = (_ctx, list) => {
    const address = one(list, 0, p.address)
    return settled(node, () => {
      node.setImpersonated(address, false)
      return null
    })
  }
  const autoImpersonate: Handler = (_ctx, list) => {
    const on = one(list, 0, p.boolean)
    return settled(node, () => {
      node.update((r) => {
        r.autoImpersonate = on
      })
      return null
    })
  }
  const reset: Handler = (_ctx, list) => {
    const o = list[0]
    const forking =
      o != null && typeof o === 'object' ? (o as { forking?: { jsonRpcUrl?: unknown } }).forking : undefined
    if (forking?.jsonRpcUrl != null)
      throw serverError(
        'anvil_reset cannot fork another chain or block here: restart with --fork-url (a reset without options goes back to the fork block)',
      )
    return settled(node, () => {
      node.reset()
      return null
    })
  }

  const sign = (address: bigint, message: Uint8Array) =>
    signatureHex(personalMessageHash(message), signerOf(node, address))

  const methods: Record<string, Handler> = {
    // The unlocked accounts, then the impersonated ones (as anvil lists them).
    eth_accounts: () => {
      const out = node.accounts.map((a) => checksum(a.address))
      for (const hex of node.record.impersonated ?? []) {
        const address = checksum(BigInt(hex))
        if (!out.includes(address)) out.push(address)
      }
      return out
    },
    eth_coinbase: () => bytesToHex(hexToBytes(node.record.coinbase as Hex)),
    eth_mining: () => node.automine || node.blockTime !== undefined,
    eth_sendRawTransaction: (ctx, list) => {
      const raw = bytesToHex(one(list, 0, p.bytes))
      return submitRaw(node, ctx, raw)
    },
    async eth_sendTransaction(ctx, list) {
      const unsigned = await fillTransaction(node, ctx, p.required(list, 0))
      const from = callArgs(list[0], 0).from!
      if (!node.keyOf(from) && node.isImpersonated(from)) return submitImpersonated(node, ctx, unsigned, from)
      return submitFrom(node, ctx, unsigned, signTransaction(unsigned, signerOf(node, from)), from, false)
    },
    async eth_signTransaction(ctx, list) {
      const unsigned = await fillTransaction(node, ctx, p.required(list, 0))
      const from = callArgs(list[0], 0).from!
      return bytesToHex(encodeTransaction(signTransaction(unsigned, signerOf(node, from))))
    },
    eth_sign: (_ctx, list) => sign(one(list, 0, p.address), one(list, 1, messageBytes)),
    personal_sign: (_ctx, list) => sign(one(list, 1, p.address), one(list, 0, messageBytes)),
    eth_signTypedData_v4: (_ctx, list) => {
      const address = one(list, 0, p.address)
      const raw = p.required(list, 1)
      const data = (typeof raw === 'string' ? JSON.parse(raw) : raw) as TypedData
      return signatureHex(typedDataHash(data), signerOf(node, address))
    },

    evm_mine: (_ctx, list) => {
      const arg = list[0]
      let timestamp: bigint | undefined
      let blocks = 1n
      if (arg != null && typeof arg === 'object') {
        const o = arg as Record<string, unknown>
        if (o.timestamp != null) timestamp = quantity(o.timestamp, 0, 64)
        if (o.blocks != null) blocks = quantity(o.blocks, 0, 64)
      } else if (arg != null) timestamp = quantity(arg, 0, 64)
      return settled(node, () => {
        if (timestamp !== undefined) node.update((r) => void (r.nextTimestamp = timestamp.toString()))
        return node.mineBlocks(blocks).then(() => '0x0')
      })
    },
    anvil_mine: mine,
    hardhat_mine: mine,
    evm_setAutomine: setAutomine,
    anvil_setAutomine: setAutomine,
    anvil_getAutomine: () => node.automine,
    hardhat_getAutomine: () => node.automine,
    evm_setIntervalMining: setIntervalMining,
    anvil_setIntervalMining: setIntervalMining,
    anvil_getIntervalMining: () => node.blockTime ?? null,

    evm_snapshot: snapshot,
    anvil_snapshot: snapshot,
    evm_revert: revert,
    anvil_revert: revert,
    anvil_setBalance: setBalance,
    hardhat_setBalance: setBalance,
    anvil_setCode: setCode,
    hardhat_setCode: setCode,
    anvil_setNonce: setNonce,
    hardhat_setNonce: setNonce,
    anvil_setStorageAt: setStorageAt,
    hardhat_setStorageAt: setStorageAt,
    anvil_setCoinbase: setCoinbase,
    hardhat_setCoinbase: setCoinbase,
    anvil_setNextBlockBaseFeePerGas: setNextBlockBaseFeePerGas,
    hardhat_setNextBlockBaseFeePerGas: setNextBlockBaseFeePerGas,
    anvil_setMinGasPrice: setMinGasPrice,
    hardhat_setMinGasPrice: setMinGasPrice,
    evm_setBlockGasLimit: setBlockGasLimit,
    anvil_setBlockGasLimit: setBlockGasLimit,
    evm_increaseTime: increaseTime,
    anvil_increaseTime: increaseTime,
    evm_setNextBlockTimestamp: setNextBlockTimestamp,
    anvil_setNextBlockTimestamp: setNextBlockTimestamp,
    anvil_setTime: setTime,
    evm_setTime: setTime,
    anvil_dropTransaction: dropTransaction,
    hardhat_dropTransaction: dropTransaction,
    anvil_dropAllTransactions: dropAllTransactions,
    anvil_rollback: rollback,
    anvil_impersonateAccount: impersonate,
    hardhat_impersonateAccount: impersonate,
    anvil_stopImpersonatingAccount: stopImpersonating,
    hardhat_stopImpersonatingAccount: stopImpersonating,
    anvil_autoImpersonateAccount: autoImpersonate,
    anvil_reset: reset,
    hardhat_reset: reset,
    anvil_nodeInfo: nodeInfo,
    anvil_metadata: metadata,
    hardhat_metadata: metadata,
    anvil_dumpState: () => gzipHex(JSON.stringify(node.dumpState())),
    hardhat_dumpState: () => gzipHex(JSON.stringify(node.dumpState())),
    async anvil_loadState(_ctx, list) {
      const input = p.required(list, 0)
      await node.loadState(typeof input === 'string' ? input : JSON.stringify(input))
      return true
    },
  }
  if (node.chain.fork === undefined) return methods
  // A forked chain: every method that reads state runs until the upstream state it reads is
  // fetched (each handler reads before it changes anything; mining resolves its own).
  const all: Record<string, Handler> = {}
  for (const [name, handler] of Object.entries({ ...METHODS, ...methods }))
    all[name] = (ctx, list) => node.resolve(() => handler(ctx, list))
  return all
}
