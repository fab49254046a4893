import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One call case of a benchmark, with its data already read from disk. */
export type BenchInput = {
  label: string
  calldata: Uint8Array
  /** Expected return data (may be empty). */
  expected: Uint8Array
  expectedSource: string
  /** Gas used by the call frame: no intrinsic/calldata cost, before refunds (see README). */
  execGas: bigint
  execRefund: bigint
}

/** One benchmark contract from `manifest.json`. */
export type Benchmark = {
  name: string
  group: string
  source: string
  /** Runtime code (code.hex). */
  code: Uint8Array
  /** Creation code (init.hex), only for the evm-bench contracts whose constructor writes storage. */
  init: Uint8Array | undefined
  /** Address the code runs at. */
  to: bigint
  gasLimit: bigint
  freshStatePerRun: boolean
  inputs: BenchInput[]
}

type RawInput = {
  label: string
  calldata: string
  expected: string
  expected_source?: string
  exec_gas: number
  exec_refund?: number
}

type RawBenchmark = {
  name: string
  group: string
  source?: string
  code: string
  init?: string
  to: string
  gas_limit: number
  fresh_state_per_run?: boolean
  inputs: RawInput[]
}

/** Parses lowercase/uppercase hex with optional 0x and surrounding whitespace (files end in a newline). */
export function parseHexFile(text: string, what = 'hex'): Uint8Array {
  let s = text.trim()
  if (s.startsWith('0x') || s.startsWith('0X')) s = s.slice(2)
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s))
    throw new Error(`${what}: not an even-length hex string`)
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0')
  return s
}

function requireField<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`manifest: missing ${what}`)
  return value
}

/**
 * Parses the manifest JSON text. `readData(path)` returns the text of a data file relative to the
 * manifest folder (injected so the parser can be tested without touching the disk).
 */
export function parseManifest(json: string, readData: (path: string) => string): Benchmark[] {
  const raw = JSON.parse(json) as RawBenchmark[]
  if (!Array.isArray(raw)) throw new Error('manifest: expected a JSON array of benchmarks')
  return raw.map((b) => {
    const name = requireField(b.name, 'name')
    const to = requireField(b.to, `${name}.to`)
    if (!/^0x[0-9a-fA-F]{40}$/.test(to)) throw new Error(`manifest: ${name}.to is not an address`)
    return {
      name,
      group: requireField(b.group, `${name}.group`),
      source: b.source ?? '',
      code: parseHexFile(readData(requireField(b.code, `${name}.code`)), `${name}/code`),
      init: b.init === undefined ? undefined : parseHexFile(readData(b.init), `${name}/init`),
      to: BigInt(to),
      gasLimit: BigInt(requireField(b.gas_limit, `${name}.gas_limit`)),
      freshStatePerRun: b.fresh_state_per_run ?? false,
      inputs: requireField(b.inputs, `${name}.inputs`).map((i) => ({
        label: requireField(i.label, `${name}.inputs[].label`),
        calldata: parseHexFile(readData(i.calldata), `${name}/${i.label} calldata`),
        expected: parseHexFile(readData(i.expected), `${name}/${i.label} expected`),
        expectedSource: i.expected_source ?? '',
        execGas: BigInt(requireField(i.exec_gas, `${name}/${i.label}.exec_gas`)),
        execRefund: BigInt(i.exec_refund ?? 0),
      })),
    }
  })
}

/** Reads `<dir>/manifest.json` and every data file it names. */
export function loadManifest(dir: string): Benchmark[] {
  return parseManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'), (path) =>
    readFileSync(join(dir, path), 'utf8'),
  )
}

/** `name/label` ids of every input, the string `--filter` matches against. */
export function inputId(benchmark: Benchmark, input: BenchInput): string {
  return `${benchmark.name}/${input.label}`
}

/** Keeps the inputs whose `name/label` matches `filter`; drops benchmarks left with none. */
export function filterBenchmarks(benchmarks: Benchmark[], filter: RegExp | undefined): Benchmark[] {
  if (filter === undefined) return benchmarks
  return benchmarks
    .map((b) => ({ ...b, inputs: b.inputs.filter((i) => filter.test(inputId(b, i))) }))
    .filter((b) => b.inputs.length > 0)
}
