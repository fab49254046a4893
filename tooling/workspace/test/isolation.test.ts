import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { dirname, isAbsolute, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corePackages, workspacePackages } from './packages.js'

// Isolation by construction: core packages run in browsers and workers, so neither their
// sources nor anything they depend on may reach for a Node built-in.
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
const IMPORT =
  /(?:^|[^.\w$])(?:import\s*(?:[\w*{}\s,$]+from\s*)?|export\s*[\w*{}\s,$]+from\s*|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g
// The Node-only globals a browser does not have.
const NODE_GLOBALS = /(?<![\w.$])(?:Buffer|process|__dirname|__filename|require)\s*[.(]/

function builtinImports(source: string): string[] {
  const found: string[] = []
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[1]!
    if (BUILTINS.has(specifier) || specifier.startsWith('node:')) found.push(specifier)
  }
  return found
}

function* sourceFiles(dir: string, extensions: RegExp): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path, extensions)
    else if (extensions.test(entry.name)) yield path
  }
}

const workspaceNames = new Set(workspacePackages().map((p) => p.name))
const core = corePackages()

describe('core packages use no Node built-ins', () => {
  it('finds the core packages', () => {
    expect(core.map((p) => p.name)).toContain('@crucible/primitives')
  })

  for (const pkg of core) {
    it(`${pkg.name}: sources import no built-in and use no Node global`, () => {
      const problems: string[] = []
      for (const file of sourceFiles(join(pkg.dir, 'src'), /(?<!\.test)\.ts$/)) {
        const text = readFileSync(file, 'utf8')
        for (const specifier of builtinImports(text)) problems.push(`${file}: imports ${specifier}`)
        const stripped = text
          .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
          .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
        if (NODE_GLOBALS.test(stripped))
          problems.push(`${file}: uses a Node global (${NODE_GLOBALS.exec(stripped)![0]})`)
      }
      expect(problems).toEqual([])
    })

    it(`${pkg.name}: depends only on workspace core packages or built-in-free libraries`, () => {
      const problems: string[] = []
      for (const dep of Object.keys(pkg.json.dependencies ?? {})) {
        if (workspaceNames.has(dep)) {
          if (!core.some((c) => c.name === dep))
            problems.push(`depends on ${dep}, which is not a core package`)
          continue
        }
        problems.push(...externalProblems(dep, pkg.dir, new Set()))
      }
      expect(problems).toEqual([])
    })
  }
})

/** Scans an installed dependency (and its dependencies) for built-in imports. */
function externalProblems(name: string, fromDir: string, seen: Set<string>): string[] {
  if (seen.has(name)) return []
  seen.add(name)
  const root = packageRoot(name, fromDir)
  if (!root) return [`${name}: not installed`]
  const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  // A package that declares browser replacements for built-ins is browser-safe by design.
  const browserMap = typeof json.browser === 'object' && json.browser ? json.browser : {}
  const problems: string[] = []
  for (const file of sourceFiles(root, /\.(m?js|cjs)$/)) {
    if (statSync(file).size > 2_000_000) continue
    for (const specifier of builtinImports(readFileSync(file, 'utf8'))) {
      if (specifier in browserMap) continue
      problems.push(`${name} (${file.slice(root.length + 1)}) imports ${specifier}`)
    }
  }
  for (const dep of Object.keys(json.dependencies ?? {})) problems.push(...externalProblems(dep, root, seen))
  return problems
}

function packageRoot(name: string, fromDir: string): string | undefined {
  const require = createRequire(join(fromDir, 'package.json'))
  const candidates = (require.resolve.paths(name) ?? []).map((p) => join(p, name))
  for (const candidate of candidates) if (existsSync(join(candidate, 'package.json'))) return candidate
  try {
    const resolved = require.resolve(name)
    // A bare name back means a built-in module of the same name (e.g. npm's `buffer` polyfill is not installed).
    if (!isAbsolute(resolved)) return undefined
    let dir = dirname(resolved)
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
    return dir
  } catch {
    return undefined
  }
}
