import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

export interface WorkspacePackage {
  name: string
  dir: string
  json: {
    name: string
    dependencies?: Record<string, string>
    crucible?: { platform?: 'node' }
    private?: boolean
  }
}

/** Every package under packages/, apps/ and tooling/. */
export function workspacePackages(groups = ['packages', 'apps', 'tooling']): WorkspacePackage[] {
  return groups.flatMap((group) => {
    const root = join(REPO_ROOT, group)
    if (!existsSync(root)) return []
    return readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'package.json')))
      .map((name) => {
        const dir = join(root, name)
        const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
        return { name: json.name as string, dir, json }
      })
  })
}

/**
 * Core packages: everything in packages/ except storage adapters, which declare
 * `"crucible": { "platform": "node" }` in their package.json.
 */
export function corePackages(): WorkspacePackage[] {
  return workspacePackages(['packages']).filter((p) => p.json.crucible?.platform !== 'node')
}
