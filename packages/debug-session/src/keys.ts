import type { Command } from './protocol.js'

/**
 * The debugger's key map, shared by the terminal UI and the web page: one key (or a named key:
 * `right`, `left`, `up`, `down`, `home`, `end`) per command. `words` are what line mode and
 * the command line accept for the same command. Entries without `cmd` are handled by the
 * client (a prompt, a toggle, help). Navigation keys step by opcode or, after `m`, by source
 * line (`granularity: 'source'` on the step commands).
 */
export interface KeyBinding {
  readonly keys: readonly string[]
  readonly words: readonly string[]
  readonly cmd?: Command['cmd']
  /** What the client does for a key without `cmd`. */
  readonly action?: 'goto' | 'break' | 'command' | 'help' | 'quit' | 'granularity'
  readonly help: string
}

export const KEYS: readonly KeyBinding[] = [
  {
    keys: ['s', 'right'],
    words: ['step', 'stepInto'],
    cmd: 'stepInto',
    help: 'step into (next opcode / line)',
  },
  {
    keys: ['n', 'down'],
    words: ['next', 'stepOver'],
    cmd: 'stepOver',
    help: 'step over a CALL/CREATE (a call, by line)',
  },
  { keys: ['o'], words: ['out', 'stepOut'], cmd: 'stepOut', help: "step out to the caller's next step" },
  {
    keys: ['S', 'left'],
    words: ['back', 'reverseStepInto'],
    cmd: 'reverseStepInto',
    help: 'step into, backwards',
  },
  { keys: ['N', 'up'], words: ['reverseStepOver'], cmd: 'reverseStepOver', help: 'step over, backwards' },
  {
    keys: ['O'],
    words: ['reverseStepOut'],
    cmd: 'reverseStepOut',
    help: 'step out, backwards (to the CALL)',
  },
  { keys: ['c'], words: ['continue'], cmd: 'continue', help: 'continue to the next breakpoint (or the end)' },
  { keys: ['C'], words: ['reverseContinue', 'rc'], cmd: 'reverseContinue', help: 'continue backwards' },
  { keys: [']'], words: ['nextCall'], cmd: 'nextCall', help: 'next CALL/CREATE' },
  { keys: ['['], words: ['previousCall'], cmd: 'previousCall', help: 'previous CALL/CREATE' },
  { keys: ['<', 'home'], words: ['start'], cmd: 'start', help: 'go to the first step' },
  { keys: ['>', 'end'], words: ['end'], cmd: 'end', help: 'go to the end' },
  { keys: ['r'], words: ['revert'], cmd: 'revert', help: 'go to the step that caused the failure' },
  { keys: ['m'], words: ['mode'], action: 'granularity', help: 'step by opcode / by source line' },
  { keys: ['g'], words: [], action: 'goto', help: 'go to step N' },
  { keys: ['b'], words: [], action: 'break', help: 'breakpoint at the current line (or pc)' },
  { keys: [':'], words: [], action: 'command', help: 'command line; Enter runs, Esc cancels' },
  { keys: ['?'], words: ['help'], action: 'help', help: 'this help' },
  { keys: ['q'], words: ['quit', 'exit'], action: 'quit', help: 'quit (also Ctrl-C)' },
]

/** The step commands, which take a granularity. */
export const STEP_COMMANDS: ReadonlySet<string> = new Set([
  'stepInto',
  'stepOver',
  'stepOut',
  'reverseStepInto',
  'reverseStepOver',
  'reverseStepOut',
])

/** The binding of a key (a character, or a named key), undefined when none. */
export function bindingOfKey(key: string): KeyBinding | undefined {
  return KEYS.find((k) => k.keys.includes(key))
}
