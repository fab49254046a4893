import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM, type EVM } from '@ethereumjs/evm'
import { SimpleStateManager } from '@ethereumjs/statemanager'
import { Account, Address, bigIntToBytes, setLengthLeft } from '@ethereumjs/util'
import { type Engine, type RunResult, SENDER, SENDER_BALANCE } from '../engine.js'
import type { BenchInput, Benchmark } from '../manifest.js'

type Prepared = { evm: EVM; sm: SimpleStateManager; to: Address; warm: string[]; gasLimit: bigint }

const sender = toAddress(SENDER)

function toAddress(value: bigint): Address {
  return new Address(setLengthLeft(bigIntToBytes(value), 20))
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * `@ethereumjs/evm` 10.1.3 at Prague over its default `SimpleStateManager` (what `createEVM`
 * gives, no trie), called through `evm.runCall` the way `@ethereumjs/vm`'s runTx does it:
 * sender, recipient and the active precompiles always-warm (EIP-2929), no intrinsic gas.
 */
export function ethereumjsEngine(): Engine<Prepared> {
  return {
    name: 'ethereumjs',

    async prepare(benchmark: Benchmark): Promise<Prepared> {
      const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague })
      const sm = new SimpleStateManager()
      const evm = await createEVM({ common, stateManager: sm })
      const to = toAddress(benchmark.to)
      await sm.putAccount(sender, new Account(0n, SENDER_BALANCE))
      const warm = [...evm.precompiles.keys(), sender.toString(), to.toString()]
      if (benchmark.init !== undefined) {
        // Constructor run at `to` itself, so its storage writes land there; it must return code.hex.
        await sm.putAccount(to, new Account(1n, 0n))
        for (const a of warm) evm.journal.addAlwaysWarmAddress(a)
        const res = await evm.runCall({
          caller: sender,
          origin: sender,
          to,
          code: benchmark.init,
          data: new Uint8Array(0),
          gasLimit: benchmark.gasLimit,
          skipNonceIncrement: true,
        })
        evm.journal.cleanJournal()
        if (res.execResult.exceptionError !== undefined)
          throw new Error(`${benchmark.name}: constructor failed: ${res.execResult.exceptionError.error}`)
        if (!sameBytes(res.execResult.returnValue, benchmark.code))
          throw new Error(`${benchmark.name}: constructor returned code different from code.hex`)
      }
      await sm.putCode(to, benchmark.code)
      await sm.checkpoint()
      return { evm, sm, to, warm, gasLimit: benchmark.gasLimit }
    },

    async run(p: Prepared, input: BenchInput): Promise<RunResult> {
      for (const a of p.warm) p.evm.journal.addAlwaysWarmAddress(a)
      const res = await p.evm.runCall({
        caller: sender,
        origin: sender,
        to: p.to,
        data: input.calldata,
        gasLimit: p.gasLimit,
        // the sender's nonce is transaction processing, which the Crucible side leaves out too
        skipNonceIncrement: true,
      })
      const err = res.execResult.exceptionError
      return {
        output: res.execResult.returnValue,
        gasUsed: res.execResult.executionGasUsed,
        ...(err === undefined ? {} : { error: err.error }),
      }
    },

    async reset(p: Prepared): Promise<void> {
      p.evm.journal.cleanJournal()
      await p.sm.revert()
      await p.sm.checkpoint()
    },
  }
}
