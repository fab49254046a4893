import { execFileSync, spawnSync } from 'node:child_process'

/**
 * tmux on PATH. Without it the terminal tests skip with a message — unless CI is set, where
 * they must run (and fail loudly when tmux is missing: tooling/setup/tmux.sh installs it).
 */
export const TMUX_AVAILABLE = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0
export const RUN_TMUX_TESTS = TMUX_AVAILABLE || Boolean(process.env.CI)
if (!RUN_TMUX_TESTS)
  console.warn('tmux is not installed: the terminal UI tests are skipped (tooling/setup/tmux.sh installs it)')

let sessions = 0

/** A detached tmux session on a private server socket, running `command` in a terminal of the given size. */
export class TmuxSession {
  private readonly socket = `crucible-test-${process.pid}-${++sessions}`
  private readonly name = 'main'

  constructor(command: string, columns = 80, rows = 24) {
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), command)
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  }

  /** Keys as tmux names them (`s`, `Enter`, `Escape`, `Left`…); `literal` text is typed as is. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys)
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text)
  }

  /** The visible screen as text (rows joined by newlines). */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name)
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows))
  }

  /** True while the command runs. */
  alive(): boolean {
    try {
      return this.tmux('list-panes', '-t', this.name, '-F', '#{pane_dead}').trim() === '0'
    } catch {
      return false
    }
  }

  /** Waits until the screen satisfies `test` (tmux draws asynchronously), returning it. */
  async waitFor(test: (screen: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const until = Date.now() + timeoutMs
    let last = ''
    while (Date.now() < until) {
      last = this.screen()
      if (test(last)) return last
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`the screen never showed what was expected; it shows:\n${last}`)
  }

  kill(): void {
    try {
      this.tmux('kill-server')
    } catch {
      // already gone
    }
  }
}
