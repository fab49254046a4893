import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

/**
 * The result schemas of the execution-apis methods (OpenRPC YAML under `src/`), and a small
 * JSON Schema (2019-09) validator covering the keywords those schemas use. hive checks
 * `speconly` cases this way.
 */

export type Schema = Record<string, unknown> | boolean

export interface Spec {
  schemas: Record<string, Schema>
  /** Method name → result schema. */
  results: Map<string, Schema>
}

function yamlFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...yamlFiles(path))
    else if (entry.name.endsWith('.yaml')) out.push(path)
  }
  return out.sort()
}

/** Loads the schemas and methods the way hive's specgen does (same folders). */
export function loadSpec(srcDir: string): Spec {
  const schemas: Record<string, Schema> = {}
  for (const dir of ['schemas', 'engine/openrpc/schemas'])
    for (const file of yamlFiles(join(srcDir, dir))) Object.assign(schemas, parse(readFileSync(file, 'utf8')))
  const results = new Map<string, Schema>()
  for (const dir of ['eth', 'debug', 'txpool', 'engine/openrpc/methods', 'testing'])
    for (const file of yamlFiles(join(srcDir, dir))) {
      const methods = parse(readFileSync(file, 'utf8')) as { name: string; result?: { schema?: Schema } }[]
      for (const m of methods ?? []) if (m?.result?.schema !== undefined) results.set(m.name, m.result.schema)
    }
  return { schemas, results }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number'
    default:
      return typeOf(value) === type
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A `#/components/schemas/Name[/json/pointer]` reference. */
function resolveRef(spec: Spec, ref: string): Schema | undefined {
  const [name, ...rest] = ref.replace('#/components/schemas/', '').split('/')
  let target: unknown = spec.schemas[name!]
  for (const part of rest)
    target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  return target as Schema | undefined
}

/** Validates `value`; returns the first problem found (with its path), or undefined. */
export function validate(spec: Spec, schema: Schema, value: unknown, path = '$'): string | undefined {
  if (schema === true) return undefined
  if (schema === false) return `${path}: not allowed`
  const s = schema
  if (typeof s.$ref === 'string') {
    const target = resolveRef(spec, s.$ref)
    if (target === undefined) return `${path}: unknown schema ${s.$ref}`
    const problem = validate(spec, target, value, path)
    if (problem) return problem
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
    if (!types.some((t) => hasType(value, t)))
      return `${path}: expected ${types.join('|')}, got ${typeOf(value)}`
  }
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => deepEqual(e, value)))
    return `${path}: not one of ${JSON.stringify(s.enum)}`
  if (s.const !== undefined && !deepEqual(s.const, value))
    return `${path}: expected ${JSON.stringify(s.const)}`
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      return `${path}: ${JSON.stringify(value.slice(0, 80))} does not match ${s.pattern}`
    if (typeof s.minLength === 'number' && value.length < s.minLength) return `${path}: too short`
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) return `${path}: too long`
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return `${path}: below ${s.minimum}`
    if (typeof s.maximum === 'number' && value > s.maximum) return `${path}: above ${s.maximum}`
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      return `${path}: fewer than ${s.minItems} items`
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      return `${path}: more than ${s.maxItems} items`
    if (Array.isArray(s.items)) {
      for (let i = 0; i < s.items.length && i < value.length; i++) {
        const p = validate(spec, s.items[i] as Schema, value[i], `${path}[${i}]`)
        if (p) return p
      }
    } else if (s.items !== undefined) {
      for (let i = 0; i < value.length; i++) {
        const p = validate(spec, s.items as Schema, value[i], `${path}[${i}]`)
        if (p) return p
      }
    }
  }
  if (isObject(value)) {
    for (const key of (s.required as string[] | undefined) ?? [])
      if (!(key in value)) return `${path}: missing required ${key}`
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {}
    const patterns = Object.entries((s.patternProperties as Record<string, Schema> | undefined) ?? {})
    for (const [key, v] of Object.entries(value)) {
      let matched = false
      if (key in properties) {
        matched = true
        const p = validate(spec, properties[key]!, v, `${path}.${key}`)
        if (p) return p
      }
      for (const [pattern, sub] of patterns)
        if (new RegExp(pattern, 'u').test(key)) {
          matched = true
          const p = validate(spec, sub, v, `${path}.${key}`)
          if (p) return p
        }
      if (!matched && s.additionalProperties !== undefined) {
        const p = validate(spec, s.additionalProperties as Schema, v, `${path}.${key}`)
        if (p) return s.additionalProperties === false ? `${path}: unexpected property ${key}` : p
      }
    }
  }
  if (Array.isArray(s.allOf))
    for (const sub of s.allOf) {
      const p = validate(spec, sub as Schema, value, path)
      if (p) return p
    }
  if (Array.isArray(s.anyOf)) {
    const problems = s.anyOf.map((sub) => validate(spec, sub as Schema, value, path))
    if (problems.every((p) => p !== undefined)) return `${path}: matches none of anyOf (${problems[0]})`
  }
  if (Array.isArray(s.oneOf)) {
    const problems = s.oneOf.map((sub) => validate(spec, sub as Schema, value, path))
    const ok = problems.filter((p) => p === undefined).length
    if (ok !== 1)
      return ok === 0
        ? `${path}: matches none of oneOf (${problems.join('; ')})`
        : `${path}: matches ${ok} of oneOf`
  }
  if (s.not !== undefined && validate(spec, s.not as Schema, value, path) === undefined)
    return `${path}: matches "not"`
  return undefined
}
