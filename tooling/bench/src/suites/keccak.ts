import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { keccak256, keccak256Backend, keccak256Ts } from '@crucible/primitives'
import { keccak_256 as nobleKeccak } from '@noble/hashes/sha3.js'
import { createKeccak } from 'hash-wasm'
import jsSha3 from 'js-sha3'
import { median } from '../stats.js'
import type { BenchTable, SuiteOptions } from '../types.js'

export type KeccakFn = (data: Uint8Array) => Uint8Array
export type Backend = { name: string; hash: KeccakFn; note: string }

/**
 * hash-wasm's Keccak binary compiled and instantiated synchronously (`new WebAssembly.Module`),
 * driven through its raw exports: copy input into wasm memory, `Hash_Calculate`, copy 32 bytes out.
 * hash-wasm does not export the binary, so it is read from its bundle; measurement only.
 */
export function hashWasmSync(): KeccakFn {
  const bundle = readFileSync(fileURLToPath(import.meta.resolve('hash-wasm')), 'utf8')
  const m = /var name\$(\w*) = "sha3";\s*var data\$\1 = "([A-Za-z0-9+/=]+)"/.exec(bundle)
  if (m === null) throw new Error('hash-wasm: sha3 binary not found in the bundle')
  const bytes = Buffer.from(m[2], 'base64')
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
  const ex = instance.exports as {
    memory: WebAssembly.Memory
    Hash_GetBuffer(): number
    Hash_Init(bits: number): void
    Hash_Update(len: number): void
    Hash_Final(padding: number): void
    Hash_Calculate(len: number, init: number, padding: number): void
  }
  const MAX = 16 * 1024
  const mem = new Uint8Array(ex.memory.buffer, ex.Hash_GetBuffer(), MAX)
  return (data) => {
    if (data.length <= MAX) {
      mem.set(data)
      ex.Hash_Calculate(data.length, 256, 0x01)
    } else {
      ex.Hash_Init(256)
      for (let off = 0; off < data.length; off += MAX) {
        const chunk = data.subarray(off, off + MAX)
        mem.set(chunk)
        ex.Hash_Update(chunk.length)
      }
      ex.Hash_Final(0x01)
    }
    return mem.slice(0, 32)
  }
}

/** Byte size of hash-wasm's Keccak binary (Chrome refuses sync compiles over 4 KiB on the main thread). */
export function hashWasmBinarySize(): number {
  const bundle = readFileSync(fileURLToPath(import.meta.resolve('hash-wasm')), 'utf8')
  const m = /var name\$(\w*) = "sha3";\s*var data\$\1 = "([A-Za-z0-9+/=]+)"/.exec(bundle)
  return m === null ? 0 : Buffer.from(m[2], 'base64').length
}

export async function backends(): Promise<Backend[]> {
  const hasher = await createKeccak(256)
  return [
    {
      name: 'crucible keccak256',
      hash: keccak256,
      note: `@crucible/primitives (backend: ${keccak256Backend()})`,
    },
    { name: 'crucible pure TS', hash: keccak256Ts, note: 'unrolled Keccak-f[1600], the fallback' },
    { name: '@noble/hashes 2.4.0', hash: nobleKeccak, note: 'keccak_256' },
    {
      name: 'js-sha3 0.13.0',
      hash: (d) => new Uint8Array(jsSha3.keccak256.arrayBuffer(d)),
      note: 'keccak256.arrayBuffer',
    },
    {
      name: 'hash-wasm 4.13.0',
      hash: (d) => hasher.init().update(d).digest('binary'),
      note: 'await createKeccak(256), then sync init/update/digest',
    },
    { name: 'hash-wasm raw sync', hash: hashWasmSync(), note: 'sync Module compile, Hash_Calculate' },
  ]
}

export type Throughput = { backend: string; size: number; opsPerSec: number }

let sink = 0

function makeInputs(size: number): Uint8Array[] {
  return Array.from({ length: 64 }, (_, k) => {
    const d = new Uint8Array(size)
    for (let i = 0; i < size; i++) d[i] = (i * 31 + k * 17 + 7) & 0xff
    return d
  })
}

/** Runs `n` hashes over the rotating inputs; returns the elapsed milliseconds. */
function batch(hash: KeccakFn, inputs: Uint8Array[], n: number): number {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) sink ^= hash(inputs[i & 63])[0]
  return performance.now() - t0
}

/** Hashes per batch so one batch takes about `batchMs` (also warms the function up). */
function calibrate(hash: KeccakFn, inputs: Uint8Array[], batchMs: number): number {
  let n = 256
  for (;;) {
    const ms = batch(hash, inputs, n)
    if (ms >= batchMs / 4) return Math.max(64, Math.round((n * batchMs) / ms))
    n *= 4
  }
}

/** Median ops/s of `hash` over `rounds` timed batches of about `batchMs` each, on 64 rotating inputs. */
export function measure(hash: KeccakFn, size: number, rounds: number, batchMs: number): number {
  return measureMany([hash], size, rounds, batchMs)[0]
}

/**
 * Median ops/s of each function, measured round-robin (one batch of each per round) so load from
 * other processes on the machine hits every backend alike.
 */
export function measureMany(hashes: KeccakFn[], size: number, rounds: number, batchMs: number): number[] {
  const inputs = makeInputs(size)
  const counts = hashes.map((h) => calibrate(h, inputs, batchMs))
  const rates: number[][] = hashes.map(() => [])
  for (let r = 0; r < rounds; r++)
    hashes.forEach((h, k) => {
      rates[k].push(counts[k] / (batch(h, inputs, counts[k]) / 1000))
    })
  return rates.map(median)
}

export const SIZES = [32, 1024] as const

/** ops/s of every backend at 32 B and 1 KiB, backends interleaved per size. */
export async function throughput(options: SuiteOptions = {}): Promise<Throughput[]> {
  const list = await backends()
  const probe = new Uint8Array(200).map((_, i) => i)
  const want = Buffer.from(nobleKeccak(probe)).toString('hex')
  for (const b of list)
    if (Buffer.from(b.hash(probe)).toString('hex') !== want) throw new Error(`${b.name}: wrong digest`)
  const rounds = options.quick ? 3 : 9
  const batchMs = options.quick ? 30 : 100
  const out: Throughput[] = []
  for (const size of SIZES) {
    const rates = measureMany(
      list.map((b) => b.hash),
      size,
      rounds,
      batchMs,
    )
    list.forEach((b, k) => {
      out.push({ backend: b.name, size, opsPerSec: rates[k] })
    })
  }
  return out
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const results = await throughput(options)
  const ops = (backend: string, size: number) =>
    results.find((r) => r.backend === backend && r.size === size)!.opsPerSec
  const rows = []
  for (const size of SIZES) {
    const mine = ops('crucible keccak256', size)
    for (const r of results.filter((x) => x.size === size && x.backend !== 'crucible keccak256')) {
      rows.push({
        name: `keccak256 ${size} B vs ${r.backend}`,
        crucible_ms: 1000 / mine,
        reference_ms: 1000 / r.opsPerSec,
        reference: r.backend,
        speedup: mine / r.opsPerSec,
        note: `${fmtOps(mine)} vs ${fmtOps(r.opsPerSec)} ops/s`,
      })
    }
  }
  return { title: `keccak256 backends (hash-wasm binary ${hashWasmBinarySize()} B)`, rows }
}

export function fmtOps(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`
}

/** Keeps the optimiser from dropping the hashes. */
export function keccakSink(): number {
  return sink
}
