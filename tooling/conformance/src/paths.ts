import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (three folders above this file). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** The official fixtures: `$CRUCIBLE_FIXTURES`, else `../shared/fixtures` beside the repository. */
export const FIXTURES_ROOT: string = process.env.CRUCIBLE_FIXTURES
  ? resolve(process.env.CRUCIBLE_FIXTURES)
  : resolve(REPO_ROOT, '../shared/fixtures')

/** Where archives are unpacked (ignored by git). */
export const CACHE_ROOT: string = join(REPO_ROOT, '.cache', 'fixtures')

/** Resolves a command-line path: as given if it exists, else under the fixtures root. */
export function resolveInput(path: string): string {
  if (isAbsolute(path)) return path
  const fromCwd = resolve(path)
  if (existsSync(fromCwd)) return fromCwd
  return join(FIXTURES_ROOT, path)
}

/** A stable display name: relative to the fixtures root when inside it, else to the cwd. */
export function displayPath(absolute: string): string {
  const inFixtures = relative(FIXTURES_ROOT, absolute)
  if (!inFixtures.startsWith('..') && !isAbsolute(inFixtures)) return toPosix(inFixtures)
  return toPosix(relative(process.cwd(), absolute))
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/')
}
