import type { AccessListEntry } from '@crucible/evm-types'
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  CrucibleError,
  type Hex,
  hexToBigInt,
  hexToBytes,
  numberToHex,
} from '@crucible/primitives'
import { transactionHash } from './encode.js'
import { TxDecodeError } from './errors.js'
import { recoverSender } from './signature.js'
import type { SignedAuthorization, Transaction } from './types.js'

/** An access-list entry as JSON-RPC writes it. */
export interface RpcAccessListEntry {
  address: Hex
  storageKeys: Hex[]
}

/** An EIP-7702 authorization as JSON-RPC writes it. */
export interface RpcAuthorization {
  chainId: Hex
  address: Hex
  nonce: Hex
  yParity: Hex
  r: Hex
  s: Hex
}

/**
 * A transaction object as `eth_getTransactionByHash` returns it: quantities as minimal hex,
 * data and hashes as hex bytes. Keys are in the order geth writes them.
 */
export interface RpcTransaction {
  blockHash?: Hex | null
  blockNumber?: Hex | null
  blockTimestamp?: Hex | null
  from?: Hex
  gas: Hex
  gasPrice?: Hex
  maxFeePerGas?: Hex
  maxPriorityFeePerGas?: Hex
  maxFeePerBlobGas?: Hex
  hash?: Hex
  input: Hex
  nonce: Hex
  to: Hex | null
  transactionIndex?: Hex | null
  value: Hex
  type: Hex
  accessList?: RpcAccessListEntry[]
  chainId?: Hex
  authorizationList?: RpcAuthorization[]
  blobVersionedHashes?: Hex[]
  v: Hex
  r: Hex
  s: Hex
  yParity?: Hex
}

/** Where the transaction sits, for the block fields of {@link transactionToRpc}. */
export interface RpcTransactionContext {
  blockHash?: Uint8Array
  blockNumber?: bigint
  blockTimestamp?: bigint
  transactionIndex?: number | bigint
  /** The block's base fee: makes `gasPrice` of fee-market transactions the effective price. */
  baseFee?: bigint
  /** The sender, when already known (saves a recovery). */
  from?: bigint
}

const addressHex = (value: bigint): Hex => bytesToHex(bigIntToBytes(value, 20))
const wordHex = (value: bigint): Hex => bytesToHex(bigIntToBytes(value, 32))

/**
 * The JSON-RPC object of a transaction. `from` is recovered when not given (and left out if
 * the signature does not recover); without a block the block fields are left out, and a
 * fee-market transaction's `gasPrice` is its max fee (as geth does for pending ones).
 */
export function transactionToRpc(tx: Transaction, context: RpcTransactionContext = {}): RpcTransaction {
  const out: Partial<RpcTransaction> = {}
  if (context.blockHash !== undefined) out.blockHash = bytesToHex(context.blockHash)
  if (context.blockNumber !== undefined) out.blockNumber = numberToHex(context.blockNumber)
  if (context.blockTimestamp !== undefined) out.blockTimestamp = numberToHex(context.blockTimestamp)
  let from = context.from
  if (from === undefined) {
    try {
      from = recoverSender(tx)
    } catch (error) {
      if (!(error instanceof CrucibleError)) throw error
    }
  }
  if (from !== undefined) out.from = addressHex(from)
  out.gas = numberToHex(tx.gasLimit)
  if (tx.type === 0 || tx.type === 1) {
    out.gasPrice = numberToHex(tx.gasPrice)
  } else {
    // The price actually paid in a block: base fee plus tip, capped by the max fee.
    let effective = tx.maxFeePerGas
    if (context.baseFee !== undefined) {
      const paid = context.baseFee + tx.maxPriorityFeePerGas
      if (paid < effective) effective = paid
    }
    out.gasPrice = numberToHex(effective)
    out.maxFeePerGas = numberToHex(tx.maxFeePerGas)
    out.maxPriorityFeePerGas = numberToHex(tx.maxPriorityFeePerGas)
    if (tx.type === 3) out.maxFeePerBlobGas = numberToHex(tx.maxFeePerBlobGas)
  }
  out.hash = bytesToHex(transactionHash(tx))
  out.input = bytesToHex(tx.data)
  out.nonce = numberToHex(tx.nonce)
  out.to = tx.to === undefined ? null : addressHex(tx.to)
  if (context.transactionIndex !== undefined) out.transactionIndex = numberToHex(context.transactionIndex)
  out.value = numberToHex(tx.value)
  out.type = numberToHex(tx.type)
  if (tx.type !== 0) {
    out.accessList = tx.accessList.map((entry) => ({
      address: addressHex(entry.address),
      storageKeys: entry.storageKeys.map(wordHex),
    }))
  }
  if (tx.chainId !== undefined) out.chainId = numberToHex(tx.chainId)
  if (tx.type === 4) {
    out.authorizationList = tx.authorizationList.map((a) => ({
      chainId: numberToHex(a.chainId),
      address: addressHex(a.address),
      nonce: numberToHex(a.nonce),
      yParity: numberToHex(a.yParity),
      r: numberToHex(a.r),
      s: numberToHex(a.s),
    }))
  }
  if (tx.type === 3) out.blobVersionedHashes = tx.blobVersionedHashes.map((h) => bytesToHex(h))
  out.v = numberToHex(tx.type === 0 ? tx.v : tx.yParity)
  out.r = numberToHex(tx.r)
  out.s = numberToHex(tx.s)
  if (tx.type !== 0) out.yParity = numberToHex(tx.yParity)
  return out as RpcTransaction
}

type JsonObject = Record<string, unknown>

function field(json: JsonObject, name: string, ...aliases: string[]): unknown {
  for (const key of [name, ...aliases]) if (json[key] !== undefined && json[key] !== null) return json[key]
  return undefined
}

function wrap<T>(name: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof TxDecodeError) throw error
    const reason = error instanceof CrucibleError ? error.shortMessage : String(error)
    throw new TxDecodeError('RLP_INVALID', `${name}: ${reason}`, { field: name, cause: error })
  }
}

function quantity(json: JsonObject, name: string, ...aliases: string[]): bigint {
  const value = optionalQuantity(json, name, ...aliases)
  if (value === undefined) throw new TxDecodeError('RLP_INVALID', `${name} is missing`, { field: name })
  return value
}

function optionalQuantity(json: JsonObject, name: string, ...aliases: string[]): bigint | undefined {
  const value = field(json, name, ...aliases)
  if (value === undefined) return undefined
  return wrap(name, () => {
    if (typeof value === 'bigint') return value
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
    if (typeof value !== 'string') throw new TxDecodeError('RLP_INVALID', `${name} is not a hex quantity`)
    return hexToBigInt(value)
  })
}

function hexBytes(value: unknown, name: string, length?: number): Uint8Array {
  return wrap(name, () => {
    if (typeof value !== 'string') throw new TxDecodeError('RLP_INVALID', `${name} is not hex`)
    const out = hexToBytes(value)
    if (length !== undefined && out.length !== length)
      throw new TxDecodeError('RLP_FIELD_WRONG_SIZE', `${name} must be ${length} bytes, got ${out.length}`)
    return out
  })
}

function list(json: JsonObject, name: string): unknown[] {
  const value = field(json, name)
  if (value === undefined) return []
  if (!Array.isArray(value))
    throw new TxDecodeError('RLP_EXPECTED_LIST', `${name} is not an array`, { field: name })
  return value
}

function accessList(json: JsonObject): AccessListEntry[] {
  return list(json, 'accessList').map((entry, i) => {
    const e = entry as JsonObject
    return {
      address: bytesToBigInt(hexBytes(e.address, `accessList[${i}].address`, 20)),
      storageKeys: (Array.isArray(e.storageKeys) ? e.storageKeys : []).map((key, j) =>
        bytesToBigInt(hexBytes(key, `accessList[${i}].storageKeys[${j}]`, 32)),
      ),
    }
  })
}

function authorizationList(json: JsonObject): SignedAuthorization[] {
  return list(json, 'authorizationList').map((entry, i) => {
    const a = entry as JsonObject
    return {
      chainId: quantity(a, 'chainId'),
      address: bytesToBigInt(hexBytes(a.address, `authorizationList[${i}].address`, 20)),
      nonce: quantity(a, 'nonce'),
      yParity: quantity(a, 'yParity', 'v'),
      r: quantity(a, 'r'),
      s: quantity(a, 's'),
    }
  })
}

/**
 * A signed transaction from its JSON-RPC object (`eth_getTransactionByHash` style; `data` and
 * `gasLimit` are accepted for `input` and `gas`). Block fields, `hash` and `from` are ignored.
 * Without `type`, the type is inferred from the fields present. Hex quantities may have
 * leading zeros. Throws {@link TxDecodeError} for missing or malformed fields.
 */
export function transactionFromRpc(json: unknown): Transaction {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new TxDecodeError('RLP_INVALID', 'a JSON transaction must be an object')
  const j = json as JsonObject
  const explicit = optionalQuantity(j, 'type')
  const type =
    explicit ??
    (field(j, 'authorizationList') !== undefined
      ? 4n
      : field(j, 'blobVersionedHashes') !== undefined
        ? 3n
        : field(j, 'maxFeePerGas') !== undefined
          ? 2n
          : field(j, 'accessList') !== undefined
            ? 1n
            : 0n)
  if (type > 4n)
    throw new TxDecodeError('TYPE_UNKNOWN', `unknown transaction type ${type}`, { field: 'type' })
  const toValue = field(j, 'to')
  const common = {
    nonce: quantity(j, 'nonce'),
    gasLimit: quantity(j, 'gas', 'gasLimit'),
    to: toValue === undefined ? undefined : bytesToBigInt(hexBytes(toValue, 'to', 20)),
    value: optionalQuantity(j, 'value') ?? 0n,
    data:
      field(j, 'input', 'data') === undefined
        ? new Uint8Array(0)
        : hexBytes(field(j, 'input', 'data'), 'input'),
    r: quantity(j, 'r'),
    s: quantity(j, 's'),
  }
  const signed = () => quantity(j, 'yParity', 'v')
  switch (type) {
    case 0n: {
      const v = quantity(j, 'v')
      return {
        type: 0,
        ...common,
        gasPrice: quantity(j, 'gasPrice'),
        v,
        chainId: v >= 35n ? (v - 35n) >> 1n : undefined,
      }
    }
    case 1n:
      return {
        type: 1,
        ...common,
        chainId: quantity(j, 'chainId'),
        gasPrice: quantity(j, 'gasPrice'),
        accessList: accessList(j),
        yParity: signed(),
      }
    case 2n:
      return {
        type: 2,
        ...common,
        chainId: quantity(j, 'chainId'),
        maxPriorityFeePerGas: quantity(j, 'maxPriorityFeePerGas'),
        maxFeePerGas: quantity(j, 'maxFeePerGas'),
        accessList: accessList(j),
        yParity: signed(),
      }
    case 3n:
    case 4n: {
      if (common.to === undefined)
        throw new TxDecodeError('RLP_FIELD_WRONG_SIZE', `a type-${type} transaction must have a recipient`, {
          field: 'to',
        })
      const fees = {
        chainId: quantity(j, 'chainId'),
        maxPriorityFeePerGas: quantity(j, 'maxPriorityFeePerGas'),
        maxFeePerGas: quantity(j, 'maxFeePerGas'),
        accessList: accessList(j),
      }
      if (type === 3n) {
        return {
          type: 3,
          ...common,
          to: common.to,
          ...fees,
          maxFeePerBlobGas: quantity(j, 'maxFeePerBlobGas'),
          blobVersionedHashes: list(j, 'blobVersionedHashes').map((h, i) =>
            hexBytes(h, `blobVersionedHashes[${i}]`, 32),
          ),
          yParity: signed(),
        }
      }
      return {
        type: 4,
        ...common,
        to: common.to,
        ...fees,
        authorizationList: authorizationList(j),
        yParity: signed(),
      }
    }
    default:
      throw new TxDecodeError('TYPE_UNKNOWN', `unknown transaction type ${type}`, { field: 'type' })
  }
}
