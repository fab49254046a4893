#!/usr/bin/env -S node --conditions=@crucible/source --import tsx
import { run } from './main.js'

run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(
      `Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  },
)
