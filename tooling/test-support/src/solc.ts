import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'

/** The compiler settings the debugger fixtures are built with. */
export type SolcProfile = 'legacy' | 'legacy-optimized' | 'via-ir-optimized'

export const SOLC_PROFILES: readonly SolcProfile[] = ['legacy', 'legacy-optimized', 'via-ir-optimized']

/** A standard-JSON compile: what `crucible debug --sources FILE` reads (Hardhat's build-info shape). */
export interface SolcCompile {
  input: {
    language: 'Solidity'
    sources: Record<string, { content: string }>
    settings: Record<string, unknown>
  }
  output: {
    errors?: { severity: string; formattedMessage: string }[]
    sources: Record<string, { id: number; ast?: unknown }>
    contracts: Record<string, Record<string, SolcContract>>
  }
}

export interface SolcContract {
  abi: Record<string, unknown>[]
  evm: {
    bytecode: { object: string; sourceMap: string }
    deployedBytecode: { object: string; sourceMap: string }
  }
}

/** The fixture contracts' folder (Vault.sol: markers `// @name` on the lines tests expect). */
export const CONTRACTS_DIR = join(import.meta.dirname, '..', 'contracts')

const SELECTION = {
  '*': {
    '': ['ast'],
    '*': [
      'abi',
      'evm.bytecode.object',
      'evm.bytecode.sourceMap',
      'evm.bytecode.linkReferences',
      'evm.bytecode.generatedSources',
      'evm.deployedBytecode.object',
      'evm.deployedBytecode.sourceMap',
      'evm.deployedBytecode.linkReferences',
      'evm.deployedBytecode.immutableReferences',
      'evm.deployedBytecode.generatedSources',
    ],
  },
}

function settingsOf(profile: SolcProfile): Record<string, unknown> {
  const optimizer = { enabled: profile !== 'legacy', runs: 200 }
  return {
    optimizer,
    ...(profile === 'via-ir-optimized' ? { viaIR: true } : {}),
    evmVersion: 'cancun',
    outputSelection: SELECTION,
  }
}

/**
 * Compiles `files` (path → text; default: contracts/Vault.sol) with the pinned `solc` package
 * (solc-js, offline). Throws on a compile error.
 */
export function compileSolidity(profile: SolcProfile, files?: Record<string, string>): SolcCompile {
  const sources = Object.fromEntries(
    Object.entries(files ?? { 'Vault.sol': readFileSync(join(CONTRACTS_DIR, 'Vault.sol'), 'utf8') }).map(
      ([path, content]) => [path, { content }],
    ),
  )
  const input: SolcCompile['input'] = { language: 'Solidity', sources, settings: settingsOf(profile) }
  return { input, output: runSolc(input) }
}

/** Runs solc-js on a standard-JSON input; throws on a compile error. */
function runSolc(input: SolcCompile['input']): SolcCompile['output'] {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcCompile['output']
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'))
  return output
}

/** A contract's ABI and creation code. */
export interface Compiled {
  abi: readonly Record<string, unknown>[]
  bytecode: `0x${string}`
}

/** The ERC-20 the dev node's client tests and the devnode benchmark deploy. */
export const TOKEN_SOURCE = join(import.meta.dirname, '../../../packages/devnode/test/contracts/Token.sol')

/**
 * Contract `name` of the Solidity file at `path`, compiled with the optimizer (200 runs) for
 * solc's default EVM version unless told (the devnode benchmark takes Shanghai, for ganache).
 */
export function compileContract(path: string, name: string, evmVersion?: string): Compiled {
  const file = basename(path)
  const output = runSolc({
    language: 'Solidity',
    sources: { [file]: { content: readFileSync(path, 'utf8') } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      ...(evmVersion === undefined ? {} : { evmVersion }),
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  })
  const contract = output.contracts[file]?.[name]
  if (!contract) throw new Error(`${file} has no contract ${name}`)
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
}

/** 1-based line numbers of the `// @name` markers of a source text. */
export function markerLines(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\/\/ @([\w-]+)/g)) out[m[1]!] = i + 1
  })
  return out
}
