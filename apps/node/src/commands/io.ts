/** Where a command writes: standard output, standard error, and whether it is a terminal. */
export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  isTTY: boolean
  /** When it resolves, a long-running command (crucible node) stops as on SIGTERM (tests). */
  stop?: Promise<unknown>
}

/** Resolves with the signal's name at the first SIGINT or SIGTERM (or when `io.stop` resolves). */
export function shutdownRequested(io: Io): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(signal)
    }
    const onInt = on('SIGINT')
    const onTerm = on('SIGTERM')
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
    io.stop?.then(onInt)
  })
}
