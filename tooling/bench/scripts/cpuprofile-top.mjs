#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, top N, and total time
// per source file. Usage: node tooling/bench/scripts/cpuprofile-top.mjs FILE.cpuprofile [N] [FILTER]
import { readFileSync } from 'node:fs'

const [file, nArg, filter] = process.argv.slice(2)
if (!file) {
  console.error('usage: cpuprofile-top.mjs FILE.cpuprofile [N] [FILTER]')
  process.exit(2)
}
const n = Number(nArg ?? 25)
const prof = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(prof.nodes.map((node) => [node.id, node]))
const selfUs = new Map()
const deltas = prof.timeDeltas
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i]
  selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0))
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
const byFn = new Map()
const byFile = new Map()
for (const [id, us] of selfUs) {
  const { callFrame: cf } = byId.get(id)
  const url = cf.url.replace(/^file:\/\/.*?\/(packages|tooling|node_modules)\//, '$1/')
  const key = `${cf.functionName || '(anonymous)'}  ${url}:${cf.lineNumber + 1}`
  byFn.set(key, (byFn.get(key) ?? 0) + us)
  const f = url || cf.functionName
  byFile.set(f, (byFile.get(f) ?? 0) + us)
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`
const show = (map, k) =>
  [...map]
    .filter(([key]) => !filter || key.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([key, us]) => `${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`)
    .join('\n')
console.log(`total sampled ${(total / 1000).toFixed(0)} ms\n\nself time by function:\n${show(byFn, n)}`)
console.log(`\nself time by file:\n${show(byFile, 12)}`)

// Hot lines (V8 positionTicks) of the top functions, with the source text when the script is a
// readable file (profile a bundle built without minification to get useful lines).
const lineTicks = new Map()
let tickTotal = 0
for (const node of prof.nodes) {
  for (const t of node.positionTicks ?? []) {
    const key = `${node.callFrame.url}\t${t.line}\t${node.callFrame.functionName}`
    lineTicks.set(key, (lineTicks.get(key) ?? 0) + t.ticks)
    tickTotal += t.ticks
  }
}
const sources = new Map()
const text = (url, line) => {
  if (!url.startsWith('file://')) return ''
  if (!sources.has(url)) {
    try {
      sources.set(url, readFileSync(new URL(url), 'utf8').split('\n'))
    } catch {
      sources.set(url, [])
    }
  }
  return (sources.get(url)[line - 1] ?? '').trim().slice(0, 110)
}
const hot = [...lineTicks].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.LINES ?? 40))
console.log(`\nhot lines (${tickTotal} ticks):`)
for (const [key, ticks] of hot) {
  const [url, line, fn] = key.split('\t')
  console.log(
    `${((100 * ticks) / tickTotal).toFixed(1).padStart(5)}%  ${fn}:${line}  ${text(url, Number(line))}`,
  )
}
