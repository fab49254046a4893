// pnpm publish-check [--only NAME,...] [--managers npm,pnpm] [--keep] [--quiet]
//
// What a user who installs one layer meets, checked from the tarballs:
//  1. every package under packages/ is packed (`pnpm pack`, which runs its prepack: a fresh dist);
//  2. publint and are-the-types-wrong read each tarball and must report nothing;
//  3. for each package and each of npm and pnpm, a scratch project OUTSIDE the workspace installs
//     exactly what the README's `pnpm add` line names, from the tarballs (the workspace packages
//     they depend on too, and nothing else of ours), and runs the README example as ES module and
//     as CommonJS (`require`, which Node >= 20.19 does for ES modules); where the README says what
//     it prints, both must print that;
//  4. one scratch project with every package typechecks every example with
//     moduleResolution bundler, node16 and nodenext, under the current TypeScript and the
//     minimum one we state (MIN_TYPESCRIPT), with skipLibCheck off (our .d.ts files are checked).
// Third-party dependencies come from the package managers' caches where they can (--prefer-offline).
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core'
import { readmeExample } from '@crucible/test-support/readme'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { importedPackages, installLine } from './install-line.js'
import { publishedPackages, REPO_ROOT, rootPackageJson } from './metadata.mjs'
import { toCommonJs, toEsm } from './transpile.js'

/** The oldest TypeScript our .d.ts files are checked with (docs/using.md states it). */
export const MIN_TYPESCRIPT = '5.0'

const run = promisify(execFile)
const here = import.meta.dirname
const requireHere = createRequire(join(here, 'cli.ts'))

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    managers: { type: 'string', default: 'npm,pnpm' },
    keep: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
  },
})
const managers = args.managers.split(',') as ('npm' | 'pnpm')[]
const log = (line: string) => {
  if (!args.quiet) console.log(line)
}
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

interface Packed {
  name: string
  folder: string
  tarball: string
  /** Workspace packages it depends on (by name). */
  deps: string[]
  readme: string
}

const PNPM = process.env.npm_execpath?.includes('pnpm') ? process.env.npm_execpath : undefined

async function pnpm(argv: string[], cwd: string) {
  return PNPM ? run(process.execPath, [PNPM, ...argv], { cwd }) : run('pnpm', argv, { cwd })
}

async function pool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>) {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item)
    }),
  )
}

function failure(error: unknown): string {
  const e = error as { stderr?: string; stdout?: string; message?: string }
  return `${e.message ?? error}\n${e.stdout ?? ''}${e.stderr ?? ''}`.trim()
}

const work = mkdtempSync(join(tmpdir(), 'crucible-publish-check-'))
const problems: string[] = []
const problem = (line: string) => {
  problems.push(line)
  console.error(`✗ ${line}`)
}

try {
  // 1. Pack.
  const only = args.only?.split(',')
  const selected = publishedPackages().filter((p) => !only || only.includes(p.json.name))
  const tarballs = join(work, 'tarballs')
  mkdirSync(tarballs)
  const filters = publishedPackages().flatMap((p) => ['--filter', `./${p.folder}`])
  await pnpm(
    [...filters, 'pack', '--recursive', '--workspace-concurrency', args.jobs, '--pack-destination', tarballs],
    REPO_ROOT,
  )
  for (const p of publishedPackages()) rmSync(join(p.dir, 'LICENSE'), { force: true })
  const names = new Set(publishedPackages().map((p) => p.json.name as string))
  const packed = new Map<string, Packed>()
  for (const p of publishedPackages()) {
    const file = join(tarballs, `${p.json.name.replace('@', '').replace('/', '-')}-${p.json.version}.tgz`)
    if (!existsSync(file)) throw new Error(`pnpm pack made no ${file}`)
    const deps = Object.keys(p.json.dependencies ?? {}).filter((d) => names.has(d))
    packed.set(p.json.name, {
      name: p.json.name,
      folder: p.folder,
      tarball: file,
      deps,
      readme: readFileSync(join(p.dir, 'README.md'), 'utf8'),
    })
  }
  log(`packed ${packed.size} packages (${elapsed()})`)

  // 2. publint and are-the-types-wrong, from the tarballs.
  for (const name of selected.map((p) => p.json.name as string)) {
    const { tarball } = packed.get(name)!
    const data = readFileSync(tarball)
    const lint = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.length) },
    })
    for (const message of lint.messages)
      problem(`${name}: publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false })}`)
    const check = await checkPackage(createPackageFromTarballData(new Uint8Array(data)))
    if (check.types !== false)
      for (const p of check.problems) {
        // ESM only, said so in docs/using.md: a CommonJS `require` under TypeScript's node16
        // resolution is what are-the-types-wrong calls CJSResolvesToESM (Node >= 20.19 runs
        // it), and TypeScript's node10 resolution (no `exports`) is not supported.
        if (p.kind === 'CJSResolvesToESM' || ('resolutionKind' in p && p.resolutionKind === 'node10'))
          continue
        problem(`${name}: are-the-types-wrong: ${JSON.stringify(p)}`)
      }
    if (check.types === false) problem(`${name}: are-the-types-wrong finds no types`)
  }
  log(`publint and are-the-types-wrong read ${selected.length} tarballs (${elapsed()})`)

  /** The tarballs a set of our packages needs: the packages and their workspace dependencies, transitively. */
  const closure = (roots: string[]) => {
    const seen = new Set<string>()
    const visit = (name: string) => {
      if (seen.has(name) || !packed.has(name)) return
      seen.add(name)
      for (const dep of packed.get(name)!.deps) visit(dep)
    }
    for (const root of roots) visit(root)
    return [...seen]
  }
  const fileSpec = (name: string) => `file:${packed.get(name)!.tarball}`

  // 3. Each package alone, under each package manager, ESM and CommonJS.
  const cases = selected.flatMap((p) =>
    managers.map((manager) => ({ pkg: packed.get(p.json.name)!, manager })),
  )
  await pool(cases, Number(args.jobs), async ({ pkg, manager }) => {
    const label = `${pkg.name} (${manager})`
    const line = installLine(pkg.readme)
    const example = readmeExample(pkg.readme)
    if (!line || !example) return problem(`${label}: the README has no \`pnpm add\` line or no example`)
    const dir = join(work, manager, pkg.folder.replace('/', '-'))
    mkdirSync(dir, { recursive: true })
    const ours = line.filter((n) => names.has(n))
    const overrides = Object.fromEntries(closure(ours).map((n) => [n, fileSpec(n)]))
    const dependencies = Object.fromEntries(line.map((n) => [n, names.has(n) ? fileSpec(n) : 'latest']))
    const manifest = {
      name: 'scratch',
      private: true,
      type: 'module',
      dependencies,
      ...(manager === 'npm'
        ? { overrides }
        : { pnpm: { overrides, onlyBuiltDependencies: ['classic-level'] } }),
    }
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    try {
      if (manager === 'npm')
        await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
          cwd: dir,
        })
      else await pnpm(['install', '--prefer-offline', '--reporter=silent'], dir)
    } catch (error) {
      return problem(`${label}: install failed: ${failure(error)}`)
    }
    const missing = importedPackages(example.code).filter((n) => !line.includes(n))
    if (missing.length > 0)
      problem(`${label}: the example imports ${missing.join(', ')}, not in the install line`)
    writeFileSync(join(dir, 'example.mjs'), toEsm(example.code))
    writeFileSync(join(dir, 'example.cjs'), toCommonJs(example.code))
    for (const file of ['example.mjs', 'example.cjs']) {
      try {
        const { stdout } = await run(process.execPath, ['--disable-warning=ExperimentalWarning', file], {
          cwd: dir,
        })
        const printed = stdout.replace(/\n$/, '')
        if (example.prints !== undefined && printed !== example.prints)
          problem(`${label} ${file}: printed\n${printed}\ninstead of\n${example.prints}`)
      } catch (error) {
        problem(`${label} ${file}: ${failure(error)}`)
      }
    }
    log(`${label}: installed ${ours.join(' ')}; example ran as ESM and CommonJS (${elapsed()})`)
  })

  // 4. Types: every example, three module resolutions, two TypeScript versions.
  const typesDir = join(work, 'types')
  mkdirSync(typesDir)
  // Every package an example installs (all of them, when no --only narrows the run).
  const all = [
    ...new Set(
      selected.flatMap((p) =>
        (installLine(packed.get(p.json.name)!.readme) ?? [p.json.name]).filter((n) => names.has(n)),
      ),
    ),
  ]
  writeFileSync(
    join(typesDir, 'package.json'),
    `${JSON.stringify({ name: 'scratch-types', private: true, type: 'module', dependencies: { ...Object.fromEntries(all.map((n) => [n, fileSpec(n)])), '@types/node': rootPackageJson().devDependencies['@types/node'] }, pnpm: { overrides: Object.fromEntries(closure(all).map((n) => [n, fileSpec(n)])), onlyBuiltDependencies: [] } }, null, 2)}\n`,
  )
  await pnpm(['install', '--prefer-offline', '--reporter=silent', '--ignore-scripts'], typesDir)
  for (const p of selected) {
    const example = readmeExample(packed.get(p.json.name)!.readme)
    if (example) writeFileSync(join(typesDir, `${p.folder.replace('/', '-')}.ts`), example.code)
  }
  const compilers = {
    current: requireHere.resolve('typescript/bin/tsc'),
    [MIN_TYPESCRIPT]: requireHere.resolve('typescript-min/bin/tsc'),
  }
  for (const [version, tsc] of Object.entries(compilers))
    for (const [module, moduleResolution] of [
      ['esnext', 'bundler'],
      ['node16', 'node16'],
      ['nodenext', 'nodenext'],
    ]) {
      const config = `tsconfig.${module}.json`
      const compilerOptions = {
        target: 'es2022',
        lib: ['es2022', 'dom'],
        module,
        moduleResolution,
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      }
      writeFileSync(join(typesDir, config), JSON.stringify({ compilerOptions, include: ['*.ts'] }))
      try {
        await run(process.execPath, [tsc, '-p', config], { cwd: typesDir })
      } catch (error) {
        problem(`TypeScript ${version}, moduleResolution ${moduleResolution}: ${failure(error)}`)
      }
    }
  log(
    `typechecked ${selected.length} examples: bundler, node16, nodenext × TypeScript current and ${MIN_TYPESCRIPT} (${elapsed()})`,
  )
} finally {
  if (args.keep) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

console.log(
  `publish-check: ${problems.length === 0 ? 'nothing to report' : `${problems.length} problems`} (${elapsed()})`,
)
process.exitCode = problems.length === 0 ? 0 : 1
