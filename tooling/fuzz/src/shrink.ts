/**
 * Delta debugging (Zeller's ddmin) over the lists of a JSON case: each list is cut to a
 * 1-minimal subset that keeps the failure, and the passes repeat until none removes anything.
 * The case is cloned for every trial, so the predicate may keep what it is given.
 */

/** A list inside a case, found again by path after each change. */
export type ListPath = Array<string | number>

export interface ShrinkOptions<T> {
  /** The lists that may lose items, for the current case (re-asked after every change). */
  lists: (value: T) => ListPath[]
  /** True when the (modified) case still fails the same way. */
  fails: (value: T) => Promise<boolean> | boolean
  /** Candidates that break an invariant of the case (checked before `fails`, not counted). */
  keep?: (value: T) => boolean
  /** At most this many predicate calls. */
  maxTrials?: number
  /** Stop after this many milliseconds. */
  maxMs?: number
}

export interface ShrinkResult<T> {
  value: T
  trials: number
  removed: number
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

function at(value: unknown, path: ListPath): unknown[] {
  let node = value as Record<string | number, unknown>
  for (const key of path) node = node[key] as Record<string | number, unknown>
  return node as unknown as unknown[]
}

function withList<T>(value: T, path: ListPath, items: unknown[]): T {
  const copy = clone(value)
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path[path.length - 1]!] = items
  return copy
}

export async function shrink<T>(start: T, options: ShrinkOptions<T>): Promise<ShrinkResult<T>> {
  const maxTrials = options.maxTrials ?? 2000
  const deadline = performance.now() + (options.maxMs ?? 60_000)
  let value = clone(start)
  let trials = 0
  let removed = 0
  const budget = () => trials < maxTrials && performance.now() < deadline

  let progress = true
  while (progress && budget()) {
    progress = false
    for (const path of options.lists(value)) {
      if (!budget()) break
      let items = at(value, path)
      if (!Array.isArray(items) || items.length === 0) continue
      let n = 2
      while (items.length > 0 && budget()) {
        const size = Math.ceil(items.length / n)
        let cut = false
        for (let i = 0; i < items.length && budget(); i += size) {
          const complement = [...items.slice(0, i), ...items.slice(i + size)]
          const candidate = withList(value, path, complement)
          if (options.keep && !options.keep(candidate)) continue
          trials++
          if (await options.fails(candidate)) {
            removed += items.length - complement.length
            value = candidate
            items = complement
            n = Math.max(n - 1, 2)
            cut = true
            progress = true
            break
          }
        }
        if (!cut) {
          if (size <= 1) break
          n = Math.min(n * 2, items.length)
        }
      }
      // A cut may have removed lists further down this pass's list of paths.
      if (progress) break
    }
  }
  return { value, trials, removed }
}
