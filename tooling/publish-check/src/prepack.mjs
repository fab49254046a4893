// `prepack` of every published package (run by `pnpm pack` / `pnpm publish` in the package's
// folder): a fresh dist (no files left from deleted sources) and the repository's LICENSE.
import { execFileSync } from 'node:child_process'
import { copyFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../../..')
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
rmSync('dist', { recursive: true, force: true })
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
copyFileSync(join(root, 'LICENSE'), 'LICENSE')
