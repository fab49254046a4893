import { describeType, hexToBigInt, hexToBytes } from '@crucible/primitives'
import { BlockError } from '../errors.js'
import type { BlockHeader } from './header.js'

/** A header in the JSON shape of the test fixtures (and, with `logsBloom`/`sha3Uncles`, JSON-RPC). */
export type HeaderJson = Record<string, string | undefined>

function pick(json: HeaderJson, ...names: string[]): string | undefined {
  for (const name of names) if (json[name] !== undefined) return json[name]
  return undefined
}

function need(json: HeaderJson, ...names: string[]): string {
  const value = pick(json, ...names)
  if (value === undefined) throw new BlockError('INVALID_HEADER_FIELDS', `header JSON lacks ${names[0]}`)
  return value
}

/**
 * A header from its JSON form. Accepts the fixture names (`uncleHash`, `transactionsTrie`,
 * `receiptTrie`, `bloom`) and the JSON-RPC ones (`sha3Uncles`, `transactionsRoot`,
 * `receiptsRoot`, `logsBloom`, `miner`).
 */
export function headerFromJson(json: HeaderJson): BlockHeader {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new BlockError('INVALID_HEADER_FIELDS', `header JSON is not an object (${describeType(json)})`)
  const bytes = (...names: string[]) => hexToBytes(need(json, ...names))
  const int = (...names: string[]) => hexToBigInt(need(json, ...names))
  const header: BlockHeader = {
    parentHash: bytes('parentHash'),
    ommersHash: bytes('uncleHash', 'sha3Uncles', 'ommersHash'),
    coinbase: bytes('coinbase', 'miner'),
    stateRoot: bytes('stateRoot'),
    transactionsRoot: bytes('transactionsTrie', 'transactionsRoot'),
    receiptsRoot: bytes('receiptTrie', 'receiptsRoot'),
    logsBloom: bytes('bloom', 'logsBloom'),
    difficulty: int('difficulty'),
    number: int('number'),
    gasLimit: int('gasLimit'),
    gasUsed: int('gasUsed'),
    timestamp: int('timestamp'),
    extraData: bytes('extraData'),
    mixHash: bytes('mixHash', 'prevRandao'),
    nonce: bytes('nonce'),
  }
  const optInt = (name: string) => (json[name] === undefined ? undefined : hexToBigInt(json[name]!))
  const optBytes = (name: string) => (json[name] === undefined ? undefined : hexToBytes(json[name]!))
  const baseFee = optInt('baseFeePerGas')
  if (baseFee !== undefined) header.baseFeePerGas = baseFee
  const withdrawalsRoot = optBytes('withdrawalsRoot')
  if (withdrawalsRoot) header.withdrawalsRoot = withdrawalsRoot
  const blobGasUsed = optInt('blobGasUsed')
  if (blobGasUsed !== undefined) header.blobGasUsed = blobGasUsed
  const excessBlobGas = optInt('excessBlobGas')
  if (excessBlobGas !== undefined) header.excessBlobGas = excessBlobGas
  const beaconRoot = optBytes('parentBeaconBlockRoot')
  if (beaconRoot) header.parentBeaconBlockRoot = beaconRoot
  const requestsHash = optBytes('requestsHash')
  if (requestsHash) header.requestsHash = requestsHash
  return header
}
