// Small statistics over timing samples. Pure functions: no clock, no I/O.

/**
 * Summarises samples (milliseconds, or any unit) as min, median, mean, p95 and max.
 * Returns null for an empty list so that callers print "n/a" rather than a zero.
 *
 * @param {readonly number[]} samples
 * @returns {import('./stats.d.mts').Summary | null}
 */
export function summarize(samples) {
  const values = samples.filter((value) => Number.isFinite(value))
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const total = sorted.reduce((sum, value) => sum + value, 0)
  return {
    n: sorted.length,
    min: sorted[0],
    median: percentile(sorted, 50),
    mean: total / sorted.length,
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
  }
}

/**
 * The p-th percentile of an ascending list, interpolating linearly between ranks
 * (p = 50 gives the usual median, the mean of the two middle values for an even count).
 *
 * @param {readonly number[]} sorted ascending
 * @param {number} p 0…100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0…100, got ${p}`)
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low)
}

/**
 * `numerator / denominator`, or null when either side is missing, not finite or the
 * denominator is not positive.
 *
 * @param {number | null | undefined} numerator
 * @param {number | null | undefined} denominator
 */
export function ratio(numerator, denominator) {
  if (numerator == null || denominator == null) return null
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator)) return null
  if (denominator <= 0) return null
  return numerator / denominator
}
