import { utf8ToBytes } from '@crucible/primitives'
import { DebugSessionError } from '../errors.js'
import { type AbiItem, selectorOf, topicOf } from './abi.js'
import { decodeSourceMap, type SourceMap } from './source-map.js'

/**
 * What `--sources FILE` holds: the standard-JSON input and output of one solc compile (the
 * shape of a Hardhat build-info file, `{ input, output }`), or a list of them. The input gives
 * the source texts; the output the ids, ASTs, ABIs, bytecode and source maps.
 */
export type SourcesJson = { input: unknown; output: unknown } | { input: unknown; output: unknown }[]

/** A source text the maps point into: a file of the compile, or a compiler-generated Yul source. */
export interface SourceFile {
  /** Global id (index into {@link Sources.files}); not solc's id, which repeats across compiles. */
  readonly id: number
  readonly path: string
  readonly content: string
  readonly language: string
  /** A compiler-generated source (`generatedSources`: ABI coders, checked arithmetic). */
  readonly generated: boolean
  /** Byte offset (UTF-8) where each line starts. */
  readonly lineStarts: Int32Array
  readonly bytes: Uint8Array
}

/** A function (or modifier) definition from the AST: its source range. */
export interface FunctionRange {
  readonly name: string
  readonly contract: string
  /** function, constructor, fallback, receive, modifier, freeFunction. */
  readonly kind: string
  readonly file: number
  readonly start: number
  readonly length: number
  readonly line: number
  /** The external function's selector (0x-hex), when it has one. */
  readonly selector: string | undefined
}

export interface ContractInfo {
  readonly name: string
  readonly path: string
  readonly abi: readonly AbiItem[]
  /** selector (0x-hex) → function. */
  readonly functions: ReadonlyMap<string, AbiItem>
  readonly errors: ReadonlyMap<string, AbiItem>
  /** topic 0 (0x-hex) → event. */
  readonly events: ReadonlyMap<string, AbiItem>
}

/** One code object of a contract (its creation code or its runtime code) with its source map. */
export interface CodeArtifact {
  readonly contract: ContractInfo
  readonly creation: boolean
  readonly code: Uint8Array
  /** 1 where the code must equal the artifact; 0 for immutables, library links and metadata. */
  readonly compare: Uint8Array
  readonly map: SourceMap
  /** solc's source id in this code's map → global file id. */
  readonly fileIds: ReadonlyMap<number, number>
}

/** Everything loaded from a sources file. */
export interface Sources {
  readonly files: readonly SourceFile[]
  readonly contracts: readonly ContractInfo[]
  readonly codes: readonly CodeArtifact[]
  readonly functionRanges: readonly FunctionRange[]
  /** `file:start:length` of every contract definition (a location that coarse says only "in this contract"). */
  readonly contractRanges: ReadonlySet<string>
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function bad(message: string, details: Record<string, unknown> = {}): never {
  throw new DebugSessionError('BAD_INPUT', message, details)
}

function lineStartsOf(bytes: Uint8Array): Int32Array {
  const starts = [0]
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1)
  return Int32Array.from(starts)
}

/** Bytes of a bytecode object's hex; unlinked library placeholders (`__$…$__`) become 0 and are not compared. */
function parseObject(hex: string): { code: Uint8Array; compare: Uint8Array } {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex
  const n = h.length >> 1
  const code = new Uint8Array(n)
  const compare = new Uint8Array(n).fill(1)
  for (let i = 0; i < n; i++) {
    const v = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16)
    if (Number.isNaN(v) || !/^[0-9a-fA-F]{2}$/.test(h.slice(2 * i, 2 * i + 2))) compare[i] = 0
    else code[i] = v
  }
  return { code, compare }
}

const SOLC_KEY = [0x64, 0x73, 0x6f, 0x6c, 0x63] // "solc" as a CBOR text string of length 4

/**
 * Masks solc's CBOR metadata wherever it sits: the runtime code's tail, and inside creation
 * code the embedded runtime's (and any `new`-created contract's) tail. Each block ends with the
 * "solc" key, its version (3 bytes), and the block's length in 2 bytes.
 */
function maskMetadata(code: Uint8Array, compare: Uint8Array): void {
  for (let i = 0; i + SOLC_KEY.length + 6 <= code.length; i++) {
    if (!SOLC_KEY.every((b, k) => code[i + k] === b)) continue
    // "solc" then 0x43 (3 bytes: the version) then the 2-byte length.
    if (code[i + 5] !== 0x43) continue
    const end = i + 5 + 4 + 2
    if (end > code.length) continue
    const length = (code[end - 2]! << 8) | code[end - 1]!
    const start = end - 2 - length
    if (start < 0 || code[start]! < 0xa1 || code[start]! > 0xb7) continue
    compare.fill(0, start, end)
  }
}

function maskRanges(compare: Uint8Array, refs: unknown): void {
  // immutableReferences: { astId: [{ start, length }] }; linkReferences: { file: { lib: [...] } }.
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const r of v) visit(r)
    else if (isObject(v)) {
      if (typeof v.start === 'number' && typeof v.length === 'number')
        compare.fill(0, v.start, v.start + v.length)
      else for (const x of Object.values(v)) visit(x)
    }
  }
  visit(refs)
}

function contractInfo(name: string, path: string, abi: AbiItem[]): ContractInfo {
  const functions = new Map<string, AbiItem>()
  const errors = new Map<string, AbiItem>()
  const events = new Map<string, AbiItem>()
  for (const item of abi) {
    try {
      if (item.type === 'function') functions.set(selectorOf(item), item)
      else if (item.type === 'error') errors.set(selectorOf(item), item)
      else if (item.type === 'event') events.set(topicOf(item), item)
    } catch {
      // An item with a type this decoder cannot spell is left out (never guessed).
    }
  }
  return { name, path, abi, functions, errors, events }
}

/** FunctionDefinition and ModifierDefinition nodes of a (compact) AST, with their ranges. */
function collectFunctions(
  ast: unknown,
  fileIds: ReadonlyMap<number, number>,
  files: SourceFile[],
  out: FunctionRange[],
  contracts: Set<string>,
): void {
  const walk = (node: unknown, contract: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, contract)
      return
    }
    if (!isObject(node)) return
    let here = contract
    if (node.nodeType === 'ContractDefinition' && typeof node.name === 'string') {
      here = node.name
      if (typeof node.src === 'string') {
        const [s, l, f] = node.src.split(':').map(Number) as [number, number, number]
        const file = fileIds.get(f)
        if (file !== undefined) contracts.add(`${file}:${s}:${l}`)
      }
    }
    if (
      (node.nodeType === 'FunctionDefinition' || node.nodeType === 'ModifierDefinition') &&
      typeof node.src === 'string'
    ) {
      const [s, l, f] = node.src.split(':').map(Number) as [number, number, number]
      const file = fileIds.get(f)
      if (file !== undefined) {
        const kind =
          node.nodeType === 'ModifierDefinition'
            ? 'modifier'
            : typeof node.kind === 'string'
              ? node.kind
              : 'function'
        const name = typeof node.name === 'string' && node.name !== '' ? node.name : kind
        const selector = typeof node.functionSelector === 'string' ? `0x${node.functionSelector}` : undefined
        out.push({
          name,
          contract: here,
          kind,
          file,
          start: s,
          length: l,
          line: lineOf(files[file]!, s),
          selector,
        })
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'src' && typeof v === 'object') walk(v, here)
  }
  walk(ast, '')
}

/** 1-based line of byte offset `at` in `file`. */
export function lineOf(file: SourceFile, at: number): number {
  const starts = file.lineStarts
  let lo = 0
  let hi = starts.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (starts[mid]! <= at) lo = mid + 1
    else hi = mid
  }
  return Math.max(1, lo)
}

/** 1-based column (in characters) of byte offset `at` on its line. */
export function columnOf(file: SourceFile, at: number): number {
  const line = lineOf(file, at)
  const from = file.lineStarts[line - 1]!
  return new TextDecoder().decode(file.bytes.subarray(from, Math.min(at, file.bytes.length))).length + 1
}

function addFile(
  files: SourceFile[],
  path: string,
  content: string,
  language: string,
  generated: boolean,
): number {
  const bytes = utf8ToBytes(content)
  const id = files.length
  files.push({ id, path, content, language, generated, bytes, lineStarts: lineStartsOf(bytes) })
  return id
}

/** Loads a sources file (see {@link SourcesJson}); a typed BAD_INPUT error when it is not one. */
export function loadSources(json: unknown): Sources {
  const compiles = Array.isArray(json) ? json : [json]
  const files: SourceFile[] = []
  const contracts: ContractInfo[] = []
  const codes: CodeArtifact[] = []
  const functionRanges: FunctionRange[] = []
  const contractRanges = new Set<string>()
  compiles.forEach((compile, n) => {
    if (!isObject(compile) || !isObject(compile.input) || !isObject(compile.output))
      bad('A sources file holds { input, output } of a solc standard-JSON compile (or a list of them)', {
        compile: n,
      })
    const input = compile.input
    const output = compile.output
    const inputSources = isObject(input.sources) ? input.sources : {}
    const outputSources = isObject(output.sources) ? output.sources : {}
    // solc's source ids of this compile → global ids.
    const ids = new Map<number, number>()
    for (const [path, entry] of Object.entries(outputSources)) {
      if (!isObject(entry) || typeof entry.id !== 'number') continue
      const src = inputSources[path]
      const content = isObject(src) && typeof src.content === 'string' ? src.content : undefined
      if (content === undefined) continue // no text: its locations are reported unknown
      ids.set(entry.id, addFile(files, path, content, String(input.language ?? 'Solidity'), false))
    }
    for (const entry of Object.values(outputSources))
      if (isObject(entry)) collectFunctions(entry.ast, ids, files, functionRanges, contractRanges)
    const byFile = isObject(output.contracts) ? output.contracts : {}
    for (const [path, list] of Object.entries(byFile)) {
      if (!isObject(list)) continue
      for (const [name, c] of Object.entries(list)) {
        if (!isObject(c)) continue
        const info = contractInfo(name, path, Array.isArray(c.abi) ? (c.abi as AbiItem[]) : [])
        contracts.push(info)
        const evm = isObject(c.evm) ? c.evm : {}
        for (const creation of [true, false]) {
          const b = evm[creation ? 'bytecode' : 'deployedBytecode']
          if (!isObject(b) || typeof b.object !== 'string' || b.object.length === 0) continue
          if (typeof b.sourceMap !== 'string') continue
          let map: SourceMap
          try {
            map = decodeSourceMap(b.sourceMap)
          } catch (error) {
            bad('A source map does not parse', { contract: `${path}:${name}`, cause: String(error) })
          }
          const { code, compare } = parseObject(b.object)
          maskMetadata(code, compare)
          maskRanges(compare, b.linkReferences)
          if (!creation) maskRanges(compare, b.immutableReferences)
          const fileIds = new Map(ids)
          if (Array.isArray(b.generatedSources))
            for (const g of b.generatedSources)
              if (isObject(g) && typeof g.id === 'number' && typeof g.contents === 'string')
                fileIds.set(
                  g.id,
                  addFile(
                    files,
                    `${name}:${String(g.name ?? `generated-${g.id}`)}`,
                    g.contents,
                    String(g.language ?? 'Yul'),
                    true,
                  ),
                )
          codes.push({ contract: info, creation, code, compare, map, fileIds })
        }
      }
    }
  })
  return { files, contracts, codes, functionRanges, contractRanges }
}

/** A code matched to an artifact, or why not. */
export type CodeMatch =
  | { readonly artifact: CodeArtifact; readonly argsOffset: number }
  | { readonly artifact: undefined; readonly reason: string }

/**
 * The artifact whose code this is: runtime code must have the artifact's length and bytes
 * outside immutables, library links and metadata; creation code must start with the
 * artifact's (the constructor arguments follow, from `argsOffset`).
 */
export function matchCode(sources: Sources, code: Uint8Array, creation: boolean): CodeMatch {
  let compared = 0
  for (const a of sources.codes) {
    if (a.creation !== creation) continue
    compared++
    const n = a.code.length
    if (creation ? code.length < n : code.length !== n) continue
    let same = true
    for (let i = 0; i < n; i++)
      if (a.compare[i] === 1 && a.code[i] !== code[i]) {
        same = false
        break
      }
    if (same) return { artifact: a, argsOffset: n }
  }
  const what = creation ? 'creation code' : 'runtime code'
  return {
    artifact: undefined,
    reason:
      compared === 0
        ? `the sources file has no ${what} to match`
        : `no contract of the sources file has this ${what} (${compared} compared, immutables and metadata masked)`,
  }
}
