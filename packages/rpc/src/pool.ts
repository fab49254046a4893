import type { Host } from '@crucible/evm'
import type { ForkRules } from '@crucible/forks'
import { verifyBlobKzgProofBatch } from '@crucible/precompiles'
import { bigIntToBytes, bytesToHex, CrucibleError, type Hex, toChecksumAddress } from '@crucible/primitives'
import {
  decodeNetworkTransaction,
  encodeTransaction,
  type Transaction,
  transactionHash,
  transactionToRpc,
  validateTransaction,
} from '@crucible/tx'
import { serverError } from './errors.js'

/** A transaction waiting in the pool. */
export interface PooledTransaction {
  tx: Transaction
  sender: bigint
  hash: Uint8Array
  /** Canonical (block) encoding, without any blob sidecar. */
  bytes: Uint8Array
}

export interface TxPoolOptions {
  /** Most transactions one sender may have waiting (default 64). */
  perSender?: number
  /** Percent a replacement must raise both fee caps by (default 10). */
  priceBump?: bigint
}

function feeCap(tx: Transaction): bigint {
  return tx.type === 0 || tx.type === 1 ? tx.gasPrice : tx.maxFeePerGas
}
function tipCap(tx: Transaction): bigint {
  return tx.type === 0 || tx.type === 1 ? tx.gasPrice : tx.maxPriorityFeePerGas
}

/**
 * The transaction pool: per sender, by nonce. A transaction whose nonce follows the state's
 * nonce without a gap is pending, the rest are queued. Replacing a transaction (same sender
 * and nonce) needs both fee caps raised by the price bump.
 */
export class TxPool {
  private readonly bySender = new Map<bigint, Map<bigint, PooledTransaction>>()
  private readonly byHash = new Map<string, PooledTransaction>()
  private readonly perSender: number
  private readonly priceBump: bigint
  private readonly listeners = new Set<(tx: PooledTransaction) => void>()

  constructor(options: TxPoolOptions = {}) {
    this.perSender = options.perSender ?? 64
    this.priceBump = options.priceBump ?? 10n
  }

  /**
   * Decodes, checks and adds a raw transaction (network form accepted) against `state` (the
   * head's); returns its hash. Errors are -32000 with geth's wording. `knownSender` skips the
   * signature (a dev node's impersonated account).
   */
  add(raw: Uint8Array, state: Host, rules: ForkRules, chainId: bigint, knownSender?: bigint): Uint8Array {
    let tx: Transaction
    let sender: bigint
    try {
      tx = decodeNetworkTransaction(raw)
      sender = validateTransaction(tx, rules, chainId, knownSender).sender
    } catch (error) {
      throw serverError(error instanceof CrucibleError ? error.shortMessage : String(error))
    }
    // EIP-4844 network form: each blob's KZG proof must open its commitment (the sizes and the
    // versioned hashes were checked above). EIP-7594 cell proofs (wrapper version 1) are not
    // verified yet.
    if (tx.type === 3 && tx.sidecar?.wrapperVersion === 0) {
      const { blobs, commitments, proofs } = tx.sidecar
      if (!verifyBlobKzgProofBatch(blobs, commitments, proofs)) throw serverError('invalid blob proof')
    }
    const hash = transactionHash(tx)
    const key = bytesToHex(hash)
    if (this.byHash.has(key)) throw serverError('already known')
    const stateNonce = state.getNonce(sender)
    if (tx.nonce < stateNonce)
      throw serverError(
        `nonce too low: address ${toChecksumAddress(bigIntToBytes(sender, 20))}, tx: ${tx.nonce} state: ${stateNonce}`,
      )
    const cost = tx.gasLimit * feeCap(tx) + tx.value
    if (state.getBalance(sender) < cost) throw serverError('insufficient funds for gas * price + value')
    let mine = this.bySender.get(sender)
    if (!mine) this.bySender.set(sender, (mine = new Map()))
    const old = mine.get(tx.nonce)
    if (old) {
      const bump = (v: bigint) => v + (v * this.priceBump) / 100n
      if (feeCap(tx) < bump(feeCap(old.tx)) || tipCap(tx) < bump(tipCap(old.tx)))
        throw serverError('replacement transaction underpriced')
      this.byHash.delete(bytesToHex(old.hash))
    } else if (mine.size >= this.perSender) throw serverError('txpool is full')
    const entry: PooledTransaction = {
      tx: tx.type === 3 && tx.sidecar ? ({ ...tx, sidecar: undefined } as Transaction) : tx,
      sender,
      hash,
      bytes: encodeTransaction(
        tx.type === 3 && tx.sidecar ? ({ ...tx, sidecar: undefined } as Transaction) : tx,
      ),
    }
    mine.set(tx.nonce, entry)
    this.byHash.set(key, entry)
    for (const listener of this.listeners) listener(entry)
    return hash
  }

  /** Calls `listener` with each accepted transaction (pending-transaction filters, subscriptions). */
  addListener(listener: (tx: PooledTransaction) => void): void {
    this.listeners.add(listener)
  }
  removeListener(listener: (tx: PooledTransaction) => void): void {
    this.listeners.delete(listener)
  }

  get(hash: Uint8Array): PooledTransaction | undefined {
    return this.byHash.get(bytesToHex(hash))
  }

  /** The JSON of a waiting transaction (block fields null), or undefined. */
  rpcTransaction(hash: Uint8Array): Record<string, unknown> | undefined {
    const p = this.get(hash)
    return p ? pendingJson(p) : undefined
  }

  /** The next nonce of a sender counting its pending transactions. */
  nextNonce(sender: bigint, stateNonce: bigint): bigint {
    const mine = this.bySender.get(sender)
    let n = stateNonce
    while (mine?.has(n)) n++
    return n
  }

  /** Pending and queued transactions, given each sender's state nonce. */
  split(nonceOf: (sender: bigint) => bigint): {
    pending: Map<bigint, PooledTransaction[]>
    queued: Map<bigint, PooledTransaction[]>
  } {
    const pending = new Map<bigint, PooledTransaction[]>()
    const queued = new Map<bigint, PooledTransaction[]>()
    for (const [sender, txs] of this.bySender) {
      const sorted = [...txs.values()].sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : 1))
      let next = nonceOf(sender)
      for (const p of sorted) {
        if (p.tx.nonce < next) continue
        const target = p.tx.nonce === next ? pending : queued
        if (target === pending) next++
        let list = target.get(sender)
        if (!list) target.set(sender, (list = []))
        list.push(p)
      }
    }
    return { pending, queued }
  }

  /** Removes a waiting transaction; false when it is not in the pool. */
  remove(hash: Uint8Array): boolean {
    const entry = this.byHash.get(bytesToHex(hash))
    if (!entry) return false
    this.byHash.delete(bytesToHex(hash))
    const mine = this.bySender.get(entry.sender)
    mine?.delete(entry.tx.nonce)
    if (mine?.size === 0) this.bySender.delete(entry.sender)
    return true
  }

  /** Removes every waiting transaction. */
  clear(): void {
    this.byHash.clear()
    this.bySender.clear()
  }

  /** Drops transactions the state has passed (nonce below the sender's). */
  prune(nonceOf: (sender: bigint) => bigint): void {
    for (const [sender, txs] of this.bySender) {
      const nonce = nonceOf(sender)
      for (const [n, p] of txs)
        if (n < nonce) {
          txs.delete(n)
          this.byHash.delete(bytesToHex(p.hash))
        }
      if (txs.size === 0) this.bySender.delete(sender)
    }
  }

  get size(): number {
    return this.byHash.size
  }
}

export function pendingJson(p: PooledTransaction): Record<string, unknown> {
  return {
    blockHash: null,
    blockNumber: null,
    blockTimestamp: null,
    ...(transactionToRpc(p.tx, { from: p.sender }) as unknown as Record<string, unknown>),
    transactionIndex: null,
  }
}

export const checksum = (a: bigint): Hex => toChecksumAddress(bigIntToBytes(a, 20))
