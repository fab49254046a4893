/** Where a command writes: standard output, standard error, and whether it is a terminal. */
export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  isTTY: boolean
  /** When it resolves, a long-running command (crucible node) stops as on SIGTERM (tests). */
  stop?: Promise<unknown>
}
