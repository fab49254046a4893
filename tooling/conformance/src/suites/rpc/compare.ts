/**
 * hive's comparison of a response with the recorded one: `error.message` removed wherever
 * both sides have an error object with a message, then exact JSON equality with key order
 * free and numbers compared by value (as float64).
 */

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Deletes `message` of every `error` object present on both sides (walking the expected shape). */
export function redactErrorMessages(got: unknown, want: unknown): void {
  if (isObject(want) && isObject(got)) {
    for (const [key, w] of Object.entries(want)) {
      if (!(key in got)) continue
      const g = got[key]
      if (key === 'error') {
        if (isObject(w) && isObject(g) && 'message' in w && 'message' in g) {
          delete w.message
          delete g.message
        }
        continue
      }
      redactErrorMessages(g, w)
    }
  } else if (Array.isArray(want) && Array.isArray(got)) {
    want.forEach((w, i) => {
      if (i < got.length) redactErrorMessages(got[i], w)
    })
  }
}

/** The first difference between two JSON values, or undefined when they match. */
export function firstDifference(got: unknown, want: unknown, path = '$'): string | undefined {
  if (typeof want === 'number' && typeof got === 'number')
    return got === want ? undefined : `${path}: ${got} != ${want}`
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return `${path}: expected an array, got ${brief(got)}`
    if (got.length !== want.length) return `${path}: ${got.length} items, want ${want.length}`
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(got[i], want[i], `${path}[${i}]`)
      if (d) return d
    }
    return undefined
  }
  if (isObject(want)) {
    if (!isObject(got)) return `${path}: expected an object, got ${brief(got)}`
    for (const key of Object.keys(want)) if (!(key in got)) return `${path}.${key}: missing`
    for (const key of Object.keys(got))
      if (!(key in want)) return `${path}.${key}: unexpected (${brief(got[key])})`
    for (const key of Object.keys(want)) {
      const d = firstDifference(got[key], want[key], `${path}.${key}`)
      if (d) return d
    }
    return undefined
  }
  return got === want ? undefined : `${path}: got ${brief(got)}, want ${brief(want)}`
}

function brief(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}
