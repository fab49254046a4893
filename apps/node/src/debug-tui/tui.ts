import type { DebugSession } from '@crucible/debug-session'
import { Box, type Key, render, Text, useApp, useInput, useStdout } from 'ink'
import { createElement as h, useEffect, useRef, useState } from 'react'
import { KEYS } from './commands.js'
import { type Answer, DebugController } from './controller.js'
import { type Row, renderScreen } from './screen.js'

/** The special keys of the key map, by the name KEYS uses. */
function specialKey(key: Key): string | undefined {
  if (key.rightArrow) return 'right'
  if (key.leftArrow) return 'left'
  if (key.upArrow) return 'up'
  if (key.downArrow) return 'down'
  if (key.home) return 'home'
  if (key.end) return 'end'
  return undefined
}

function sizeOf(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 }
}

function RowView({ row }: { row: Row }) {
  return h(
    Text,
    { wrap: 'truncate' },
    ...row.map((s, i) =>
      h(Text, { key: i, bold: s.bold, inverse: s.inverse, dimColor: s.dim, color: s.color }, s.text),
    ),
  )
}

/** What the screen shows besides the session: the command line, the help, the last message. */
interface UiState {
  prompt: string | undefined
  help: boolean
  message: Answer['message']
}

function App({ controller }: { controller: DebugController }) {
  const { exit } = useApp()
  const { stdout } = useStdout()
  const [size, setSize] = useState(() => sizeOf(stdout))
  const [, redraw] = useState(0)
  // A ref, not state: keys typed quickly arrive before the next render, and each must see
  // what the one before it did.
  const ui = useRef<UiState>({ prompt: undefined, help: false, message: undefined })
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout))
    stdout.on('resize', onResize)
    return () => {
      stdout.off('resize', onResize)
    }
  }, [stdout])

  /** Handles one key; false when the app quits. */
  const press = (name: string, key: Key | undefined): boolean => {
    const state = ui.current
    if (state.prompt !== undefined) {
      if (key?.escape) state.prompt = undefined
      else if (key?.return || name === '\r' || name === '\n') {
        const line = state.prompt
        state.prompt = undefined
        return apply(controller.run(line))
      } else if (key?.backspace || key?.delete) state.prompt = state.prompt.slice(0, -1)
      else if (name.length === 1 && !key?.ctrl && !key?.meta) state.prompt += name
      return true
    }
    if (state.help) {
      state.help = false
      return true
    }
    if (name === ':') state.prompt = ''
    else if (name === 'g') state.prompt = 'goto '
    else {
      const entry = KEYS.find((k) => k.keys.includes(name))
      if (entry !== undefined) return apply(controller.run(entry.cmd ?? name))
    }
    return true
  }

  const apply = (answer: Answer): boolean => {
    if (answer.quit) {
      exit()
      return false
    }
    ui.current.help = answer.help === true
    ui.current.message = answer.message
    return true
  }

  useInput((input, key) => {
    const special = specialKey(key)
    if (special !== undefined || key.return || key.escape || key.backspace || key.delete)
      press(special ?? '', key)
    else
      for (const ch of input) {
        // Keys typed quickly arrive together: each is a key of its own.
        if (!press(ch, undefined)) return
      }
    redraw((t) => t + 1)
  })

  const { prompt, help, message } = ui.current
  const rows = renderScreen(controller.model({ prompt, help, message }), size.columns, size.rows)
  return h(
    Box,
    { flexDirection: 'column', width: size.columns, height: size.rows },
    ...rows.map((row, i) => h(RowView, { key: i, row })),
  )
}

/**
 * The terminal UI: a full screen (the alternate buffer, restored on exit) redrawn on every
 * key and resize. Resolves when the user quits.
 */
export async function runTui(session: DebugSession): Promise<void> {
  const controller = new DebugController(session)
  process.stdout.write('\x1b[?1049h\x1b[H')
  try {
    const app = render(h(App, { controller }), { exitOnCtrlC: true, patchConsole: false })
    await app.waitUntilExit()
  } finally {
    process.stdout.write('\x1b[?1049l')
  }
}
