import { builtinModules } from 'node:module'

// What a package README promises a newcomer: one `pnpm add …` line, and an example that runs
// with what that line installs. These helpers read both; the tests and the publish check share them.

const BUILTINS = new Set(builtinModules)

/** The packages of the README's first `pnpm add` line (in a ```sh block), or undefined. */
export function installLine(readme: string): string[] | undefined {
  for (const block of readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const line = block[1]!.split('\n').find((l) => /^\s*pnpm add\s/.test(l))
    if (line !== undefined)
      return line
        .trim()
        .split(/\s+/)
        .slice(2)
        .filter((word) => !word.startsWith('-'))
  }
  return undefined
}

/** The package names a module imports (bare specifiers, subpaths folded, Node built-ins left out). */
export function importedPackages(code: string): string[] {
  const names = new Set<string>()
  for (const match of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
    const specifier = match[1]!
    if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue
    const parts = specifier.split('/')
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!)
  }
  return [...names]
}
