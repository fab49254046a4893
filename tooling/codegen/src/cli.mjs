#!/usr/bin/env node
// pnpm codegen          regenerate every generated file (see outputs.mjs)
// pnpm codegen:check    exit 1, naming the files, when regenerating would change any
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OUTPUTS } from './outputs.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const check = process.argv.includes('--check')
const biome = createRequire(join(root, 'package.json')).resolve('@biomejs/biome/bin/biome')

function format(path, text) {
  const result = spawnSync(process.execPath, [biome, 'format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`biome could not format ${path}: ${result.stderr}`)
  return result.stdout
}

let stale = 0
for (const output of OUTPUTS) {
  const file = join(root, output.path)
  const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
  let text = output.generate(current)
  if (output.format) text = format(output.path, text)
  if (text === current) continue
  stale++
  if (check) console.log(`${output.path}: differs from what its generator writes (run pnpm codegen)`)
  else {
    writeFileSync(file, text)
    console.log(`${output.path}: regenerated`)
  }
}
if (check)
  console.log(
    stale === 0 ? `codegen: all ${OUTPUTS.length} generated files are up to date` : `codegen: ${stale} stale`,
  )
process.exitCode = check && stale > 0 ? 1 : 0
