/**
 * The first difference between two JSON values, as a path and both sides, or undefined when
 * they are equal: object keys in any order, numbers by value (a hex string `"0x1f"` and a
 * decimal string equal the number they spell), hex strings case-free.
 */
export function jsonDifference(got: unknown, want: unknown, path = '$'): string | undefined {
  const g = normalize(got)
  const w = normalize(want)
  if (typeof g !== 'object' || typeof w !== 'object' || g === null || w === null) {
    return g === w ? undefined : `${path}: got ${show(got)}, expected ${show(want)}`
  }
  if (Array.isArray(g) !== Array.isArray(w)) return `${path}: got ${show(got)}, expected ${show(want)}`
  if (Array.isArray(g) && Array.isArray(w)) {
    if (g.length !== w.length) return `${path}: ${g.length} items, expected ${w.length}`
    for (let i = 0; i < g.length; i++) {
      const d = jsonDifference(g[i], w[i], `${path}[${i}]`)
      if (d) return d
    }
    return undefined
  }
  const go = g as Record<string, unknown>
  const wo = w as Record<string, unknown>
  for (const key of Object.keys(wo)) {
    if (!(key in go) || go[key] === undefined) return `${path}.${key}: missing, expected ${show(wo[key])}`
    const d = jsonDifference(go[key], wo[key], `${path}.${key}`)
    if (d) return d
  }
  for (const key of Object.keys(go))
    if (!(key in wo) && go[key] !== undefined) return `${path}.${key}: unexpected ${show(go[key])}`
  return undefined
}

/** A number, or a string that is a quantity, as a canonical string; other values as they are. */
function normalize(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint') return `n:${BigInt(value)}`
  if (typeof value === 'string') {
    if (/^0x[0-9a-fA-F]{1,16}$/.test(value) && value.length <= 18) return value.toLowerCase()
    return value.toLowerCase()
  }
  return value
}

function show(value: unknown): string {
  const s = JSON.stringify(value)
  return s === undefined ? 'undefined' : s.length > 120 ? `${s.slice(0, 120)}…` : s
}
