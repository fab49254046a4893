import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { CACHE_ROOT, displayPath, toPosix } from './paths.js'

/** One fixture file to run: where it is on disk and the name results use. */
export interface FixtureFile {
  path: string
  file: string
  size: number
}

/**
 * Expands files, folders and `.tar.gz` archives into the fixture files with one of the given
 * endings (`.json` for every official format but RPC). Which format a file is, and so which
 * suite runs it, is decided by its content in the worker, never by its path.
 * Archives are unpacked once into `.cache/fixtures/<name>-<digest>/`; a marker written after a
 * complete unpack means an interrupted unpack is redone, never half-used.
 */
export function discover(inputs: string[], extensions: readonly string[] = ['.json']): FixtureFile[] {
  const out: FixtureFile[] = []
  const seen = new Set<string>()
  const add = (path: string, file: string, size: number) => {
    if (seen.has(path)) return
    seen.add(path)
    out.push({ path, file, size })
  }
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`no such fixture path: ${input}`)
    const stat = statSync(input)
    if (stat.isDirectory()) {
      for (const path of walk(input, extensions)) add(path, displayPath(path), statSync(path).size)
    } else if (input.endsWith('.tar.gz') || input.endsWith('.tgz')) {
      const root = unpack(input)
      const label = displayPath(input)
      for (const path of walk(root, extensions))
        add(path, `${label}:${toPosix(relative(root, path))}`, statSync(path).size)
    } else {
      add(input, displayPath(input), stat.size)
    }
  }
  return out
}

function* walk(folder: string, extensions: readonly string[]): Generator<string> {
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) yield* walk(path, extensions)
    else if (entry.isFile() && extensions.some((e) => entry.name.endsWith(e))) yield path
  }
}

function unpack(archive: string): string {
  const stat = statSync(archive)
  const digest = createHash('sha256')
    .update(`${archive}:${stat.size}:${stat.mtimeMs}`)
    .digest('hex')
    .slice(0, 12)
  const target = join(CACHE_ROOT, `${basename(archive).replace(/\.(tar\.gz|tgz)$/, '')}-${digest}`)
  const marker = join(target, '.complete')
  if (existsSync(marker)) return target
  rmSync(target, { recursive: true, force: true })
  mkdirSync(target, { recursive: true })
  const result = spawnSync('tar', ['-xzf', archive, '-C', target], { stdio: ['ignore', 'ignore', 'pipe'] })
  if (result.status !== 0) {
    throw new Error(`could not unpack ${archive}: ${result.stderr?.toString() || result.error?.message}`)
  }
  writeFileSync(marker, new Date().toISOString())
  return target
}
