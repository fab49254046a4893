import { hexToBytes } from '@crucible/primitives'
import { privateKeyToAddress } from '@crucible/tx'
import { Random } from '../random.js'
import { hex } from './assemble.js'
import type { AccountSpec, AuthorizationSpec, EvmCase, EvmFork, TxSpec } from './model.js'
import { kzgOpening, precompileAddresses } from './precompile-inputs.js'
import { body, creation, type SnippetContext } from './snippets.js'

/** The sender's key and the EIP-7702 authorities' keys (index 0 is the sender itself). */
export const SENDER_KEY = hexToBytes('0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8')
export const AUTHORITY_KEYS: readonly Uint8Array[] = [
  SENDER_KEY,
  hexToBytes('0x0101010101010101010101010101010101010101010101010101010101010101'),
  hexToBytes('0x0202020202020202020202020202020202020202020202020202020202020202'),
  hexToBytes('0x0303030303030303030303030303030303030303030303030303030303030303'),
]
export const AUTHORITIES: readonly bigint[] = AUTHORITY_KEYS.map((k) => privateKeyToAddress(k))
export const SENDER = AUTHORITIES[0]!
export const COINBASE = 0xc014ba5en
export const CHAIN_ID = 1n
/** Generated contracts live at CONTRACT_BASE + i. */
export const CONTRACT_BASE = 0xc0de0000n

const q = (v: bigint | number): string => `0x${BigInt(v).toString(16)}`
const addr = (v: bigint): string => `0x${v.toString(16).padStart(40, '0')}`

/** Generates the EVM case of a seed: a pre-state of contracts and EOAs, a block, a transaction. */
export function generateEvmCase(seed: number, fork: EvmFork): EvmCase {
  const r = new Random(seed)
  const nContracts = r.range(2, 5)
  const contracts = Array.from({ length: nContracts }, (_, i) => CONTRACT_BASE + BigInt(i))
  const eoas = [...AUTHORITIES]
  const blobMax = fork === 'Cancun' ? 6 : 6
  const txType = pickType(r, fork)
  const blobs = txType === 3 ? r.range(r.chance(0.03) ? 0 : 1, r.chance(0.03) ? 10 : blobMax) : 0
  const ctx: SnippetContext = { rand: r, fork, contracts, eoas, depth: 0, blobs }

  const accounts: AccountSpec[] = []
  accounts.push({
    address: addr(SENDER),
    balance: q(r.chance(0.03) ? BigInt(r.int(1_000_000)) : 10n ** 21n),
    nonce: q(r.int(3)),
    storage: [],
  })
  for (let i = 1; i < AUTHORITIES.length; i++) {
    const a: AccountSpec = {
      address: addr(AUTHORITIES[i]!),
      balance: q(r.int(2) * 10 ** 9),
      nonce: q(r.int(3)),
      storage: [],
    }
    // An EOA already delegated (EIP-7702 designator) at Prague+.
    if (fork !== 'Cancun' && r.chance(0.4))
      a.rawCode = `0xef0100${r.pick(contracts).toString(16).padStart(40, '0')}`
    accounts.push(a)
  }
  for (const c of contracts) {
    const storage: Array<[string, string]> = []
    for (let k = 0; k < 8; k++) if (r.chance(0.3)) storage.push([q(k), q(r.chance(0.5) ? 1n : r.word())])
    accounts.push({
      address: addr(c),
      balance: q(r.chance(0.5) ? 0n : BigInt(r.range(1, 10 ** 9))),
      nonce: q(1),
      storage,
      code: body(ctx, r.range(3, 20), r.chance(0.85)),
    })
  }

  const baseFee = BigInt(r.range(1, 1000))
  const tx = generateTx(r, fork, txType, blobs, contracts, accounts, baseFee, ctx)
  return {
    seed,
    fork,
    block: {
      number: q(r.range(1, 1 << 22)),
      timestamp: q(1_800_000_000 + r.int(1 << 20)),
      gasLimit: q(30_000_000),
      baseFee: q(baseFee),
      excessBlobGas: q(r.chance(0.5) ? 0 : r.int(1 << 23)),
      prevRandao: `0x${hex(r.bytes(32))}`,
      coinbase: addr(COINBASE),
    },
    accounts,
    tx,
  }
}

function pickType(r: Random, fork: EvmFork): TxSpec['type'] {
  const weights = { 0: 2, 1: 1, 2: 4, 3: 1.5, 4: fork === 'Cancun' ? 0.1 : 2 }
  return Number(r.weighted(weights)) as TxSpec['type']
}

function generateTx(
  r: Random,
  fork: EvmFork,
  type: TxSpec['type'],
  blobs: number,
  contracts: bigint[],
  accounts: AccountSpec[],
  baseFee: bigint,
  ctx: SnippetContext,
): TxSpec {
  const senderNonce = BigInt(accounts[0]!.nonce)
  const creationTx = type <= 2 && r.chance(0.2)
  const tip = BigInt(r.range(0, 50))
  const tx: TxSpec = {
    type,
    nonce: q(r.chance(0.97) || senderNonce === 0n ? senderNonce : senderNonce + BigInt(r.pick([-1, 1, 2]))),
    value: q(r.chance(0.6) ? 0n : BigInt(r.range(1, 10 ** 6))),
    gasLimit: q(r.chance(0.97) ? r.range(300_000, 5_000_000) : r.range(0, 60_000)),
    gasPrice: q(r.chance(0.97) ? baseFee + tip + BigInt(r.range(0, 100)) : BigInt(r.int(Number(baseFee)))),
    maxPriorityFeePerGas: q(r.chance(0.98) ? tip : 10n ** 6n),
    maxFeePerBlobGas: q(r.chance(0.95) ? 10n ** 9n : BigInt(r.int(2))),
    data: `0x${hex(r.bytes(r.chance(0.7) ? r.int(68) : r.int(400)))}`,
    accessList: [],
    blobVersionedHashes: [],
    authorizations: [],
    chainId: q(r.chance(0.98) ? CHAIN_ID : 5n),
  }
  if (type === 0 && r.chance(0.2)) tx.unprotected = true
  if (creationTx) tx.init = creation(ctx)
  else {
    const x = r.float()
    tx.to =
      x < 0.88
        ? q(r.pick(contracts))
        : x < 0.95
          ? q(r.pick(AUTHORITIES))
          : x < 0.975
            ? q(r.pick(precompileAddresses(fork)))
            : q(0xdeadn)
  }
  if (type >= 1 && r.chance(0.4)) {
    const n = r.range(1, 3)
    for (let i = 0; i < n; i++) {
      const keys: string[] = []
      const nk = r.int(3)
      for (let k = 0; k < nk; k++) keys.push(q(r.int(8)))
      tx.accessList.push({ address: q(r.chance(0.8) ? r.pick(contracts) : r.bigint(160)), storageKeys: keys })
    }
  }
  for (let i = 0; i < blobs; i++)
    tx.blobVersionedHashes.push(
      `0x${hex(r.chance(0.7) ? kzgOpening(r).versionedHash : Uint8Array.of(r.chance(0.97) ? 1 : 2, ...r.bytes(31)))}`,
    )
  if (type === 4) {
    const n = r.chance(0.02) ? 0 : r.range(1, 3)
    for (let i = 0; i < n; i++) tx.authorizations.push(authorization(r, contracts, accounts, senderNonce))
  }
  return tx
}

function authorization(
  r: Random,
  contracts: bigint[],
  accounts: AccountSpec[],
  senderNonce: bigint,
): AuthorizationSpec {
  const key = r.int(AUTHORITY_KEYS.length)
  // The sender's own authorization is checked after its nonce was bumped.
  const current = key === 0 ? senderNonce + 1n : BigInt(accounts[key]!.nonce)
  const nonce = r.chance(0.85) ? current : current + BigInt(r.pick([-1, 1]))
  const to = r.float()
  const spec: AuthorizationSpec = {
    key,
    chainId: q(r.chance(0.6) ? CHAIN_ID : r.chance(0.7) ? 0n : 7n),
    address: q(to < 0.8 ? r.pick(contracts) : to < 0.9 ? 0n : BigInt(r.range(1, 10))),
    nonce: q(nonce < 0n ? 0n : nonce),
  }
  if (r.chance(0.05)) spec.badSignature = true
  return spec
}
