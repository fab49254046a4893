// The package.json metadata every published package carries, derived from one place: the
// root package.json (license, repository, engines). `node tooling/publish-check/src/metadata.mjs
// --fix` writes it into every package under packages/; the metadata test checks it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

/** Every published package: each folder under packages/ whose package.json is not private. */
export function publishedPackages(root = REPO_ROOT) {
  const dir = join(root, 'packages')
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .map((name) => {
      const path = join(dir, name, 'package.json')
      return {
        folder: `packages/${name}`,
        dir: join(dir, name),
        path,
        json: JSON.parse(readFileSync(path, 'utf8')),
      }
    })
    .filter((p) => p.json.private !== true)
}

export function rootPackageJson(root = REPO_ROOT) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
}

/**
 * The fields a published package must carry, exactly, given its folder and its root export
 * (`main` and `types` repeat it for resolvers that predate `exports`, such as TypeScript's node10).
 */
export function expectedFields(folder, rootJson, exports = {}) {
  const url = rootJson.repository.url
  const web = url.replace(/^git\+/, '').replace(/\.git$/, '')
  return {
    license: rootJson.license,
    repository: { type: 'git', url, directory: folder },
    homepage: `${web}/tree/main/${folder}#readme`,
    bugs: { url: `${web}/issues` },
    engines: rootJson.engines,
    ...(exports['.']?.types && { types: exports['.'].types }),
    ...(exports['.']?.default && { main: exports['.'].default }),
  }
}

/** What is wrong with a published package's metadata (empty when nothing). */
export function metadataProblems(pkg, rootJson) {
  const problems = []
  const { json } = pkg
  for (const [field, value] of Object.entries(expectedFields(pkg.folder, rootJson, json.exports)))
    if (JSON.stringify(json[field]) !== JSON.stringify(value))
      problems.push(`${field} should be ${JSON.stringify(value)}`)
  if (!Array.isArray(json.keywords) || json.keywords.length === 0) problems.push('keywords: none')
  if (typeof json.description !== 'string' || json.description.length === 0)
    problems.push('description: none')
  if (json.type !== 'module') problems.push('type should be "module" (the packages are ESM only)')
  if (json.sideEffects !== false) problems.push('sideEffects should be false')
  if (json.scripts?.prepack !== PREPACK) problems.push(`scripts.prepack should be ${JSON.stringify(PREPACK)}`)
  const files = json.files ?? []
  if (!files.includes('dist') || !files.some((f) => f.startsWith('!') && f.includes('.test.')))
    problems.push('files should list "dist" and exclude tests ("!src/**/*.test.ts")')
  for (const [subpath, target] of Object.entries(json.exports ?? {})) {
    if (typeof target !== 'object' || target === null) {
      problems.push(`exports["${subpath}"] should be an object of conditions`)
      continue
    }
    if ('source' in target)
      problems.push(`exports["${subpath}"]: the condition is "@crucible/source", not "source"`)
    const keys = Object.keys(target)
    if (keys.at(-1) !== 'default')
      problems.push(`exports["${subpath}"] should end with a "default" condition`)
    if (keys.includes('types') && keys.indexOf('types') > keys.indexOf('default'))
      problems.push(`exports["${subpath}"]: "types" must come before "default"`)
  }
  for (const [name, range] of Object.entries({ ...json.dependencies, ...json.peerDependencies })) {
    if (range.startsWith('workspace:')) continue
    if (!/^[\^>]/.test(range)) problems.push(`${name}: third-party ranges are caret ranges, not ${range}`)
  }
  return problems
}

/** The prepack script: a fresh build of dist and the root LICENSE beside package.json. */
export const PREPACK = 'node ../../tooling/publish-check/src/prepack.mjs'

const ORDER = [
  'name',
  'version',
  'description',
  'keywords',
  'license',
  'homepage',
  'bugs',
  'repository',
  'type',
  'sideEffects',
  'engines',
  'main',
  'types',
]

/** Writes the expected metadata into every published package (keeps keywords, reorders fields). */
export function fixMetadata(root = REPO_ROOT) {
  const rootJson = rootPackageJson(root)
  for (const pkg of publishedPackages(root)) {
    const json = { ...pkg.json }
    json.keywords ??= ['ethereum']
    json.scripts = { ...json.scripts, prepack: PREPACK }
    for (const field of ['dependencies', 'peerDependencies'])
      for (const [name, range] of Object.entries(json[field] ?? {}))
        if (/^\d/.test(range)) json[field][name] = `^${range}`
    for (const target of Object.values(json.exports ?? {})) {
      if ('source' in target) {
        target['@crucible/source'] = target.source
        delete target.source
      }
      const fallback = target.default ?? target.import
      delete target.import
      delete target.default
      target.default = fallback
    }
    Object.assign(json, expectedFields(pkg.folder, rootJson, json.exports))
    const ordered = {}
    for (const key of ORDER) if (key in json) ordered[key] = json[key]
    Object.assign(ordered, json)
    writeFileSync(pkg.path, `${JSON.stringify(ordered, null, 2)}\n`)
  }
}

if (process.argv[1] === import.meta.filename && process.argv.includes('--fix')) fixMetadata()
