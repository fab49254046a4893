// pnpm release [--dry-run]
//
// Versions every package from the pending changesets (`changeset version`: bumps, internal
// dependency ranges, CHANGELOG.md per package) and publishes those whose version is not on
// the registry (`changeset publish`, which runs `pnpm publish` and so each package's prepack:
// a fresh dist). With --dry-run, all of it happens in a scratch git worktree of HEAD outside
// this checkout: the changelogs it generated are printed, `pnpm publish --dry-run` lists what
// each tarball would hold, and nothing here or on the registry changes.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { publishedPackages, REPO_ROOT } from './metadata.mjs'

const { values: args } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } })
const PNPM = process.env.npm_execpath?.includes('pnpm')
  ? [process.execPath, process.env.npm_execpath]
  : ['pnpm']
const sh = (argv: string[], cwd: string) => {
  execFileSync(argv[0]!, argv.slice(1), { cwd, stdio: 'inherit' })
}
const pnpm = (argv: string[], cwd: string) => sh([...PNPM, ...argv], cwd)

if (!args['dry-run']) {
  pnpm(['exec', 'changeset', 'version'], REPO_ROOT)
  pnpm(['install', '--lockfile-only', '--offline'], REPO_ROOT)
  pnpm(['exec', 'changeset', 'publish'], REPO_ROOT)
} else {
  const scratch = mkdtempSync(join(tmpdir(), 'crucible-release-'))
  const tree = join(scratch, 'crucible')
  try {
    sh(['git', 'worktree', 'add', '--detach', '--quiet', tree, 'HEAD'], REPO_ROOT)
    // The worktree has no fixtures and no install: install from the store, offline.
    pnpm(['install', '--frozen-lockfile', '--offline', '--reporter=silent'], tree)
    const before = new Map(
      publishedPackages(tree).map((p) => [p.json.name as string, p.json.version as string]),
    )
    pnpm(['exec', 'changeset', 'version'], tree)
    for (const p of publishedPackages(tree)) {
      const from = before.get(p.json.name)
      const changelog = join(p.dir, 'CHANGELOG.md')
      if (from === p.json.version) continue
      console.log(`\n${p.json.name}: ${from} -> ${p.json.version}`)
      if (existsSync(changelog))
        console.log(readFileSync(changelog, 'utf8').split('\n').slice(0, 12).join('\n'))
      else throw new Error(`${p.json.name}: changeset version wrote no CHANGELOG.md`)
    }
    pnpm(
      [
        '-r',
        ...publishedPackages(tree).flatMap((p) => ['--filter', `./${p.folder}`]),
        'publish',
        '--dry-run',
        '--no-git-checks',
        '--access',
        'public',
      ],
      tree,
    )
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: REPO_ROOT, stdio: 'ignore' })
    rmSync(scratch, { recursive: true, force: true })
  }
}
