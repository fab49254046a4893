import {
  bigIntToBytes,
  bytesToHex,
  CrucibleError,
  type Hex,
  hexToBytes,
  numberToHex,
} from '@crucible/primitives'
import type { ChainBlock } from '@crucible/rpc'
import type { Alloc, AllocAccount, WorldState } from '@crucible/state'

/**
 * anvil's state dump (`anvil --dump-state`, `anvil_dumpState`): the block environment, every
 * account with its storage, and the best block number. anvil also writes its blocks and
 * transactions; they are left out here (empty lists) and ignored on load, since a block of
 * another chain cannot be re-executed into this one: a load sets the accounts, as anvil's does.
 */
export interface AnvilState {
  block?: Record<string, unknown> | null
  accounts: Record<string, AnvilAccount>
  best_block_number?: Hex | number | null
  blocks?: unknown[]
  transactions?: unknown[]
  historical_states?: unknown
}

export interface AnvilAccount {
  nonce: number | string
  balance: string
  code: string
  storage: Record<string, string>
}

export class StateDumpError extends CrucibleError {
  override name = 'StateDumpError'
  constructor(shortMessage: string, details: Record<string, unknown> = {}) {
    super('INVALID_STATE_DUMP', shortMessage, details)
  }
}

const word = (v: bigint): Hex => bytesToHex(bigIntToBytes(v, 32))

/** The state as anvil dumps it: `accounts` lists every address of `addresses` that exists. */
export function dumpState(
  state: WorldState,
  head: ChainBlock,
  addresses: Iterable<bigint>,
  slots: (address: bigint) => Iterable<bigint>,
): AnvilState {
  const accounts: Record<string, AnvilAccount> = {}
  for (const address of [...addresses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!state.exists(address)) continue
    const storage: Record<string, string> = {}
    for (const slot of [...slots(address)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const value = state.getStorage(address, slot)
      if (value !== 0n) storage[word(slot)] = word(value)
    }
    accounts[bytesToHex(bigIntToBytes(address, 20))] = {
      nonce: Number(state.getNonce(address)),
      balance: numberToHex(state.getBalance(address)),
      code: bytesToHex(state.getCode(address)),
      storage,
    }
  }
  const h = head.block.header
  return {
    block: {
      number: numberToHex(h.number),
      beneficiary: bytesToHex(h.coinbase),
      timestamp: numberToHex(h.timestamp),
      gas_limit: Number(h.gasLimit),
      basefee: Number(h.baseFeePerGas ?? 0n),
      difficulty: numberToHex(h.difficulty),
      prevrandao: bytesToHex(h.mixHash),
      blob_excess_gas_and_price: { excess_blob_gas: Number(h.excessBlobGas ?? 0n), blob_gasprice: 1 },
    },
    accounts,
    best_block_number: numberToHex(h.number),
    blocks: [],
    transactions: [],
    historical_states: null,
  }
}

function quantity(value: unknown, what: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]*|\d+)$/.test(value))
    return value === '0x' ? 0n : BigInt(value)
  throw new StateDumpError(`${what} is not a quantity`, { value: String(value) })
}

/** The accounts of an anvil state dump, as an allocation (checked field by field). */
export function parseState(json: unknown): Alloc {
  if (typeof json !== 'object' || json === null || typeof (json as AnvilState).accounts !== 'object')
    throw new StateDumpError('a state dump is an object with accounts')
  const alloc: Alloc = {}
  for (const [address, value] of Object.entries((json as AnvilState).accounts)) {
    if (!/^(0x)?[0-9a-fA-F]{40}$/.test(address)) throw new StateDumpError('not an address', { address })
    const a = value as Partial<AnvilAccount>
    const account: AllocAccount = {
      nonce: numberToHex(quantity(a.nonce ?? 0, `nonce of ${address}`)),
      balance: numberToHex(quantity(a.balance ?? 0, `balance of ${address}`)),
      code: a.code ?? '0x',
      storage: {},
    }
    if (typeof account.code !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(account.code))
      throw new StateDumpError('code is not hex', { address })
    for (const [slot, v] of Object.entries(a.storage ?? {}))
      account.storage![numberToHex(quantity(slot, `slot of ${address}`))] = numberToHex(
        quantity(v, `storage of ${address}`),
      )
    alloc[address.startsWith('0x') ? address.toLowerCase() : `0x${address.toLowerCase()}`] = account
  }
  return alloc
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream)
  return new Uint8Array(await new Response(body).arrayBuffer())
}

/** `anvil_dumpState`'s answer: the JSON, gzipped, as hex. */
export async function gzipHex(text: string): Promise<Hex> {
  return bytesToHex(await pipe(new TextEncoder().encode(text), new CompressionStream('gzip')))
}

/** The JSON text of a dump given as hex (gzipped or not, as `anvil_loadState` takes it) or as JSON. */
export async function dumpText(input: string): Promise<string> {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(input)) return input
  const bytes = hexToBytes(input as Hex)
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b
  return new TextDecoder().decode(gzipped ? await pipe(bytes, new DecompressionStream('gzip')) : bytes)
}
