import { COMMANDS, commandHelp, GLOBAL_USAGE, parseArgs } from './args.js'
import { capsuleCommand } from './commands/capsule.js'
import { dbCommand } from './commands/db.js'
import { debugCommand } from './commands/debug.js'
import { exportCommand } from './commands/export.js'
import { importCommand } from './commands/import.js'
import { initCommand } from './commands/init.js'
import type { Io } from './commands/io.js'
import { nodeCommand } from './commands/node.js'
import { replayCommand } from './commands/replay.js'
import { traceCommand } from './commands/trace.js'
import { EXIT, exitCodeOf, NodeError, oneLine } from './errors.js'

const RUN = {
  init: initCommand,
  import: importCommand,
  export: exportCommand,
  node: nodeCommand,
  trace: traceCommand,
  db: dbCommand,
  capsule: capsuleCommand,
  replay: replayCommand,
  debug: debugCommand,
} as const

/** Runs `crucible ARGV...`; returns the exit code. Every failure ends as one `Fatal:` line. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const spec = COMMANDS.find((c) => c.name === rest[0])
    io.out(spec ? commandHelp(spec) : GLOBAL_USAGE)
    return name === undefined ? EXIT.USAGE : EXIT.OK
  }
  const spec = COMMANDS.find((c) => c.name === name)
  if (!spec) {
    io.err(`Fatal: unknown command ${name}\n\n${GLOBAL_USAGE}`)
    return EXIT.USAGE
  }
  try {
    const args = parseArgs(spec, rest)
    if (args.flags.has('help')) {
      io.out(commandHelp(spec))
      return EXIT.OK
    }
    return await RUN[spec.name as keyof typeof RUN](args, io)
  } catch (error) {
    io.err(`Fatal: ${oneLine(error)}\n`)
    if (error instanceof NodeError && error.code === 'USAGE')
      io.err(`Run \`crucible ${spec.name} --help\` for usage.\n`)
    return exitCodeOf(error)
  }
}
