/** Median of a non-empty sample (mean of the two middle values for even sizes). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Geometric mean of positive values (through logs, so long products do not overflow). */
export function geomean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('geomean of an empty sample')
  let sum = 0
  for (const v of values) {
    if (!(v > 0)) throw new Error(`geomean needs positive values, got ${v}`)
    sum += Math.log(v)
  }
  return Math.exp(sum / values.length)
}

/** Million gas per second for `gas` executed in `ms` milliseconds. */
export function mgasPerSecond(gas: bigint | number, ms: number): number {
  return Number(gas) / 1e3 / ms
}

/** Relative spread of a sample: (max - min) / median, to flag noisy measurements. */
export function spread(values: readonly number[]): number {
  const m = median(values)
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m
}
