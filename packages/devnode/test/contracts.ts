import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export interface Compiled {
  abi: readonly Record<string, unknown>[]
  bytecode: `0x${string}`
}

const SOURCE = join(import.meta.dirname, 'contracts', 'Token.sol')

/** Compiles test/contracts/Token.sol with solc-js (the `solc` package, pinned; offline). */
export function compileToken(): Compiled {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string }
  const input = {
    language: 'Solidity',
    sources: { 'Token.sol': { content: readFileSync(SOURCE, 'utf8') } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[]
    contracts: Record<string, Record<string, { abi: Compiled['abi']; evm: { bytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'))
  const token = output.contracts['Token.sol']!.Token!
  return { abi: token.abi, bytecode: `0x${token.evm.bytecode.object}` }
}
