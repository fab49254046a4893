import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Suite } from './suite.js'
import { suiteModuleUrl } from './suites/registry.js'

/** True when the suite's module exists. */
export function isImplemented(name: string): boolean {
  return existsSync(fileURLToPath(suiteModuleUrl(name)))
}

/** Imports a suite module and returns its default export. */
export async function loadSuite(name: string): Promise<Suite> {
  const module = (await import(suiteModuleUrl(name).href)) as { default?: Suite }
  if (!module.default) throw new Error(`suite module ${name} has no default export`)
  return module.default
}
