/**
 * Hostile RLP inputs through every decoder, with time and peak RSS per case (issue 12): shows
 * decoding costs O(N) time and at most a small constant times N memory whatever the shape.
 *
 *   node --conditions=@crucible/source --import tsx tooling/bench/src/hostile-decode.ts [--quick]
 *
 * Each case runs in a fresh child process, so its peak RSS (`resourceUsage().maxRSS`) is its
 * own. The input is written straight into one buffer (headers and payload, no encoder), then
 * the process's RSS is read, the decoder runs once, and the table shows the wall and CPU time
 * (CPU time, garbage-collector threads included, is what a busy machine does not distort),
 * the peak RSS, and the peak's growth over the RSS before decoding divided by the input size.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { decodeBlock, decodeHeader } from '@crucible/block'
import { CrucibleError, decodeRlp } from '@crucible/primitives'
import { decodeTransaction } from '@crucible/tx'

const MiB = 1024 * 1024

type Shape = 'nested' | 'one-byte items' | 'empty lists' | '1-item lists' | '3-byte strings'
const DECODERS = [
  'decodeRlp (no depth limit)',
  'decodeRlp',
  'decodeTransaction',
  'decodeBlock',
  'decodeHeader',
] as const
type Decoder = (typeof DECODERS)[number]

function lengthBytes(n: number): number[] {
  const out: number[] = []
  for (; n > 0; n = Math.floor(n / 256)) out.unshift(n % 256)
  return out
}

function header(base: 0x80 | 0xc0, n: number): number[] {
  if (n < 56) return [base + n]
  const l = lengthBytes(n)
  return [base + 55 + l.length, ...l]
}

/** `depth` list headers around one byte string, `size` bytes in all. */
function nested(size: number, depth: number): Uint8Array {
  // Work out the string's length so the whole is close to `size`: each header is 1-5 bytes.
  let inner = size - depth * 4
  const headers: number[][] = []
  let payload = header(0x80, inner).length + inner
  for (let i = 0; i < depth; i++) {
    const h = header(0xc0, payload)
    headers.push(h)
    payload += h.length
  }
  const out = new Uint8Array(payload)
  let pos = 0
  for (let i = headers.length - 1; i >= 0; i--) for (const b of headers[i]!) out[pos++] = b
  for (const b of header(0x80, inner)) out[pos++] = b
  out.fill(0xaa, pos)
  inner = 0
  return out
}

/** One list of `size` bytes of equal items (`item` bytes each). */
function wide(size: number, item: number[]): Uint8Array {
  const count = Math.floor((size - 9) / item.length)
  const h = header(0xc0, count * item.length)
  const out = new Uint8Array(h.length + count * item.length)
  out.set(h)
  for (let i = 0, pos = h.length; i < count; i++, pos += item.length) out.set(item, pos)
  return out
}

function build(shape: Shape, size: number, depth: number): Uint8Array {
  switch (shape) {
    case 'nested':
      return nested(size, depth)
    case 'one-byte items':
      return wide(size, [0x01])
    case 'empty lists':
      return wide(size, [0xc0])
    case '1-item lists':
      return wide(size, [0xc1, 0x01])
    default:
      return wide(size, [0x82, 0xab, 0xcd])
  }
}

function run(decoder: Decoder, input: Uint8Array): unknown {
  switch (decoder) {
    case 'decodeRlp (no depth limit)':
      return decodeRlp(input, { maxDepth: Number.POSITIVE_INFINITY })
    case 'decodeRlp':
      return decodeRlp(input)
    case 'decodeTransaction':
      return decodeTransaction(input)
    case 'decodeBlock':
      return decodeBlock(input)
    default:
      return decodeHeader(input)
  }
}

interface Result {
  decoder: Decoder
  shape: Shape
  bytes: number
  depth: number
  outcome: string
  ms: number
  cpuMs: number
  peakMiB: number
  growthPerByte: number
}

/** Child: one case. Prints a JSON Result. */
function child(decoder: Decoder, shape: Shape, size: number, depth: number): void {
  const input = build(shape, size, depth)
  globalThis.gc?.()
  const before = process.memoryUsage().rss
  const cpu = process.cpuUsage()
  const start = performance.now()
  let outcome = 'decoded'
  let keep: unknown
  try {
    keep = run(decoder, input)
  } catch (error) {
    outcome =
      error instanceof CrucibleError
        ? `${error.code}: ${error.shortMessage}`.slice(0, 70)
        : `UNTYPED ${error}`
  }
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  const peak = process.resourceUsage().maxRSS * 1024
  if (keep === 42) console.log(keep)
  const result: Result = {
    decoder,
    shape,
    bytes: input.length,
    depth,
    outcome,
    ms,
    cpuMs,
    peakMiB: peak / MiB,
    growthPerByte: Math.max(0, peak - before) / input.length,
  }
  console.log(JSON.stringify(result))
}

function main(): void {
  const args = process.argv.slice(2)
  if (args[0] === '--case') {
    child(args[1] as Decoder, args[2] as Shape, Number(args[3]), Number(args[4]))
    return
  }
  const quick = args.includes('--quick')
  const cases: Array<[Shape, number, number]> = []
  const sizes = quick ? [1 * MiB, 8 * MiB] : [1 * MiB, 2 * MiB, 4 * MiB, 8 * MiB]
  for (const depth of [3_000, 10_000])
    for (const size of [1 * MiB, 8 * MiB]) cases.push(['nested', size, depth])
  for (const shape of ['one-byte items', 'empty lists', '1-item lists', '3-byte strings'] as const)
    for (const size of sizes) cases.push([shape, size, 1])
  const self = fileURLToPath(import.meta.url)
  const rows: string[] = []
  const pad = (s: string, n: number) => s.padEnd(n)
  rows.push(
    `${pad('decoder', 28)}${pad('shape', 16)}${pad('bytes', 10)}${pad('depth', 7)}${pad('wall ms', 9)}${pad('cpu ms', 9)}${pad('peak RSS MiB', 14)}${pad('growth/byte', 13)}outcome`,
  )
  console.log(rows[0])
  for (const decoder of DECODERS) {
    for (const [shape, size, depth] of cases) {
      const out = spawnSync(
        process.execPath,
        [...process.execArgv, '--expose-gc', self, '--case', decoder, shape, String(size), String(depth)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      )
      const line = out.stdout.trim().split('\n').pop() ?? ''
      let r: Result
      try {
        r = JSON.parse(line) as Result
      } catch {
        console.log(`${decoder} ${shape} ${size}: child failed (${out.status}) ${out.stderr.slice(0, 300)}`)
        continue
      }
      const row = `${pad(r.decoder, 28)}${pad(r.shape, 16)}${pad(String(r.bytes), 10)}${pad(String(r.depth), 7)}${pad(r.ms.toFixed(1), 9)}${pad(r.cpuMs.toFixed(1), 9)}${pad(r.peakMiB.toFixed(0), 14)}${pad(r.growthPerByte.toFixed(1), 13)}${r.outcome}`
      console.log(row)
    }
  }
}

main()
