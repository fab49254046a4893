/**
 * Developer tool: runs the shared EVM benchmark set (/work/shared/bench or $BENCH_DIR) through
 * the interpreter on the in-memory test host and prints Mgas/s per case, checking output and
 * gas against the manifest.
 *
 *   node --conditions=source --import tsx tooling/evm-dev/src/bench.ts [name-filter] [--seconds=2]
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CallKind, Context, executeMessage, Message } from '@crucible/evm'
import { getForkRules } from '@crucible/forks'
import { bytesToHex, hexToBytes } from '@crucible/primitives'
import { WorldState } from '@crucible/state'
import { block, SENDER } from '../../../packages/evm/test/helpers.js'
import { MemoryHost } from '../../../packages/evm/test/memory-host.js'

const useMemoryHost = process.argv.includes('--memory-host')

const dir = process.env.BENCH_DIR ?? '/work/shared/bench'
const args = process.argv.slice(2)
const filter = args.find((a) => !a.startsWith('-'))
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 2)
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
const rules = getForkRules('Prague')
const read = (f: string) => hexToBytes(`0x${readFileSync(join(dir, f), 'utf8').trim()}`)

for (const b of manifest) {
  if (filter && !b.name.includes(filter)) continue
  const code = read(b.code)
  const to = BigInt(b.to)
  for (const input of b.inputs) {
    const data = read(input.calldata)
    const expected = readFileSync(join(dir, input.expected), 'utf8').trim()
    const once = () => {
      const host = useMemoryHost ? new MemoryHost() : new WorldState()
      if (host instanceof MemoryHost) {
        host.put(SENDER, { balance: 10n ** 24n })
        host.put(to, { code })
      } else {
        host.setBalance(SENDER, 10n ** 24n)
        host.setCode(to, code)
      }
      host.beginTransaction()
      const ctx = new Context(host, rules, block(), SENDER, 10n, [], undefined)
      host.warmAccount(SENDER)
      host.warmAccount(to)
      for (const a of rules.params.precompiles) host.warmAccount(BigInt(a))
      const gas = Number(b.gas_limit)
      const msg = new Message(CallKind.Call, SENDER, to, to, 0n, data, code, gas, 0, false, true, false, 0, 0)
      const t0 = performance.now()
      const r = executeMessage(ctx, msg)
      const t1 = performance.now()
      return { ms: t1 - t0, gasUsed: gas - r.gasLeft, output: r.output, ok: r.success }
    }
    const first = once()
    const outOk = bytesToHex(first.output).slice(2) === expected
    const gasOk = first.gasUsed === input.exec_gas
    let total = 0
    let runs = 0
    const deadline = performance.now() + seconds * 1000
    while (performance.now() < deadline || runs < 3) {
      total += once().ms
      runs++
    }
    const ms = total / runs
    const mgas = input.exec_gas / 1000 / ms
    console.log(
      `${`${b.name}/${input.label}`.padEnd(40)} ${ms.toFixed(3).padStart(10)} ms ${mgas.toFixed(1).padStart(8)} Mgas/s ${outOk ? 'out-ok' : 'OUT-MISMATCH'} ${gasOk ? 'gas-ok' : `GAS ${first.gasUsed} != ${input.exec_gas}`}`,
    )
  }
}
