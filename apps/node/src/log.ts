/** geth-style log lines: `INFO [12-01|16:02:09.123] Message                        key=value ...`. */

export type Level = 'INFO' | 'WARN' | 'ERROR'

export type Fields = Record<string, string | number | bigint>

function two(n: number): string {
  return String(n).padStart(2, '0')
}

function timestamp(now: Date): string {
  const ms = String(now.getMilliseconds()).padStart(3, '0')
  return `${two(now.getMonth() + 1)}-${two(now.getDate())}|${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${ms}`
}

function quote(value: string): string {
  return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value
}

export function formatLine(level: Level, message: string, fields: Fields = {}, now = new Date()): string {
  const pairs = Object.entries(fields).map(([k, v]) => `${k}=${quote(String(v))}`)
  const head = `${level.padEnd(5)}[${timestamp(now)}] ${message}`
  return pairs.length === 0 ? head : `${head.padEnd(30 + 40)} ${pairs.join(' ')}`.replace(/ +$/, '')
}

/** geth's abbreviated hash (`d226ad..07dcd7`). */
export function shortHash(hex: string): string {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex
  return `${h.slice(0, 6)}..${h.slice(-6)}`
}

/** geth's PrettyDuration: `812.345ms`, `3.210s`, `1m2.345s`, `1h2m3s`. */
export function duration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`
  if (ms < 1000) return `${ms.toFixed(3)}ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(3)}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${(s - m * 60).toFixed(3)}s`
  const h = Math.floor(m / 60)
  return `${h}h${m - h * 60}m${Math.floor(s - m * 60)}s`
}

/** Bytes as geth prints storage sizes: `1.23 MiB`. */
export function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${v} B` : `${v.toFixed(2)} ${units[u]}`
}

/** Peak resident memory of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024
}
